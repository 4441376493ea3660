package aha.model;

import java.util.Arrays;
import java.util.Random;

/** Picks a token from one row of logits by {@link SamplingParams}; plain Java, no arrays. */
final class TokenSampler {
  private final SamplingParams params;

  TokenSampler(SamplingParams params) {
    this.params = params;
  }

  /** The chosen token id. */
  int pick(float[] logits, Random rng) {
    if (params.temperature() == 0) return argmax(logits);
    int v = logits.length;
    double max = Double.NEGATIVE_INFINITY;
    for (float x : logits) max = Math.max(max, x);
    double[] p = new double[v];
    double sum = 0;
    for (int i = 0; i < v; i++) {
      p[i] = Math.exp((logits[i] - max) / params.temperature());
      sum += p[i];
    }
    for (int i = 0; i < v; i++) p[i] /= sum;
    boolean[] keep = new boolean[v];
    Arrays.fill(keep, true);
    if (params.topK() > 0 || params.topP() < 1) {
      Integer[] order = new Integer[v];
      for (int i = 0; i < v; i++) order[i] = i;
      Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
      double cum = 0;
      for (int r = 0; r < v; r++) {
        int i = order[r];
        // keep the smallest prefix whose mass reaches top_p (the token crossing it is kept)
        boolean inTopK = params.topK() == 0 || r < params.topK();
        boolean inTopP = cum < params.topP();
        keep[i] = inTopK && inTopP;
        cum += p[i];
      }
    }
    if (params.minP() > 0) {
      double pmax = 0;
      for (double x : p) pmax = Math.max(pmax, x);
      for (int i = 0; i < v; i++) if (p[i] < params.minP() * pmax) keep[i] = false;
    }
    double kept = 0;
    for (int i = 0; i < v; i++) if (keep[i]) kept += p[i];
    double u = rng.nextDouble() * kept;
    int last = -1;
    for (int i = 0; i < v; i++) {
      if (!keep[i]) continue;
      last = i;
      u -= p[i];
      if (u < 0) return i;
    }
    return last; // rounding left u just above 0
  }

  static int argmax(float[] x) {
    int best = 0;
    for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
    return best;
  }

  /** log_softmax(logits)[token], in double. */
  static float logProb(float[] logits, int token) {
    double max = Double.NEGATIVE_INFINITY;
    for (float x : logits) max = Math.max(max, x);
    double sum = 0;
    for (float x : logits) sum += Math.exp(x - max);
    return (float) (logits[token] - max - Math.log(sum));
  }
}
