package aha.grpo;

import aha.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * The GRPO policy loss of one micro-batch, in NDArray ops so gradients flow into the new log-probs.
 * Per token (TRL's {@code _compute_loss}, token-level importance sampling):
 *
 * <pre>
 * ratio   = exp(new - old)
 * pg      = -min(ratio * A, clamp(ratio, 1 - epsilon, 1 + epsilon_high) * A)
 * kl      = exp(ref - new) - (ref - new) - 1          (k3 estimator, >= 0)
 * loss_t  = pg + beta * kl
 * </pre>
 *
 * then {@link LossType#aggregate} over the loss mask.
 */
public final class GrpoLoss {
  private GrpoLoss() {}

  /**
   * The tensors of one micro-batch; all per-token arrays have shape {@code (rows, T)} and one
   * floating dtype.
   *
   * @param newLogprobs log-probs of the sampled tokens under the current policy (carry gradients)
   * @param oldLogprobs under the policy that sampled them; null means on-policy (the detached new
   *     log-probs: ratio 1, as TRL with {@code num_iterations = 1})
   * @param refLogprobs under the frozen reference; may be null when beta = 0 (then no KL metric)
   * @param advantages {@code (rows)}, one per completion
   * @param lossMask {@code (rows, T)}, see {@link LossMask}
   */
  public record Batch(
      NDArray newLogprobs,
      NDArray oldLogprobs,
      NDArray refLogprobs,
      NDArray advantages,
      NDArray lossMask) {}

  /**
   * The loss and its per-token parts.
   *
   * @param loss scalar, differentiable w.r.t. the new log-probs
   * @param ratio {@code (rows, T)} importance ratio
   * @param perTokenKl {@code (rows, T)} k3 KL, or null without reference log-probs
   * @param perTokenLoss {@code (rows, T)} before masking
   * @param metrics clip ratios, KL and token count, computed from detached copies
   */
  public record Result(
      NDArray loss, NDArray ratio, NDArray perTokenKl, NDArray perTokenLoss, LossMetrics metrics) {}

  /** Computes the loss of one micro-batch. */
  public static Result compute(LossConfig config, Batch batch, LossScale scale) {
    NDArray logp = batch.newLogprobs();
    NDArray old = batch.oldLogprobs() == null ? logp.stopGradient() : batch.oldLogprobs();
    NDArray mask = batch.lossMask();
    // (rows) -> (rows, 1) so one advantage multiplies every token of its completion
    NDArray adv = batch.advantages().reshape(batch.advantages().getShape().get(0), 1);

    NDArray ratio = logp.sub(old).exp();
    NDArray clipped = ratio.clip(1.0 - config.epsilon(), 1.0 + config.upperEpsilon());
    NDArray tokenLoss = NDArrays.minimum(ratio.mul(adv), clipped.mul(adv)).neg();

    NDArray kl = null;
    if (batch.refLogprobs() != null) {
      NDArray d = batch.refLogprobs().sub(logp);
      kl = d.exp().sub(d).sub(Scalars.of(d, 1.0));
      if (config.beta() != 0.0) {
        tokenLoss = tokenLoss.add(kl.mul(Scalars.of(kl, config.beta())));
      }
    } else if (config.beta() != 0.0) {
      throw new IllegalArgumentException("beta = " + config.beta() + " needs reference log-probs");
    }

    NDArray loss = config.lossType().aggregate(tokenLoss.mul(mask), mask, scale);
    LossMetrics metrics =
        LossMetrics.of(
            ratio.stopGradient(),
            kl == null ? null : kl.stopGradient(),
            adv.stopGradient(),
            mask,
            config.epsilon(),
            config.upperEpsilon());
    return new Result(loss, ratio, kl, tokenLoss, metrics);
  }
}
