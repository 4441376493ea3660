package aha.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AdamW against PyTorch's update written out by hand for two steps. */
class AdamWTest {
  @Test
  void twoStepsMatchTheHandComputedUpdateAndNormsAreNotDecayed() {
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("w", m.create(new float[] {1.0f, -2.0f}));
      params.put("model.norm.weight", m.create(new float[] {1.0f}));
      params.values().forEach(p -> p.setRequiresGradient(true));
      double lr = 0.1, b1 = 0.9, b2 = 0.99, eps = 1e-8, wd = 0.5;
      AdamW opt = new AdamW(params, m, b1, b2, eps, wd);
      float[][] grads = {{0.5f, -1.0f, 2.0f}, {-0.25f, 3.0f, 1.0f}}; // per step: w[0], w[1], norm
      double[] w = {1.0, -2.0, 1.0};
      double[] mo = new double[3];
      double[] v = new double[3];
      for (int step = 1; step <= 2; step++) {
        float[] g = grads[step - 1];
        try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          // loss = g . params, so each gradient is the coefficient
          NDArray loss = params.get("w").mul(m.create(new float[] {g[0], g[1]})).sum()
              .add(params.get("model.norm.weight").mul(g[2]).sum());
          gc.backward(loss);
        }
        opt.step(params, lr, 1.0);
        SftTrainer.zeroGradients(params);
        for (int i = 0; i < 3; i++) {
          if (i < 2) w[i] *= 1 - lr * wd; // the norm weight is not decayed
          mo[i] = b1 * mo[i] + (1 - b1) * g[i];
          v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
          double mHat = mo[i] / (1 - Math.pow(b1, step));
          double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, step)) + eps;
          w[i] -= lr * mHat / denom;
        }
        float[] got = params.get("w").toFloatArray();
        assertThat((double) got[0]).as("step %d w0", step).isCloseTo(w[0], within(1e-6));
        assertThat((double) got[1]).as("step %d w1", step).isCloseTo(w[1], within(1e-6));
        assertThat((double) params.get("model.norm.weight").toFloatArray()[0]).isCloseTo(w[2], within(1e-6));
      }
      assertThat(opt.steps()).isEqualTo(2);
    }
  }
}
