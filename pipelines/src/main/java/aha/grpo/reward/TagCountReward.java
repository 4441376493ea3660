package aha.grpo.reward;

/**
 * open-r1's {@code tag_count} reward (from willccbb's GRPO demo): 0.25 for each of the four markers
 * {@code "<think>\n"}, {@code "\n</think>\n"}, {@code "\n<answer>\n"}, {@code "\n</answer>"} that
 * occurs exactly once; range 0 to 1. A smooth companion of {@link FormatReward}: it pays for the
 * structure a model has learnt so far and nothing for repeating tags. Same semantics as open-r1 (no
 * known bug).
 */
public final class TagCountReward implements Reward {
  private static final String[] MARKERS = {
    "<think>\n", "\n</think>\n", "\n<answer>\n", "\n</answer>"
  };

  @Override
  public Double score(Sample sample) {
    double score = 0.0;
    for (String marker : MARKERS) {
      if (FormatReward.occurrences(sample.completion(), marker) == 1) {
        score += 0.25;
      }
    }
    return score;
  }
}
