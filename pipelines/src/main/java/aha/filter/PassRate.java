package aha.filter;

import java.io.Serializable;
import java.util.List;

/**
 * open-r1's pass-rate filter for RL prompts (scripts/pass_rate_filtering): the pass rate of a
 * problem is the mean correctness over its generations with undecidable ones left out (nanmean),
 * and a problem is a useful GRPO prompt when it is neither always solved nor never solved.
 * open-r1 uses strict bounds ({@code min < rate < max}); here both bounds are included, so
 * {@code {min: 0, max: 1}} keeps every problem with a decided generation.
 */
public record PassRate(double min, double max) implements Serializable {
  /** Mean of the decided verdicts; NaN when none is decided. */
  public static double of(List<Boolean> verdicts) {
    int decided = 0;
    int correct = 0;
    for (Boolean v : verdicts) {
      if (v == null) continue;
      decided++;
      if (v) correct++;
    }
    return decided == 0 ? Double.NaN : (double) correct / decided;
  }

  public boolean contains(double rate) {
    return !Double.isNaN(rate) && rate >= min && rate <= max;
  }
}
