package aha.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Autograd through the fused q/k/v projection, RoPE matmul and masks agrees with finite
 * differences.
 */
class GradientCheckTest {
  static final long[] IDS = {3, 9, 14, 2, 7, 0, 5, 1, 8, 8, 4, 6};
  static final long[] MASK = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0};

  @Test
  void gradientsMatchCentralDifferences() {
    try (NDManager m = NDManager.newBaseManager();
        CausalLM lm = TinyModels.sharp(TinyModels.qwen2(16), 12, m)) {
      List<String> names =
          List.of(
              "model.embed_tokens.weight",
              "model.layers.0.self_attn.q_proj.weight",
              "model.layers.0.self_attn.k_proj.bias",
              "model.layers.1.self_attn.v_proj.weight",
              "model.layers.1.self_attn.o_proj.weight",
              "model.layers.0.mlp.gate_proj.weight",
              "model.layers.1.post_attention_layernorm.weight",
              "lm_head.weight");
      names.forEach(n -> lm.parameters().get(n).setRequiresGradient(true));
      try (NDScope scope = new NDScope()) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(loss(lm, m));
        }
        for (String n : names) {
          NDArray p = lm.parameters().get(n);
          float[] grad = p.getGradient().toFloatArray();
          // the entry with the largest gradient, and one more
          int best = 0;
          for (int i = 1; i < grad.length; i++)
            if (Math.abs(grad[i]) > Math.abs(grad[best])) best = i;
          assertThat(Math.abs(grad[best])).as(n).isGreaterThan(1e-4f);
          for (int i : new int[] {best, (best + grad.length / 2) % grad.length}) {
            double fd = finiteDifference(lm, m, p, i, 2e-3f); // small h: sharp weights curve fast
            assertThat(grad[i])
                .as(n + "[" + i + "]")
                .isCloseTo(
                    (float) fd,
                    org.assertj.core.data.Offset.offset(
                        (float) (2e-2 * Math.abs(fd) + 2e-3 * Math.abs(grad[best]) + 1e-5)));
          }
        }
      }
    }
  }

  static NDArray loss(CausalLM lm, NDManager m) {
    NDArray ids = m.create(IDS, new Shape(2, 6));
    NDArray mask = m.create(MASK, new Shape(2, 6));
    // a log-prob counts when its target and the position predicting it are both real tokens
    NDArray targetMask =
        mask.get(":, 1:")
            .mul(mask.get(":, :-1"))
            .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
    return lm.tokenLogProbs(ids, mask).mul(targetMask).sum().neg();
  }

  static double finiteDifference(CausalLM lm, NDManager m, NDArray p, int index, float h) {
    float[] v = p.toFloatArray();
    float orig = v[index];
    double[] f = new double[2];
    for (int s = 0; s < 2; s++) {
      v[index] = orig + (s == 0 ? h : -h);
      p.set(v);
      try (NDScope scope = new NDScope()) {
        f[s] = loss(lm, m).getFloat();
      }
    }
    v[index] = orig;
    p.set(v);
    return (f[0] - f[1]) / (2 * h);
  }
}
