package aha.grpo;

/**
 * What the loss aggregations normalise by, beyond the micro-batch itself.
 *
 * @param maxCompletionLength L, Dr. GRPO's constant per-row normaliser
 * @param batchLossTokens loss tokens in the whole generation batch (all micro-batches of the
 *     optimizer step), DAPO's normaliser
 * @param microBatches micro-batches (gradient accumulation steps) per optimizer step; the other
 *     variants divide by it, as TRL divides by {@code gradient_accumulation_steps}
 */
public record LossScale(int maxCompletionLength, double batchLossTokens, int microBatches) {
  public LossScale {
    if (maxCompletionLength <= 0 || microBatches <= 0 || batchLossTokens < 0) {
      throw new IllegalArgumentException(
          "bad loss scale: L="
              + maxCompletionLength
              + " tokens="
              + batchLossTokens
              + " micro-batches="
              + microBatches);
    }
  }

  /** One micro-batch that is the whole generation batch. */
  public static LossScale single(int maxCompletionLength, double lossTokens) {
    return new LossScale(maxCompletionLength, lossTokens, 1);
  }
}
