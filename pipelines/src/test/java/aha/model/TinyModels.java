package aha.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Small random models for tests, with weights large enough that greedy choices are not ties. */
final class TinyModels {
  private TinyModels() {}

  static ModelConfig qwen2(int vocab) {
    return ModelConfig.qwen2(vocab, 32, 64, 2, 4, 2, 96, false, 1, 2);
  }

  /** Random init, then every non-norm weight scaled up 10x (std 0.2) so logits differ clearly. */
  static CausalLM sharp(ModelConfig config, long seed, NDManager m) {
    CausalLM lm = CausalLM.randomInit(config, seed, m);
    for (var e : lm.parameters().entrySet()) {
      if (!e.getKey().endsWith("norm.weight")) e.getValue().muli(10f);
    }
    return lm;
  }

  static boolean bitEqual(NDArray a, NDArray b) {
    float[] x = a.toFloatArray();
    float[] y = b.toFloatArray();
    if (x.length != y.length) return false;
    for (int i = 0; i < x.length; i++) {
      if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) return false;
    }
    return true;
  }
}
