package aha.grpo.reward;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * open-r1's {@code reasoning_steps} reward: counts step markers ("Step N:", a line starting with
 * "N.", a line starting with "-" or "*", "First,", "Second,", "Next,", "Finally,") and returns
 * {@code min(1, count / 3)}.
 *
 * <p>Fix against open-r1: its pattern {@code ^\d+\.} is documented as "numbered lists at start of
 * line", but {@code re.findall} runs without MULTILINE, so {@code ^} matched only at the very start
 * of the completion and a numbered list from line 2 on was not counted. Here {@code ^} is a line
 * start (MULTILINE).
 */
public final class ReasoningStepsReward implements Reward {
  private static final Pattern STEP =
      Pattern.compile(
          "(Step \\d+:|^\\d+\\.|\\n-|\\n\\*|First,|Second,|Next,|Finally,)", Pattern.MULTILINE);

  @Override
  public Double score(Sample sample) {
    return Math.min(1.0, steps(sample.completion()) / 3.0);
  }

  static int steps(String text) {
    Matcher m = STEP.matcher(text);
    int count = 0;
    while (m.find()) {
      count++;
    }
    return count;
  }
}
