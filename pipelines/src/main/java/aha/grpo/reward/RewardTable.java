package aha.grpo.reward;

import aha.grpo.Advantages;
import aha.grpo.NanStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Raw rewards of one generation batch, {@code (rows, functions)}, and their weighted combination.
 *
 * <p>Combination (TRL's {@code sum_then_normalize}): {@code reward_i = sum_k w_k * r_ik} where a
 * null term adds nothing; a row where every function is null is unscorable and its total is NaN,
 * which {@link Advantages#compute} leaves out of the group statistics.
 */
public final class RewardTable {
  private final List<String> names;
  private final double[] weights;
  private final Double[][] perFunc;
  private final double[] totals;

  /**
   * @param perFunc {@code (rows, functions)} raw rewards, null where a function could not score
   */
  public RewardTable(List<String> names, double[] weights, Double[][] perFunc) {
    if (weights.length != names.size()) {
      throw new IllegalArgumentException(
          weights.length + " weights for " + names.size() + " functions");
    }
    this.names = List.copyOf(names);
    this.weights = weights.clone();
    this.perFunc = perFunc;
    this.totals = new double[perFunc.length];
    for (int i = 0; i < perFunc.length; i++) {
      totals[i] = combine(perFunc[i], weights);
    }
  }

  /** The weighted sum of one row; NaN when every term is null. */
  public static double combine(Double[] row, double[] weights) {
    double sum = 0;
    boolean any = false;
    for (int k = 0; k < row.length; k++) {
      if (row[k] != null) {
        sum += weights[k] * row[k];
        any = true;
      }
    }
    return any ? sum : Double.NaN;
  }

  /** The combined reward per row, NaN for an unscorable row. */
  public double[] totals() {
    return totals.clone();
  }

  /** Raw values of function {@code k} per row, NaN where it returned null. */
  public double[] column(int k) {
    double[] out = new double[perFunc.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = perFunc[i][k] == null ? Double.NaN : perFunc[i][k];
    }
    return out;
  }

  public Double value(int row, int k) {
    return perFunc[row][k];
  }

  public List<String> names() {
    return names;
  }

  public int rows() {
    return perFunc.length;
  }

  /**
   * The reward metrics TRL logs: {@code reward}, {@code reward_std} (mean and sample std of the
   * combined rewards over the batch), {@code frac_reward_zero_std}, and {@code
   * rewards/<func>/mean|std} per raw function. Nulls are skipped; a mean over no values is NaN and
   * the std of fewer than two values is 0.
   */
  public Map<String, Double> metrics(Advantages advantages) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("reward", NanStats.mean(totals));
    m.put("reward_std", NanStats.std(totals));
    m.put("frac_reward_zero_std", advantages.fracRewardZeroStd());
    for (int k = 0; k < names.size(); k++) {
      double[] col = column(k);
      m.put("rewards/" + names.get(k) + "/mean", NanStats.mean(col));
      m.put("rewards/" + names.get(k) + "/std", NanStats.std(col));
    }
    return m;
  }
}
