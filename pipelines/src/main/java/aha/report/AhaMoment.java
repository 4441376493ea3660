package aha.report;

import java.util.Arrays;

/**
 * The result of applying an {@link AhaRule} to per-step series (index 0 is step 1).
 *
 * @param step the aha step (1-based), or null when no step meets the rule
 * @param thresholds per series (reward, length, reflection), NaN when the run is too short
 * @param why one sentence on why there is no step (null when there is one)
 */
public record AhaMoment(Integer step, double[] thresholds, String why) {

  /** Applies the rule; the three series must have the same length. */
  public static AhaMoment find(
      AhaRule rule, double[] reward, double[] length, double[] reflection) {
    int n = reward.length;
    if (length.length != n || reflection.length != n)
      throw new IllegalArgumentException("series differ in length");
    int w = rule.windowFor(n);
    int early = rule.earlyFor(n);
    double[] none = {Double.NaN, Double.NaN, Double.NaN};
    if (n < early + w) {
      return new AhaMoment(
          null,
          none,
          "the run has "
              + n
              + " steps, fewer than the early window ("
              + early
              + ") plus one smoothing window ("
              + w
              + ")");
    }
    double[][] series = {carryForward(reward), carryForward(length), carryForward(reflection)};
    String[] names = {"reward", "completion length", "reflection rate"};
    double[] thresholds = new double[3];
    double[][] smooth = new double[3][];
    for (int k = 0; k < 3; k++) {
      double spread = std(series[k]);
      // rounding leaves a constant series a spread of ~1e-17, not 0
      if (!(spread > 1e-9 * Math.max(1.0, Math.abs(mean(series[k]))))) {
        return new AhaMoment(null, none, names[k] + " never changes over the run");
      }
      thresholds[k] =
          mean(Arrays.copyOfRange(series[k], 0, early)) + rule.marginOrDefault() * spread;
      smooth[k] = trailingMean(series[k], w);
    }
    // walk back from the last step while every smoothed series is above its threshold
    int first = n; // 0-based index of the first step of the final stretch above
    while (first > 0 && allAbove(smooth, thresholds, first - 1)) first--;
    first = Math.max(first, early); // the aha step comes after the early window
    if (first >= n || n - first < w) {
      return new AhaMoment(
          null,
          thresholds,
          "no step after the early window starts a stretch of at least "
              + w
              + " steps, lasting to the end, where reward, completion length and reflection rate are all above their thresholds");
    }
    return new AhaMoment(first + 1, thresholds, null);
  }

  private static boolean allAbove(double[][] smooth, double[] thresholds, int i) {
    for (int k = 0; k < 3; k++) if (!(smooth[k][i] > thresholds[k])) return false;
    return true;
  }

  /**
   * A step that logged no value (null in metrics.jsonl, NaN here) takes the previous step's value
   * (the first logged value for leading gaps), so one empty step neither breaks nor makes a
   * stretch.
   */
  static double[] carryForward(double[] x) {
    double[] out = x.clone();
    double last = Double.NaN;
    for (double v : x) {
      if (!Double.isNaN(v)) {
        last = v;
        break;
      }
    }
    for (int i = 0; i < out.length; i++) {
      if (Double.isNaN(out[i])) out[i] = last;
      else last = out[i];
    }
    return out;
  }

  /** s[t] = mean of x[max(0, t-w+1) .. t]. */
  static double[] trailingMean(double[] x, int w) {
    double[] s = new double[x.length];
    double sum = 0;
    for (int t = 0; t < x.length; t++) {
      sum += x[t];
      if (t >= w) sum -= x[t - w];
      s[t] = sum / Math.min(t + 1, w);
    }
    return s;
  }

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) s += v;
    return s / x.length;
  }

  /** Population standard deviation. */
  static double std(double[] x) {
    double m = mean(x);
    double s = 0;
    for (double v : x) s += (v - m) * (v - m);
    return Math.sqrt(s / x.length);
  }
}
