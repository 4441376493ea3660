package aha.grpo.reward;

import java.util.List;

/** The reward functions a GRPO stage uses, with their weights; made by {@link RewardRegistry}. */
public final class RewardFuncs {
  private final List<String> names;
  private final List<GroupReward> funcs;
  private final double[] weights;

  RewardFuncs(List<String> names, List<GroupReward> funcs, double[] weights) {
    this.names = names;
    this.funcs = funcs;
    this.weights = weights.clone();
  }

  public List<String> names() {
    return names;
  }

  public double[] weights() {
    return weights.clone();
  }

  /**
   * Scores a generation batch.
   *
   * @param samples prompt-major: samples {@code g*G .. g*G+G-1} are the completions of prompt g
   * @param groupSize G
   */
  public RewardTable score(List<Sample> samples, int groupSize) {
    if (groupSize <= 0 || samples.size() % groupSize != 0) {
      throw new IllegalArgumentException(
          samples.size() + " samples do not form whole groups of " + groupSize);
    }
    Double[][] perFunc = new Double[samples.size()][names.size()];
    for (int start = 0; start < samples.size(); start += groupSize) {
      List<Sample> group = samples.subList(start, start + groupSize);
      for (int k = 0; k < funcs.size(); k++) {
        Double[] values = funcs.get(k).score(group);
        if (values.length != groupSize) {
          throw new IllegalStateException(
              "reward function "
                  + names.get(k)
                  + " returned "
                  + values.length
                  + " values for "
                  + groupSize);
        }
        for (int j = 0; j < groupSize; j++) {
          perFunc[start + j][k] = values[j];
        }
      }
    }
    return new RewardTable(names, weights, perFunc);
  }
}
