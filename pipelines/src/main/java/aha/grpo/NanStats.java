package aha.grpo;

/**
 * Mean and sample standard deviation over the values that are present: NaN marks a missing value
 * (an unscorable reward), as in TRL's {@code nanmean}/{@code nanstd}.
 */
public final class NanStats {
  private NanStats() {}

  /** Mean of the non-NaN values of {@code x[from..to)}; NaN when there are none. */
  public static double mean(double[] x, int from, int to) {
    double sum = 0;
    int n = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = from; i < to; i++) {
      if (!Double.isNaN(x[i])) {
        sum += x[i];
        n++;
        min = Math.min(min, x[i]);
        max = Math.max(max, x[i]);
      }
    }
    if (n == 0) {
      return Double.NaN;
    }
    // equal values give their value exactly, so a zero-spread group centres to exactly 0
    return min == max ? min : sum / n;
  }

  /**
   * Sample standard deviation (divide by n-1, TRL's {@code nanstd}) of the non-NaN values of {@code
   * x[from..to)}. Fewer than two values have no spread: 0, where TRL would give NaN.
   */
  public static double std(double[] x, int from, int to) {
    double mean = mean(x, from, to);
    double ss = 0;
    int n = 0;
    for (int i = from; i < to; i++) {
      if (!Double.isNaN(x[i])) {
        double d = x[i] - mean;
        ss += d * d;
        n++;
      }
    }
    return n < 2 ? 0.0 : Math.sqrt(ss / (n - 1));
  }

  public static double mean(double[] x) {
    return mean(x, 0, x.length);
  }

  public static double std(double[] x) {
    return std(x, 0, x.length);
  }
}
