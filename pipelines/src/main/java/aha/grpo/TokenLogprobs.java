package aha.grpo;

import aha.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Per-token log-probs and entropy of a policy's logits at the sampling temperature. TRL divides the
 * logits by the temperature before the log-softmax, so the ratio and the KL are those of the
 * distribution the completions were actually sampled from.
 */
public final class TokenLogprobs {
  private TokenLogprobs() {}

  /**
   * {@code log softmax(logits / temperature)} at the sampled ids.
   *
   * @param logits {@code (rows, T, vocab)}: position t predicts completion token t
   * @param ids {@code (rows, T)} sampled token ids, an integer dtype (padding ids any valid id)
   * @return {@code (rows, T)}, differentiable w.r.t. the logits
   */
  public static NDArray of(NDArray logits, NDArray ids, double temperature) {
    return scaled(logits, temperature)
        .logSoftmax(-1)
        .gather(ids.toType(DataType.INT64, false).expandDims(-1), -1)
        .squeeze(-1);
  }

  /**
   * Entropy of {@code softmax(logits / temperature)} per position, {@code (rows, T)}: TRL's {@code
   * entropy} metric is its masked mean.
   */
  public static NDArray entropy(NDArray logits, double temperature) {
    NDArray logp = scaled(logits, temperature).logSoftmax(-1);
    return logp.exp().mul(logp).sum(new int[] {-1}).neg();
  }

  private static NDArray scaled(NDArray logits, double temperature) {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be positive: " + temperature);
    }
    return temperature == 1.0 ? logits : logits.div(Scalars.of(logits, temperature));
  }
}
