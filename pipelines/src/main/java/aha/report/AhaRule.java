package aha.report;

import aha.recipe.Checks;

/**
 * How the report finds the aha step in GRPO's per-step metrics (reward, completion length,
 * reflection rate). For each series x over steps 1..T:
 *
 * <ul>
 *   <li>smoothed s(t) = mean of x over the trailing {@code window} steps ending at t (fewer at the
 *       start): no look-ahead, so "by step t" means what the model had done by then;
 *   <li>baseline = mean of x over the first {@code early_steps} steps; spread = standard deviation
 *       of x over all steps; threshold = baseline + {@code margin} x spread.
 * </ul>
 *
 * The aha step is the first step t after the early window such that, at t and at every later step,
 * all three smoothed series are above their thresholds, and that stretch lasts at least one window.
 * A series that never changes (spread 0) cannot rise, so then there is no aha step. Null fields
 * default to a tenth of the run (at least 3 steps) and a margin of 0.5.
 */
public record AhaRule(Integer window, Integer earlySteps, Double margin) {
  public static final AhaRule DEFAULT = new AhaRule(null, null, null);

  public int windowFor(int steps) {
    return window != null ? window : Math.max(3, steps / 10);
  }

  public int earlyFor(int steps) {
    return earlySteps != null ? earlySteps : Math.max(3, steps / 10);
  }

  public double marginOrDefault() {
    return margin != null ? margin : 0.5;
  }

  void validate(Checks c) {
    c.range(window, "window", 1, 1_000_000);
    c.range(earlySteps, "early_steps", 1, 1_000_000);
    c.range(margin, "margin", 0, 100);
  }

  /** The rule in words, for report.md and summary.json. */
  public String describe(int steps) {
    return String.format(
        java.util.Locale.ROOT,
        "first step t > %d where the %d-step trailing means of reward, completion length and reflection rate are all"
            + " above (mean of steps 1-%d) + %.2f x (std over the run), and stay above at every later step for at least %d steps",
        earlyFor(steps),
        windowFor(steps),
        earlyFor(steps),
        marginOrDefault(),
        windowFor(steps));
  }
}
