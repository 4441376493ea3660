package aha.grpo;

/**
 * Group-relative advantages, one scalar per completion, shared by all its tokens.
 *
 * <p>Rows are prompt-major: rows {@code g*G .. g*G+G-1} are the G completions of prompt g. A NaN
 * reward marks an unscorable completion: it is left out of its group's mean and std and gets
 * advantage 0. As TRL:
 *
 * <pre>
 * A_i = (r_i - mean_group(i)) / (std + 1e-4)      std: sample std (n-1) of the group, or of the
 *                                                 batch for BATCH; no division for NONE
 * </pre>
 *
 * @param values the advantage of each row
 * @param stdUsed the std each row was divided by (before adding 1e-4); NaN for {@link
 *     ScaleRewards#NONE}
 * @param zeroStd per row: whether that std is 0 (a group with no reward spread, hence no signal;
 *     for NONE the group std is checked)
 */
public record Advantages(double[] values, double[] stdUsed, boolean[] zeroStd) {
  /** Added to the std before dividing, as TRL. */
  public static final double STD_EPSILON = 1e-4;

  /** TRL's {@code torch.isclose(std, 0)} absolute tolerance. */
  private static final double ZERO_STD_TOL = 1e-8;

  /**
   * Computes the advantages.
   *
   * @param rewards one combined reward per row, NaN when unscorable; length P*G
   * @param groupSize G, the completions per prompt
   */
  public static Advantages compute(double[] rewards, int groupSize, ScaleRewards scale) {
    if (groupSize <= 0 || rewards.length % groupSize != 0) {
      throw new IllegalArgumentException(
          rewards.length + " rewards do not form whole groups of " + groupSize);
    }
    int n = rewards.length;
    double batchStd = NanStats.std(rewards);
    double[] values = new double[n];
    double[] stdUsed = new double[n];
    boolean[] zeroStd = new boolean[n];
    for (int start = 0; start < n; start += groupSize) {
      int end = start + groupSize;
      double mean = NanStats.mean(rewards, start, end);
      double groupStd = NanStats.std(rewards, start, end);
      double std = scale == ScaleRewards.BATCH ? batchStd : groupStd;
      for (int i = start; i < end; i++) {
        zeroStd[i] = Math.abs(std) <= ZERO_STD_TOL;
        stdUsed[i] = scale == ScaleRewards.NONE ? Double.NaN : std;
        if (Double.isNaN(rewards[i])) {
          values[i] = 0.0;
        } else if (scale == ScaleRewards.NONE) {
          values[i] = rewards[i] - mean;
        } else {
          values[i] = (rewards[i] - mean) / (std + STD_EPSILON);
        }
      }
    }
    return new Advantages(values, stdUsed, zeroStd);
  }

  /**
   * The groups whose scorable rewards are not all equal, in order: DAPO's dynamic sampling keeps
   * only these (a group with no reward spread has zero advantages and gives no gradient) and
   * samples more prompts to refill the batch.
   */
  public static int[] groupsWithSpread(double[] rewards, int groupSize) {
    if (groupSize <= 0 || rewards.length % groupSize != 0) {
      throw new IllegalArgumentException(
          rewards.length + " rewards do not form whole groups of " + groupSize);
    }
    return java.util.stream.IntStream.range(0, rewards.length / groupSize)
        .filter(g -> NanStats.std(rewards, g * groupSize, (g + 1) * groupSize) > ZERO_STD_TOL)
        .toArray();
  }

  /** TRL's {@code frac_reward_zero_std}: the share of rows whose std is 0. */
  public double fracRewardZeroStd() {
    int count = 0;
    for (boolean z : zeroStd) {
      if (z) {
        count++;
      }
    }
    return zeroStd.length == 0 ? 0.0 : (double) count / zeroStd.length;
  }

  public int rows() {
    return values.length;
  }
}
