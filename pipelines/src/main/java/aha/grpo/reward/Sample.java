package aha.grpo.reward;

/**
 * One completion sampled for one problem, as the reward functions see it.
 *
 * @param problem the problem text the prompt was built from
 * @param answer the reference (gold) answer, as the dataset stores it
 * @param completion the generated text (special tokens such as EOS already removed)
 * @param completionTokens number of completion tokens, EOS included when there is one
 * @param truncated true when generation stopped at {@code max_completion_length} without EOS
 * @param correct the verifier's verdict on {@code completion} against {@code answer}: true, false,
 *     or null when it cannot be scored (the gold itself does not parse). The GRPO stage fills it
 *     once per completion from {@code aha.verify}, so accuracy, cosine and length rewards agree on
 *     the same verdict and the verifier runs once.
 */
public record Sample(
    String problem,
    String answer,
    String completion,
    int completionTokens,
    boolean truncated,
    Boolean correct) {

  public Sample {
    if (completion == null) {
      throw new IllegalArgumentException("completion must not be null");
    }
    if (completionTokens < 0) {
      throw new IllegalArgumentException("completionTokens must be >= 0: " + completionTokens);
    }
  }

  /** A sample with only the text known: for rewards that look at the text alone. */
  public static Sample ofText(String completion) {
    return new Sample("", "", completion, 0, false, null);
  }

  /** A copy with the verifier's verdict set. */
  public Sample withCorrect(Boolean verdict) {
    return new Sample(problem, answer, completion, completionTokens, truncated, verdict);
  }
}
