package aha.eval;

/**
 * A mean over problems with its standard error: s / sqrt(N) with s the sample standard deviation (N
 * - 1 in the denominator). The error is over problems, not samples: samples of one problem are not
 * independent draws of the benchmark. NaN when fewer than two problems.
 */
public record MeanWithError(double mean, double stderr, int count) {
  public static MeanWithError of(double[] values) {
    int n = values.length;
    if (n == 0) return new MeanWithError(Double.NaN, Double.NaN, 0);
    double sum = 0;
    for (double v : values) sum += v;
    double mean = sum / n;
    if (n < 2) return new MeanWithError(mean, Double.NaN, n);
    double ss = 0;
    for (double v : values) ss += (v - mean) * (v - mean);
    return new MeanWithError(mean, Math.sqrt(ss / (n - 1) / n), n);
  }
}
