package aha.grpo.reward;

/**
 * open-r1's {@code cosine} reward ("Demystifying Long CoT", Yeo et al. 2025): a length-scaled
 * correctness reward. With L the completion length in characters (Unicode code points, as Python's
 * {@code len}) and p = L / L_max:
 *
 * <pre>
 * r = lo + (hi - lo) * (1 + cos(pi * p)) / 2
 * correct: lo = min_value_correct, hi = max_value_correct   (short correct answers earn most)
 * wrong:   lo = max_value_wrong,   hi = min_value_wrong     (short wrong answers are punished most)
 * </pre>
 *
 * Fixes against open-r1:
 *
 * <ul>
 *   <li>p was not clamped, so past L_max the cosine wrapped round and at 2 L_max a long answer
 *       scored like an empty one. Here p is clamped to [0, 1]: every length past L_max scores as
 *       L_max.
 *   <li>Its script default {@code cosine_min_value_wrong = 0.0} (the function's own default and
 *       unit test use -1.0) made short wrong answers score 0 and long wrong answers -0.5, the
 *       reverse of the intent. Here the default is -1.0, and {@link RewardSettings} rejects a
 *       setting with {@code min_value_wrong > max_value_wrong}.
 *   <li>An unparseable gold answer returned 1.0; here it is null (unscorable), as for accuracy.
 * </ul>
 */
public final class CosineLengthReward implements Reward {
  private final double minValueWrong;
  private final double maxValueWrong;
  private final double minValueCorrect;
  private final double maxValueCorrect;
  private final int maxLen;

  public CosineLengthReward(RewardSettings s) {
    this.minValueWrong = s.cosineMinValueWrong();
    this.maxValueWrong = s.cosineMaxValueWrong();
    this.minValueCorrect = s.cosineMinValueCorrect();
    this.maxValueCorrect = s.cosineMaxValueCorrect();
    this.maxLen = s.cosineMaxLen();
  }

  @Override
  public Double score(Sample sample) {
    Boolean correct = sample.correct();
    if (correct == null) {
      return null;
    }
    String text = sample.completion();
    int length = text.codePointCount(0, text.length());
    double progress = Math.min(1.0, (double) length / maxLen);
    double cosine = Math.cos(Math.PI * progress);
    double lo = correct ? minValueCorrect : maxValueWrong;
    double hi = correct ? maxValueCorrect : minValueWrong;
    return lo + 0.5 * (hi - lo) * (1.0 + cosine);
  }
}
