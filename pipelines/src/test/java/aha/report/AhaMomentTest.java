package aha.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The aha rule on short series worked out by hand (window 2, early window 3, margin 0.5). */
class AhaMomentTest {
  static final AhaRule RULE = new AhaRule(2, 3, 0.5);

  @Test
  void findsTheFirstStepOfTheFinalStretchWhereAllThreeAreUp() {
    double[] reward = {0, 0, 0, 0, 1, 1, 1, 1};
    double[] length = {10, 10, 10, 10, 30, 30, 30, 30};
    double[] reflect = {0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5};
    AhaMoment a = AhaMoment.find(RULE, reward, length, reflect);
    // reward: early mean 0, std 0.5, threshold 0.25; trailing means 0,0,0,0,0.5,1,1,1: above from
    // step 5
    assertThat(a.step()).isEqualTo(5);
    assertThat(a.thresholds()[0]).isCloseTo(0.25, within(1e-12));
    assertThat(a.thresholds()[1]).isCloseTo(15, within(1e-12));
    assertThat(a.thresholds()[2]).isCloseTo(0.125, within(1e-12));
  }

  @Test
  void theLastSeriesToRiseSetsTheStep() {
    double[] reward = {0, 0, 0, 1, 1, 1, 1, 1};
    double[] length = {10, 10, 10, 30, 30, 30, 30, 30};
    double[] reflect = {0, 0, 0, 0, 0, 0, 1, 1};
    // reflection: mean 0.25, std sqrt(0.1875) ~ 0.433, threshold 0 + 0.2165; trailing means ... 0,
    // 0.5, 1 -> step 7
    assertThat(AhaMoment.find(RULE, reward, length, reflect).step()).isEqualTo(7);
  }

  @Test
  void aRiseThatFallsBackIsNotAnAhaStep() {
    double[] reward = {0, 0, 0, 1, 1, 1, 0, 0};
    double[] length = {10, 10, 10, 30, 30, 30, 10, 10};
    double[] reflect = {0, 0, 0, 1, 1, 1, 0, 0};
    AhaMoment a = AhaMoment.find(RULE, reward, length, reflect);
    assertThat(a.step()).isNull();
    assertThat(a.why()).contains("lasting to the end");
  }

  @Test
  void aFlatSeriesOrAShortRunHasNone() {
    double[] up = {0, 0, 0, 1, 1, 1, 1, 1};
    double[] flat = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
    assertThat(AhaMoment.find(RULE, up, up, flat).why()).contains("reflection rate never changes");
    assertThat(
            AhaMoment.find(
                    RULE,
                    new double[] {0, 1, 1, 1},
                    new double[] {0, 1, 1, 1},
                    new double[] {0, 1, 1, 1})
                .why())
        .contains("fewer than the early window");
  }

  @Test
  void trailingMeanUsesFewerStepsAtTheStart() {
    assertThat(AhaMoment.trailingMean(new double[] {2, 4, 6, 8}, 3)).containsExactly(2, 3, 4, 6);
  }

  @Test
  void aStepWithoutAValueTakesThePreviousOne() {
    double[] reward = {0, 0, 0, 0, 1, Double.NaN, 1, 1};
    double[] length = {10, 10, 10, 10, 30, 30, 30, 30};
    double[] reflect = {Double.NaN, 0, 0, 0, 0.5, 0.5, 0.5, 0.5};
    assertThat(AhaMoment.carryForward(reflect)).containsExactly(0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5);
    assertThat(AhaMoment.find(RULE, reward, length, reflect).step()).isEqualTo(5);
  }
}
