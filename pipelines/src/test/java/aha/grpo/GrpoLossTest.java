package aha.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import aha.BadInputException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** Hand-computed loss values, gradients and clip metrics for each loss type (float64). */
class GrpoLossTest {
  // two rows of width 3: row 0 has 3 tokens, row 1 has 1
  private static final double[][] MASK = {{1, 1, 1}, {1, 0, 0}};
  private static final double[] ADV = {1, -1};

  /** On-policy (ratio 1), beta 0: every token's loss is -A. */
  private static double onPolicyLoss(LossType type, LossScale scale, double[] grad) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logp = m.create(new double[][] {{-1, -2, -3}, {-0.5, -9, -9}});
      logp.setRequiresGradient(true);
      GrpoLoss.Result r;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        r =
            GrpoLoss.compute(
                new LossConfig(type, 0.2, null, 0.0),
                new GrpoLoss.Batch(logp, null, null, m.create(ADV), m.create(MASK)),
                scale);
        gc.backward(r.loss());
      }
      if (grad != null) {
        System.arraycopy(logp.getGradient().toDoubleArray(), 0, grad, 0, 6);
      }
      assertThat(r.metrics().clipRatioRegionMean()).isEqualTo(0.0);
      assertThat(r.metrics().klMean()).isNaN();
      return r.loss().getDouble();
    }
  }

  @Test
  void grpoAveragesEachRowThenTheRows() {
    // rows: (-1 -1 -1)/3 = -1 and (+1)/1 = 1; mean 0
    double[] grad = new double[6];
    assertThat(onPolicyLoss(LossType.GRPO, LossScale.single(5, 4), grad))
        .isCloseTo(0.0, offset(1e-15));
    // d/dlogp of -A * exp(logp - old) = -A at ratio 1, times 1/(row tokens) / rows
    assertThat(grad)
        .containsExactly(new double[] {-1.0 / 6, -1.0 / 6, -1.0 / 6, 0.5, 0, 0}, offset(1e-15));
  }

  @Test
  void bnpoAveragesOverTheMicroBatchTokens() {
    double[] grad = new double[6];
    assertThat(onPolicyLoss(LossType.BNPO, LossScale.single(5, 4), grad))
        .isCloseTo(-0.5, offset(1e-15));
    assertThat(grad).containsExactly(new double[] {-0.25, -0.25, -0.25, 0.25, 0, 0}, offset(1e-15));
  }

  @Test
  void drGrpoDividesByRowsTimesMaxCompletionLength() {
    // (-3 + 1) / (2 * 5)
    assertThat(onPolicyLoss(LossType.DR_GRPO, LossScale.single(5, 4), null))
        .isCloseTo(-0.2, offset(1e-15));
  }

  @Test
  void dapoDividesByTheWholeGenerationBatchTokens() {
    // this micro-batch has 4 tokens but the step's batch has 8
    assertThat(onPolicyLoss(LossType.DAPO, new LossScale(5, 8, 2), null))
        .isCloseTo(-0.25, offset(1e-15));
  }

  @Test
  void microBatchLossesAddUpToTheWholeBatchForDapoAndGrpo() {
    double[][] newLp = {
      {-1.0, -0.7, -2.2}, {-0.3, -1.1, -0.9}, {-2.0, -0.4, -0.6}, {-1.5, -1.2, -0.1}
    };
    double[][] oldLp = {
      {-1.2, -0.5, -2.0}, {-0.1, -1.3, -0.9}, {-1.6, -0.5, -0.9}, {-1.5, -1.0, -0.3}
    };
    double[][] mask = {{1, 1, 1}, {1, 1, 0}, {1, 0, 0}, {1, 1, 1}};
    double[] adv = {0.8, -0.4, 1.3, -1.7};
    for (LossType type : new LossType[] {LossType.DAPO, LossType.GRPO}) {
      double whole = loss(type, newLp, oldLp, mask, adv, new LossScale(4, 9, 1));
      double halves =
          loss(
                  type,
                  sub(newLp, 0),
                  sub(oldLp, 0),
                  sub(mask, 0),
                  new double[] {adv[0], adv[1]},
                  new LossScale(4, 9, 2))
              + loss(
                  type,
                  sub(newLp, 2),
                  sub(oldLp, 2),
                  sub(mask, 2),
                  new double[] {adv[2], adv[3]},
                  new LossScale(4, 9, 2));
      assertThat(halves).as(type.key()).isCloseTo(whole, offset(1e-14));
    }
  }

  private static double[][] sub(double[][] x, int from) {
    return new double[][] {x[from], x[from + 1]};
  }

  private static double loss(
      LossType type,
      double[][] newLp,
      double[][] oldLp,
      double[][] mask,
      double[] adv,
      LossScale scale) {
    try (NDManager m = NDManager.newBaseManager()) {
      return GrpoLoss.compute(
              new LossConfig(type, 0.2, null, 0.0),
              new GrpoLoss.Batch(
                  m.create(newLp), m.create(oldLp), null, m.create(adv), m.create(mask)),
              scale)
          .loss()
          .getDouble();
    }
  }

  @Test
  void upperClipBindsOnlyForPositiveAdvantageAndStopsTheGradient() {
    // ratio 1.5 on one token; A = +1 is clipped at 1.2 (eps 0.2), not at 1.6 (eps_high 0.6)
    double lr = Math.log(1.5);
    double[] clipped = oneToken(1.0, lr, null, 0.0, 0.0);
    assertThat(clipped[0]).isCloseTo(-1.2, offset(1e-12)); // loss
    assertThat(clipped[1]).isEqualTo(0.0); // gradient
    assertThat(clipped[2]).isEqualTo(1.0); // clip_ratio/high_mean
    double[] higher = oneToken(1.0, lr, 0.6, 0.0, 0.0);
    assertThat(higher[0]).isCloseTo(-1.5, offset(1e-12));
    assertThat(higher[1]).isCloseTo(-1.5, offset(1e-12)); // d(-A ratio)/dlogp = -A ratio
    assertThat(higher[2]).isEqualTo(0.0);
    // A = -1 at ratio 1.5: min picks the unclipped -1.5 * -1... i.e. loss 1.5, no clip counted
    double[] negative = oneToken(-1.0, lr, null, 0.0, 0.0);
    assertThat(negative[0]).isCloseTo(1.5, offset(1e-12));
    assertThat(negative[2]).isEqualTo(0.0);
    assertThat(negative[3]).isEqualTo(0.0);
  }

  @Test
  void lowerClipBindsOnlyForNegativeAdvantage() {
    double lr = Math.log(0.5); // ratio 0.5 < 0.8
    double[] neg = oneToken(-1.0, lr, null, 0.0, 0.0);
    assertThat(neg[0]).isCloseTo(0.8, offset(1e-12)); // -min(-0.5, -0.8) = 0.8
    assertThat(neg[1]).isEqualTo(0.0);
    assertThat(neg[3]).isEqualTo(1.0); // clip_ratio/low_mean
    double[] pos = oneToken(1.0, lr, null, 0.0, 0.0);
    assertThat(pos[0]).isCloseTo(-0.5, offset(1e-12));
    assertThat(pos[3]).isEqualTo(0.0);
  }

  @Test
  void k3KlIsAddedWithBeta() {
    // ref - new = ln 2 at ratio 1: kl = 2 - ln 2 - 1; d kl / d new = 1 - exp(ref - new) = -1
    double[] r = oneToken(0.0, 0.0, null, 0.1, Math.log(2));
    assertThat(r[0]).isCloseTo(0.1 * (1 - Math.log(2)), offset(1e-12));
    assertThat(r[1]).isCloseTo(-0.1, offset(1e-12));
    assertThat(r[4]).isCloseTo(1 - Math.log(2), offset(1e-12));
  }

  /** One token: returns {loss, d loss/d new, clip high mean, clip low mean, kl mean}. */
  private static double[] oneToken(
      double adv, double logRatio, Double epsHigh, double beta, double refMinusNew) {
    try (NDManager m = NDManager.newBaseManager()) {
      double newLp = -1.0;
      NDArray logp = m.create(new double[][] {{newLp}});
      logp.setRequiresGradient(true);
      GrpoLoss.Result r;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        r =
            GrpoLoss.compute(
                new LossConfig(LossType.BNPO, 0.2, epsHigh, beta),
                new GrpoLoss.Batch(
                    logp,
                    m.create(new double[][] {{newLp - logRatio}}),
                    m.create(new double[][] {{newLp + refMinusNew}}),
                    m.create(new double[] {adv}),
                    m.create(new double[][] {{1}})),
                LossScale.single(1, 1));
        gc.backward(r.loss());
      }
      return new double[] {
        r.loss().getDouble(),
        logp.getGradient().getDouble(0, 0),
        r.metrics().clipRatioHighMean(),
        r.metrics().clipRatioLowMean(),
        r.metrics().klMean()
      };
    }
  }

  @Test
  void worksInFloat32() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logp = m.create(new float[][] {{-1f, -2f}});
      NDArray loss =
          GrpoLoss.compute(
                  new LossConfig(LossType.DAPO, 0.2, 0.28, 0.04),
                  new GrpoLoss.Batch(
                      logp,
                      m.create(new float[][] {{-1.1f, -2f}}),
                      m.create(new float[][] {{-1f, -2f}}),
                      m.create(new float[] {2f}),
                      m.create(new float[][] {{1f, 1f}})),
                  LossScale.single(2, 2))
              .loss();
      assertThat(loss.getDataType()).isEqualTo(DataType.FLOAT32);
      // -(2 * min(e^0.1, 1.28) + 2 * 1) / 2, kl 0
      assertThat((double) loss.getFloat()).isCloseTo(-(2 * Math.exp(0.1) + 2) / 2, offset(1e-6));
    }
  }

  @Test
  void betaNeedsReferenceAndSettingsAreChecked() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new double[][] {{-1}});
      assertThatThrownBy(
              () ->
                  GrpoLoss.compute(
                      new LossConfig(LossType.GRPO, 0.2, null, 0.04),
                      new GrpoLoss.Batch(
                          x,
                          null,
                          null,
                          m.create(new double[] {1}),
                          m.create(new double[][] {{1}})),
                      LossScale.single(1, 1)))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new LossConfig(LossType.GRPO, 1.5, null, 0.0))
        .isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> new LossConfig(LossType.GRPO, 0.2, null, -1.0))
        .isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> LossType.parse("ppo"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("grpo, bnpo, dr_grpo, dapo");
    assertThat(LossType.parse("dr_grpo")).isEqualTo(LossType.DR_GRPO);
  }

  @Test
  void truncatedRowsAreMaskedOnlyWhenAsked() {
    boolean[] truncated = {false, true};
    assertThat(LossMask.of(new int[] {2, 3}, 3, truncated, true))
        .isDeepEqualTo(new float[][] {{1, 1, 0}, {0, 0, 0}});
    assertThat(LossMask.of(new int[] {2, 3}, 3, truncated, false))
        .isDeepEqualTo(new float[][] {{1, 1, 0}, {1, 1, 1}});
  }
}
