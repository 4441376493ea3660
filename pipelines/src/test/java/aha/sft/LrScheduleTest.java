package aha.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Values computed by hand from transformers' schedule formulas (step s uses the factor at s - 1). */
class LrScheduleTest {
  @Test
  void linearWarmsUpThenDecaysToZero() {
    LrSchedule s = LrSchedule.of("linear", 1.0, 0.2, 10, null); // warmup ceil(2.0) = 2
    assertThat(s.warmupSteps()).isEqualTo(2);
    double[] expected = {0.0, 0.5, 1.0, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125};
    for (int step = 1; step <= 10; step++) assertThat(s.lr(step)).as("step %d", step).isCloseTo(expected[step - 1], within(1e-12));
  }

  @Test
  void cosineFollowsHalfACosine() {
    LrSchedule s = LrSchedule.of("cosine", 2.0, 0.0, 4, null);
    // factor(k) = 0.5 (1 + cos(pi k / 4)), k = 0..3
    assertThat(s.lr(1)).isCloseTo(2.0, within(1e-12));
    assertThat(s.lr(2)).isCloseTo(2.0 * 0.5 * (1 + Math.sqrt(0.5)), within(1e-12));
    assertThat(s.lr(3)).isCloseTo(1.0, within(1e-12));
    assertThat(s.lr(4)).isCloseTo(2.0 * 0.5 * (1 - Math.sqrt(0.5)), within(1e-12));
  }

  @Test
  void cosineWithMinLrStaysAboveTheFloor() {
    LrSchedule s = LrSchedule.of("cosine_with_min_lr", 1.0, 0.25, 8, 0.1); // warmup 2, 6 decay steps
    assertThat(s.lr(1)).isEqualTo(0.0);
    assertThat(s.lr(2)).isCloseTo(0.5, within(1e-12));
    assertThat(s.lr(3)).isCloseTo(1.0, within(1e-12));
    // k = 5: progress 3/6, cos factor 0.5 -> 0.5 * 0.9 + 0.1
    assertThat(s.lr(6)).isCloseTo(0.55, within(1e-12));
    // k = 7: progress 5/6
    assertThat(s.lr(8)).isCloseTo(0.5 * (1 + Math.cos(Math.PI * 5 / 6)) * 0.9 + 0.1, within(1e-12));
    assertThat(s.lr(8)).isGreaterThan(0.1);
  }

  @Test
  void constantWithWarmup() {
    LrSchedule s = LrSchedule.of("constant_with_warmup", 3e-3, 0.1, 30, null); // warmup 3
    assertThat(s.lr(1)).isEqualTo(0.0);
    assertThat(s.lr(2)).isCloseTo(1e-3, within(1e-15));
    assertThat(s.lr(3)).isCloseTo(2e-3, within(1e-15));
    assertThat(s.lr(4)).isCloseTo(3e-3, within(1e-15));
    assertThat(s.lr(30)).isCloseTo(3e-3, within(1e-15));
  }
}
