package aha.grpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loss-side metrics TRL logs for one micro-batch. A masked mean is {@code sum(mask * x) /
 * max(1, sum mask)} over the whole micro-batch. Clipping counts only where it binds: the lower clip
 * when {@code ratio < 1 - epsilon} with a negative advantage, the upper clip when {@code ratio > 1
 * + epsilon_high} with a positive one.
 *
 * @param clipRatioLowMean masked mean of the binding lower clip
 * @param clipRatioLowMin smallest per-row masked mean of it (fully masked rows skipped)
 * @param clipRatioHighMean masked mean of the binding upper clip
 * @param clipRatioHighMax largest per-row masked mean of it (fully masked rows skipped)
 * @param clipRatioRegionMean masked mean of either
 * @param ratioBelowLowBound masked mean of {@code ratio < 1 - epsilon} whatever the advantage's
 *     sign (not a TRL metric: shows how far the policy moved)
 * @param ratioAboveHighBound masked mean of {@code ratio > 1 + epsilon_high}
 * @param klMean masked mean of the k3 KL; NaN without reference log-probs
 * @param numLossTokens {@code sum(mask)}
 */
public record LossMetrics(
    double clipRatioLowMean,
    double clipRatioLowMin,
    double clipRatioHighMean,
    double clipRatioHighMax,
    double clipRatioRegionMean,
    double ratioBelowLowBound,
    double ratioAboveHighBound,
    double klMean,
    long numLossTokens) {

  /**
   * Computes the metrics on the host from detached arrays: {@code ratio}, {@code kl}, {@code mask}
   * of shape {@code (rows, T)} and {@code adv} of shape {@code (rows, 1)}.
   */
  static LossMetrics of(
      NDArray ratio, NDArray kl, NDArray adv, NDArray mask, double epsilon, double epsilonHigh) {
    int rows = (int) ratio.getShape().get(0);
    int width = (int) ratio.getShape().get(1);
    double[] r = ratio.toType(DataType.FLOAT64, false).toDoubleArray();
    double[] a = adv.toType(DataType.FLOAT64, false).toDoubleArray();
    double[] m = mask.toType(DataType.FLOAT64, false).toDoubleArray();
    double[] k = kl == null ? null : kl.toType(DataType.FLOAT64, false).toDoubleArray();

    double tokens = 0;
    double low = 0;
    double high = 0;
    double below = 0;
    double above = 0;
    double klSum = 0;
    double lowMin = Double.NaN;
    double highMax = Double.NaN;
    for (int i = 0; i < rows; i++) {
      double rowTokens = 0;
      double rowLow = 0;
      double rowHigh = 0;
      for (int t = 0; t < width; t++) {
        int j = i * width + t;
        double w = m[j];
        if (w == 0) {
          continue;
        }
        boolean isBelow = r[j] < 1 - epsilon;
        boolean isAbove = r[j] > 1 + epsilonHigh;
        rowTokens += w;
        rowLow += (isBelow && a[i] < 0) ? w : 0;
        rowHigh += (isAbove && a[i] > 0) ? w : 0;
        below += isBelow ? w : 0;
        above += isAbove ? w : 0;
        if (k != null) {
          klSum += w * k[j];
        }
      }
      tokens += rowTokens;
      low += rowLow;
      high += rowHigh;
      if (rowTokens > 0) {
        lowMin = Double.isNaN(lowMin) ? rowLow / rowTokens : Math.min(lowMin, rowLow / rowTokens);
        highMax =
            Double.isNaN(highMax) ? rowHigh / rowTokens : Math.max(highMax, rowHigh / rowTokens);
      }
    }
    double denom = Math.max(1.0, tokens);
    return new LossMetrics(
        low / denom,
        Double.isNaN(lowMin) ? 0.0 : lowMin,
        high / denom,
        Double.isNaN(highMax) ? 0.0 : highMax,
        (low + high) / denom,
        below / denom,
        above / denom,
        k == null ? Double.NaN : klSum / denom,
        Math.round(tokens));
  }

  /**
   * TRL's log keys: {@code clip_ratio/low_mean}, {@code clip_ratio/low_min}, {@code
   * clip_ratio/high_mean}, {@code clip_ratio/high_max}, {@code clip_ratio/region_mean}, {@code kl}
   * (only with reference log-probs), {@code num_loss_tokens}.
   */
  public Map<String, Double> toMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("clip_ratio/low_mean", clipRatioLowMean);
    m.put("clip_ratio/low_min", clipRatioLowMin);
    m.put("clip_ratio/high_mean", clipRatioHighMean);
    m.put("clip_ratio/high_max", clipRatioHighMax);
    m.put("clip_ratio/region_mean", clipRatioRegionMean);
    if (!Double.isNaN(klMean)) {
      m.put("kl", klMean);
    }
    m.put("num_loss_tokens", (double) numLossTokens);
    return m;
  }
}
