package aha.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * The unbiased pass@k estimator of Chen et al. (2021, "Evaluating Large Language Models Trained on
 * Code"): with n samples of which c are correct, pass@k = 1 - C(n-c, k) / C(n, k), the chance that
 * k of the n samples drawn without replacement include a correct one. At k = 1 it is c / n, the
 * per-problem score lighteval averages for open-r1's pass@1.
 */
public final class PassAtK {
  private PassAtK() {}

  /** pass@k for one problem; {@code 0 <= c <= n}, {@code 1 <= k <= n}. */
  public static double estimate(int n, int c, int k) {
    if (n < 1 || c < 0 || c > n || k < 1 || k > n) {
      throw new IllegalArgumentException(
          "need 0 <= c <= n and 1 <= k <= n, got n=" + n + " c=" + c + " k=" + k);
    }
    if (n - c < k) return 1.0;
    // C(n-c,k)/C(n,k) = prod_{i=n-c+1}^{n} (1 - k/i): a product of numbers in (0,1], no overflow
    double missAll = 1.0;
    for (int i = n - c + 1; i <= n; i++) missAll *= 1.0 - (double) k / i;
    return 1.0 - missAll;
  }

  /** The k reported for n samples: 1, 2, 4, ... below n, and n itself. */
  public static List<Integer> ks(int n) {
    List<Integer> out = new ArrayList<>();
    for (int k = 1; k < n; k *= 2) out.add(k);
    out.add(n);
    return out;
  }
}
