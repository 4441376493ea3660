package aha.grpo.reward;

/**
 * The {@code accuracy} reward: 1.0 when the verifier judged the completion correct, 0.0 when wrong,
 * null when it could not judge (gold does not parse).
 *
 * <p>Fix against open-r1: before its PR #566 an unparseable gold gave 1.0 (issue #293), a free
 * reward that also shifted the group mean. Here it gives null: no reward signal. The verdict itself
 * comes from {@code aha.verify} through {@link Sample#correct()}.
 */
public final class AccuracyReward implements Reward {
  @Override
  public Double score(Sample sample) {
    Boolean correct = sample.correct();
    if (correct == null) {
      return null;
    }
    return correct ? 1.0 : 0.0;
  }
}
