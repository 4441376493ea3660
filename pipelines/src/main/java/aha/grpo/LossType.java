package aha.grpo;

import aha.BadInputException;
import aha.model.Scalars;
import ai.djl.ndarray.NDArray;
import java.util.Locale;

/**
 * TRL's {@code loss_type}: how the masked per-token losses {@code (rows, T)} become one scalar.
 * Each variant is one small aggregation over the same masked sum; they differ only in the
 * normaliser.
 */
public enum LossType {
  /** DeepSeekMath: per-sequence token mean, then the mean over all rows (length-biased). */
  GRPO {
    @Override
    NDArray aggregate(NDArray maskedLoss, NDArray mask, LossScale scale) {
      NDArray perRow = maskedLoss.sum(new int[] {1}).div(atLeastOne(mask.sum(new int[] {1})));
      return divide(perRow.mean(), scale.microBatches());
    }
  },
  /** Token mean over the local micro-batch. */
  BNPO {
    @Override
    NDArray aggregate(NDArray maskedLoss, NDArray mask, LossScale scale) {
      return divide(maskedLoss.sum().div(atLeastOne(mask.sum())), scale.microBatches());
    }
  },
  /** Dr. GRPO: a constant normaliser, rows times {@code max_completion_length}. */
  DR_GRPO {
    @Override
    NDArray aggregate(NDArray maskedLoss, NDArray mask, LossScale scale) {
      long rows = maskedLoss.getShape().get(0);
      return divide(
          maskedLoss.sum(), (double) rows * scale.maxCompletionLength() * scale.microBatches());
    }
  },
  /** DAPO: token mean over the whole generation batch, whatever the micro-batch split. */
  DAPO {
    @Override
    NDArray aggregate(NDArray maskedLoss, NDArray mask, LossScale scale) {
      return divide(maskedLoss.sum(), Math.max(1.0, scale.batchLossTokens()));
    }
  };

  /**
   * Reduces {@code maskedLoss = mask * tokenLoss}, shape {@code (rows, T)}, to the scalar loss of
   * this micro-batch, already divided so that the micro-batches of one optimizer step add up.
   */
  abstract NDArray aggregate(NDArray maskedLoss, NDArray mask, LossScale scale);

  /** The recipe name: grpo, bnpo, dr_grpo, dapo. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a recipe's {@code loss_type}. */
  public static LossType parse(String value) {
    for (LossType t : values()) {
      if (t.key().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new BadInputException(
        "loss_type must be one of grpo, bnpo, dr_grpo, dapo, got '" + value + "'.");
  }

  /** {@code max(1, x)}: a fully masked row or batch contributes 0 instead of 0/0. */
  private static NDArray atLeastOne(NDArray count) {
    return count.maximum(Scalars.of(count, 1.0));
  }

  /**
   * {@code x / d} in x's dtype. A Java number would become a 0-dim float64 tensor (PyTorch then
   * promotes a 0-dim float32 sum divided by it to float64) over memory that DJL frees too early
   * for the backward pass; see {@link Scalars}.
   */
  private static NDArray divide(NDArray x, double d) {
    return x.div(Scalars.of(x, d));
  }
}
