package aha.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class TokenLogprobsTest {
  @Test
  void logprobsAreTakenAtTheTemperature() {
    try (NDManager m = NDManager.newBaseManager()) {
      // one row, two positions, vocab 3
      NDArray logits = m.create(new double[] {1, 2, 3, 0, 0, 4}, new Shape(1, 2, 3));
      NDArray ids = m.create(new long[] {2, 0}, new Shape(1, 2));
      double[] t1 = TokenLogprobs.of(logits, ids, 1.0).toDoubleArray();
      assertThat(t1[0])
          .isCloseTo(3 - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), offset(1e-12));
      assertThat(t1[1]).isCloseTo(0 - Math.log(2 + Math.exp(4)), offset(1e-12));
      double[] t2 = TokenLogprobs.of(logits, ids, 2.0).toDoubleArray();
      assertThat(t2[0])
          .isCloseTo(1.5 - Math.log(Math.exp(0.5) + Math.exp(1) + Math.exp(1.5)), offset(1e-12));
      assertThat(t2[1]).isCloseTo(0 - Math.log(2 + Math.exp(2)), offset(1e-12));
    }
  }

  @Test
  void entropyIsLogVocabForUniformLogitsAndFallsWithLowerTemperature() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray uniform = m.zeros(new Shape(2, 3, 4), ai.djl.ndarray.types.DataType.FLOAT64);
      double l4 = Math.log(4);
      assertThat(TokenLogprobs.entropy(uniform, 0.7).toDoubleArray())
          .containsExactly(new double[] {l4, l4, l4, l4, l4, l4}, offset(1e-12));
      NDArray peaked = m.create(new double[] {0, 1}, new Shape(1, 1, 2));
      double hot = TokenLogprobs.entropy(peaked, 1.0).getDouble(0, 0);
      double cold = TokenLogprobs.entropy(peaked, 0.5).getDouble(0, 0);
      double p = 1 / (1 + Math.E); // softmax([0, 1])[0]
      assertThat(hot).isCloseTo(-(p * Math.log(p) + (1 - p) * Math.log(1 - p)), offset(1e-12));
      assertThat(cold).isLessThan(hot);
    }
  }

  /**
   * The loss through temperature-scaled log-probs back to the logits, against central differences.
   */
  @Test
  void lossGradientReachesTheLogits() {
    double[] logits = {0.3, -1.2, 0.8, 2.0, 0.1, -0.4, 1.1, 0.0, -0.7, 0.5, 0.9, -2.0};
    long[] ids = {2, 0, 1, 1};
    double[] grad;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(logits, new Shape(2, 2, 3));
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(loss(m, x, ids));
      }
      grad = x.getGradient().toDoubleArray();
    }
    double h = 1e-6;
    for (int i = 0; i < logits.length; i++) {
      double[] up = logits.clone();
      double[] down = logits.clone();
      up[i] += h;
      down[i] -= h;
      double numeric;
      try (NDManager m = NDManager.newBaseManager()) {
        numeric =
            (loss(m, m.create(up, new Shape(2, 2, 3)), ids).getDouble()
                    - loss(m, m.create(down, new Shape(2, 2, 3)), ids).getDouble())
                / (2 * h);
      }
      assertThat(grad[i]).as("logit %d", i).isCloseTo(numeric, offset(1e-7));
    }
  }

  /** Off-policy DAPO loss with KL at temperature 0.7 on fixed old/ref log-probs. */
  private static NDArray loss(NDManager m, NDArray logits, long[] ids) {
    NDArray logp = TokenLogprobs.of(logits, m.create(ids, new Shape(2, 2)), 0.7);
    return GrpoLoss.compute(
            new LossConfig(LossType.DAPO, 0.2, 0.28, 0.04),
            new GrpoLoss.Batch(
                logp,
                m.create(new double[][] {{-0.9, -1.4}, {-1.0, -0.6}}),
                m.create(new double[][] {{-1.1, -1.0}, {-0.8, -0.9}}),
                m.create(new double[] {0.7, -1.3}),
                m.create(new double[][] {{1, 1}, {1, 0}})),
            LossScale.single(2, 3))
        .loss();
  }
}
