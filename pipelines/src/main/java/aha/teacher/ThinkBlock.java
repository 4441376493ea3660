package aha.teacher;

/**
 * Splits R1-style output {@code <think>reasoning</think>answer} into its parts. R1 served without a
 * reasoning parser often omits the opening tag (its chat template already put {@code <think>\n} in
 * the prompt), so a lone {@code </think>} also ends a reasoning part. An opening tag that is never
 * closed makes the whole rest reasoning, with {@code closed == false} and an empty answer.
 */
public record ThinkBlock(String reasoning, String answer, boolean present, boolean closed) {
  static final String OPEN = "<think>";
  static final String CLOSE = "</think>";

  public static ThinkBlock split(String content) {
    int open = content.indexOf(OPEN);
    int close = content.indexOf(CLOSE);
    if (open < 0 && close < 0) {
      return new ThinkBlock("", content.strip(), false, false);
    }
    if (open >= 0 && (close < 0 || close < open)) {
      return new ThinkBlock(content.substring(open + OPEN.length()).strip(), "", true, false);
    }
    int start = open < 0 ? 0 : open + OPEN.length();
    return new ThinkBlock(
        content.substring(start, close).strip(),
        content.substring(close + CLOSE.length()).strip(),
        true,
        true);
  }
}
