package aha.grpo;

import aha.BadInputException;

/**
 * The loss settings of a GRPO stage, with TRL's names.
 *
 * @param lossType {@code loss_type}
 * @param epsilon {@code epsilon}: the ratio is clipped below at {@code 1 - epsilon}
 * @param epsilonHigh {@code epsilon_high}: clipped above at {@code 1 + epsilon_high}; null means
 *     {@code epsilon} (DAPO's clip-higher uses 0.28)
 * @param beta {@code beta}: coefficient of the k3 KL to the reference; 0 turns the reference off
 */
public record LossConfig(LossType lossType, double epsilon, Double epsilonHigh, double beta) {
  public LossConfig {
    if (lossType == null) {
      throw new BadInputException("loss_type is required: one of grpo, bnpo, dr_grpo, dapo.");
    }
    if (!(epsilon > 0 && epsilon < 1)) {
      throw new BadInputException("epsilon must lie in (0, 1), got " + epsilon + ".");
    }
    if (epsilonHigh != null && !(epsilonHigh > 0)) {
      throw new BadInputException("epsilon_high must be positive, got " + epsilonHigh + ".");
    }
    if (!(beta >= 0) || Double.isInfinite(beta)) {
      throw new BadInputException("beta must be zero or positive, got " + beta + ".");
    }
  }

  /** {@code epsilon_high}, defaulting to {@code epsilon}. */
  public double upperEpsilon() {
    return epsilonHigh == null ? epsilon : epsilonHigh;
  }
}
