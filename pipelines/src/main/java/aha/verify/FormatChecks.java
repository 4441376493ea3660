package aha.verify;

import java.util.regex.Pattern;

/** Format checks used as filters and rewards; pure functions of the completion text. */
public final class FormatChecks {
  private FormatChecks() {}

  /** open-r1's {@code format_reward} pattern, matched at the start with DOTALL and MULTILINE. */
  private static final Pattern OPEN_R1_FORMAT =
      Pattern.compile(
          "^<think>\\n.*?\\n</think>\\n<answer>\\n.*?\\n</answer>$",
          Pattern.DOTALL | Pattern.MULTILINE);

  /**
   * R1 format: the reasoning is closed by exactly one {@code </think>}, with non-blank reasoning
   * before it and a non-blank answer after it. The opening {@code <think>} is optional, because
   * R1's chat template writes it into the prompt, but there may be at most one and it must come
   * first.
   */
  public static boolean r1Format(String completion) {
    if (completion == null) return false;
    int close = completion.indexOf("</think>");
    if (close < 0 || completion.indexOf("</think>", close + 1) >= 0) return false;
    int open = completion.indexOf("<think>");
    if (open >= 0) {
      if (open > close || completion.indexOf("<think>", open + 1) >= 0) return false;
      if (!completion.substring(0, open).isBlank()) return false;
    }
    String reasoning = completion.substring(open < 0 ? 0 : open + 7, close);
    String answer = completion.substring(close + 8);
    return !reasoning.isBlank() && !answer.isBlank();
  }

  /**
   * open-r1's {@code format_reward} check: {@code <think>\n...\n</think>\n<answer>\n...\n</answer>}
   * from the start. As in open-r1, MULTILINE lets text follow {@code </answer>} after a line break.
   */
  public static boolean openR1Format(String completion) {
    return completion != null && OPEN_R1_FORMAT.matcher(completion).lookingAt();
  }

  /**
   * open-r1's {@code tag_count_reward}: 0.25 for each of {@code <think>\n}, {@code \n</think>\n},
   * {@code \n<answer>\n} and {@code \n</answer>} that occurs exactly once.
   */
  public static double tagCount(String completion) {
    if (completion == null) return 0.0;
    double score = 0.0;
    if (count(completion, "<think>\n") == 1) score += 0.25;
    if (count(completion, "\n</think>\n") == 1) score += 0.25;
    if (count(completion, "\n<answer>\n") == 1) score += 0.25;
    if (count(completion, "\n</answer>") == 1) score += 0.25;
    return score;
  }

  /**
   * True when an {@code <answer>} tag is closed later by {@code </answer>} around non-blank text.
   */
  public static boolean hasAnswerTag(String completion) {
    if (completion == null) return false;
    int close = completion.lastIndexOf("</answer>");
    if (close < 0) return false;
    int open = completion.lastIndexOf("<answer>", close);
    return open >= 0 && !completion.substring(open + 8, close).isBlank();
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) n++;
    return n;
  }
}
