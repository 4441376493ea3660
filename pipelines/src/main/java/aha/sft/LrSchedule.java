package aha.sft;

/**
 * transformers' learning-rate schedules, as a function of the optimizer step. As in a PyTorch
 * LambdaLR stepped after each update, step s (1-based) uses the factor at s - 1, so with warm-up
 * the first step's rate is 0.
 *
 * @param type linear, cosine, cosine_with_min_lr or constant_with_warmup
 * @param warmupSteps ceil(warmup_ratio * total steps), as transformers computes it
 * @param minLrRate floor of cosine_with_min_lr, as a fraction of the peak
 */
public record LrSchedule(String type, double peak, int warmupSteps, int totalSteps, double minLrRate) {

  public static LrSchedule of(String type, double peak, double warmupRatio, int totalSteps, Double minLrRate) {
    int warmup = (int) Math.ceil(warmupRatio * totalSteps);
    return new LrSchedule(type, peak, warmup, totalSteps, minLrRate == null ? 0 : minLrRate);
  }

  /** The learning rate of optimizer step {@code step} (1-based). */
  public double lr(int step) {
    return peak * factor(step - 1);
  }

  double factor(int s) {
    if (s < warmupSteps) return (double) s / Math.max(1, warmupSteps);
    double progress = (double) (s - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
    switch (type) {
      case "linear":
        return Math.max(0.0, (double) (totalSteps - s) / Math.max(1, totalSteps - warmupSteps));
      case "cosine":
        return Math.max(0.0, 0.5 * (1 + Math.cos(Math.PI * progress)));
      case "cosine_with_min_lr":
        double cos = 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, progress)));
        return cos * (1 - minLrRate) + minLrRate;
      case "constant_with_warmup":
        return 1.0;
      default:
        throw new IllegalArgumentException("unknown lr_scheduler_type " + type);
    }
  }
}
