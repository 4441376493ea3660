package aha.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Padding on either side does not change a row's log-probs; temperature divides the logits. */
class LogProbsTest {
  @Test
  void leftAndRightPaddingGiveTheUnpaddedLogProbs() {
    try (NDManager m = NDManager.newBaseManager();
        CausalLM lm = TinyModels.sharp(TinyModels.qwen2(30), 4, m);
        NDScope scope = new NDScope()) {
      long[] row = {3, 9, 14, 2, 7};
      float[] alone = lm.tokenLogProbs(m.create(row, new Shape(1, 5)), null).toFloatArray();
      // right padding: the row followed by two pads
      long[] right = {3, 9, 14, 2, 7, 0, 0};
      long[] rightMask = {1, 1, 1, 1, 1, 0, 0};
      float[] r =
          lm.tokenLogProbs(m.create(right, new Shape(1, 7)), m.create(rightMask, new Shape(1, 7)))
              .toFloatArray();
      // left padding: two pads, then the row
      long[] left = {0, 0, 3, 9, 14, 2, 7};
      long[] leftMask = {0, 0, 1, 1, 1, 1, 1};
      float[] l =
          lm.tokenLogProbs(m.create(left, new Shape(1, 7)), m.create(leftMask, new Shape(1, 7)))
              .toFloatArray();
      for (int t = 0; t < 4; t++) {
        assertThat(r[t]).isCloseTo(alone[t], within(1e-5f));
        assertThat(l[t + 2]).isCloseTo(alone[t], within(1e-5f));
      }
      // temperature 2: log_softmax(logits / 2) at the targets
      float[] hot = lm.tokenLogProbs(m.create(row, new Shape(1, 5)), null, 2.0).toFloatArray();
      NDArray logits = lm.forward(m.create(row, new Shape(1, 5)), null, null);
      for (int t = 0; t < 4; t++) {
        float[] z = logits.get("0, " + t + ", :").toFloatArray();
        for (int i = 0; i < z.length; i++) z[i] /= 2;
        assertThat(hot[t]).isCloseTo(TokenSampler.logProb(z, (int) row[t + 1]), within(1e-5f));
      }
      assertThat(hot[0]).isNotCloseTo(alone[0], within(1e-3f));
    }
  }
}
