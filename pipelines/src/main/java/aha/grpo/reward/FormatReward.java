package aha.grpo.reward;

/**
 * open-r1's {@code format} reward: 1.0 when the completion is exactly one R1 reasoning block then
 * one answer block,
 *
 * <pre>
 * &lt;think&gt;\n ... \n&lt;/think&gt;\n&lt;answer&gt;\n ... \n&lt;/answer&gt;
 * </pre>
 *
 * else 0.0. The newlines are required, as in open-r1, so {@link TagCountReward} gives partial
 * credit on the same markers.
 *
 * <p>Fixes against open-r1 ({@code ^<think>\n.*?\n</think>\n<answer>\n.*?\n</answer>$} with
 * MULTILINE | DOTALL and {@code re.match}):
 *
 * <ul>
 *   <li>MULTILINE lets {@code $} match at the end of any line, so text after {@code </answer>\n}
 *       passed; here only whitespace may follow the answer block.
 *   <li>{@code .*?} with DOTALL lets nested or repeated {@code <think>}/{@code <answer>} blocks
 *       pass (open-r1 issue #359); here each of the four tags must occur exactly once.
 * </ul>
 *
 * Implemented with index checks rather than a regex with per-character look-aheads, which Java's
 * backtracking engine would recurse through on long completions.
 */
public final class FormatReward implements Reward {
  static final String OPEN_THINK = "<think>";
  static final String CLOSE_THINK = "</think>";
  static final String OPEN_ANSWER = "<answer>";
  static final String CLOSE_ANSWER = "</answer>";

  @Override
  public Double score(Sample sample) {
    return matches(sample.completion()) ? 1.0 : 0.0;
  }

  static boolean matches(String text) {
    if (!text.startsWith(OPEN_THINK + "\n")) {
      return false;
    }
    for (String tag : new String[] {OPEN_THINK, CLOSE_THINK, OPEN_ANSWER, CLOSE_ANSWER}) {
      if (occurrences(text, tag) != 1) {
        return false;
      }
    }
    // open-r1 needs "<think>\n" + reasoning (maybe empty) + "\n</think>", so the separator starts
    // at index 8 or later.
    String middle = "\n" + CLOSE_THINK + "\n" + OPEN_ANSWER + "\n";
    int sep = text.indexOf(middle);
    if (sep < (OPEN_THINK + "\n").length()) {
      return false;
    }
    int answerStart = sep + middle.length();
    int end = text.indexOf("\n" + CLOSE_ANSWER);
    if (end < answerStart) {
      return false;
    }
    return text.substring(end + 1 + CLOSE_ANSWER.length()).isBlank();
  }

  /** Non-overlapping occurrences, as Python's {@code str.count}. */
  static int occurrences(String text, String needle) {
    int count = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      count++;
    }
    return count;
  }
}
