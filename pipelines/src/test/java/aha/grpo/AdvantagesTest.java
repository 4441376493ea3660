package aha.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import aha.BadInputException;
import org.junit.jupiter.api.Test;

class AdvantagesTest {
  private static final double NaN = Double.NaN;

  @Test
  void groupScaleDividesBySampleStdPlusEpsilon() {
    // group [1, 0, 0, 0]: mean 0.25, sample std sqrt((0.5625 + 3 * 0.0625) / 3) = 0.5
    Advantages a = Advantages.compute(new double[] {1, 0, 0, 0}, 4, ScaleRewards.GROUP);
    assertThat(a.values()[0]).isCloseTo(0.75 / 0.5001, offset(1e-12));
    assertThat(a.values()[1]).isCloseTo(-0.25 / 0.5001, offset(1e-12));
    assertThat(a.stdUsed()).containsExactly(0.5, 0.5, 0.5, 0.5);
  }

  @Test
  void noneOnlyCentres() {
    Advantages a = Advantages.compute(new double[] {1, 0, 0, 0, 2, 4}, 2, ScaleRewards.NONE);
    assertThat(a.values()).containsExactly(0.5, -0.5, 0.0, 0.0, -1.0, 1.0);
    assertThat(a.stdUsed()[0]).isNaN();
  }

  @Test
  void batchScaleCentresPerGroupButDividesByTheBatchStd() {
    double[] r = {1, 0, 0, 0, 1, 1, 0, 0};
    // batch mean 0.375; sample variance (3 * 0.625^2 + 5 * 0.375^2) / 7 = 1.875 / 7
    double std = Math.sqrt(1.875 / 7);
    Advantages a = Advantages.compute(r, 4, ScaleRewards.BATCH);
    assertThat(a.values()[0]).isCloseTo(0.75 / (std + 1e-4), offset(1e-12));
    assertThat(a.values()[4]).isCloseTo(0.5 / (std + 1e-4), offset(1e-12));
    assertThat(a.values()[7]).isCloseTo(-0.5 / (std + 1e-4), offset(1e-12));
  }

  @Test
  void groupOfOneHasNoSignal() {
    Advantages a = Advantages.compute(new double[] {3, -1, 0.5}, 1, ScaleRewards.GROUP);
    assertThat(a.values()).containsExactly(0.0, 0.0, 0.0);
    assertThat(a.fracRewardZeroStd()).isEqualTo(1.0);
  }

  @Test
  void equalRewardsGiveExactlyZero() {
    // 0.1 * 3 / 3 is not exactly 0.1 in floating point; the mean of equal values must be exact
    Advantages a = Advantages.compute(new double[] {0.1, 0.1, 0.1, 1, 0, 1}, 3, ScaleRewards.GROUP);
    assertThat(a.values()[0]).isEqualTo(0.0);
    assertThat(a.values()[1]).isEqualTo(0.0);
    assertThat(a.values()[2]).isEqualTo(0.0);
    assertThat(a.values()[3]).isGreaterThan(0);
    assertThat(a.zeroStd()).containsExactly(true, true, true, false, false, false);
    assertThat(a.fracRewardZeroStd()).isEqualTo(0.5);
  }

  @Test
  void unscorableRowsAreLeftOutAndGetZero() {
    // group [1, null, 0, 0]: mean 1/3, sample std sqrt(((2/3)^2 + 2 (1/3)^2) / 2) = sqrt(1/3)
    Advantages a = Advantages.compute(new double[] {1, NaN, 0, 0}, 4, ScaleRewards.GROUP);
    double std = Math.sqrt(1.0 / 3);
    assertThat(a.values()[0]).isCloseTo((2.0 / 3) / (std + 1e-4), offset(1e-12));
    assertThat(a.values()[1]).isEqualTo(0.0);
    assertThat(a.values()[2]).isCloseTo((-1.0 / 3) / (std + 1e-4), offset(1e-12));
  }

  @Test
  void allUnscorableGroupHasZeroAdvantages() {
    Advantages a = Advantages.compute(new double[] {NaN, NaN, 1, 0}, 2, ScaleRewards.GROUP);
    assertThat(a.values()[0]).isEqualTo(0.0);
    assertThat(a.values()[1]).isEqualTo(0.0);
    assertThat(a.values()[2]).isCloseTo(0.5 / (Math.sqrt(0.5) + 1e-4), offset(1e-12));
    Advantages none = Advantages.compute(new double[] {NaN, NaN}, 2, ScaleRewards.NONE);
    assertThat(none.values()).containsExactly(0.0, 0.0);
  }

  @Test
  void dynamicSamplingKeepsGroupsWithRewardSpread() {
    double[] r = {1, 1, 0, 1, NaN, 0, NaN, NaN, 0.5, 0.5};
    // groups: {1,1} none, {0,1} spread, {NaN,0} one value, {NaN,NaN} none, {0.5,0.5} none
    assertThat(Advantages.groupsWithSpread(r, 2)).containsExactly(1);
    assertThat(Advantages.groupsWithSpread(r, 5)).containsExactly(0, 1);
  }

  @Test
  void rowsMustFormWholeGroups() {
    assertThatThrownBy(() -> Advantages.compute(new double[] {1, 2, 3}, 2, ScaleRewards.GROUP))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void scaleRewardsParsesTrlValues() {
    assertThat(ScaleRewards.parse("group")).isEqualTo(ScaleRewards.GROUP);
    assertThat(ScaleRewards.parse("true")).isEqualTo(ScaleRewards.GROUP);
    assertThat(ScaleRewards.parse("false")).isEqualTo(ScaleRewards.NONE);
    assertThat(ScaleRewards.parse("Batch")).isEqualTo(ScaleRewards.BATCH);
    assertThatThrownBy(() -> ScaleRewards.parse("std"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("scale_rewards");
  }
}
