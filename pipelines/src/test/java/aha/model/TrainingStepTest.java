package aha.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The API SFT and GRPO build on: masked log-probs, backward, in-place updates, no leaks. */
class TrainingStepTest {

  @Test
  @Tag("slow") // 1000 training steps: ~15 s with one libtorch thread on a busy 2-core machine
  void maskedLogProbsTrainAndNothingLeaksOverAThousandSteps() {
    try (NDManager m = NDManager.newBaseManager();
        CausalLM lm =
            CausalLM.randomInit(ModelConfig.qwen2(12, 16, 32, 1, 2, 1, 16, true, 0, 1), 9, m)) {
      // rows: "3 4 5 6 7 8" and a right-padded "3 4 5 6" (mask 0 on the padding)
      long[] ids = {3, 4, 5, 6, 7, 8, 3, 4, 5, 6, 0, 0};
      long[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
      lm.parameters().values().forEach(p -> p.setRequiresGradient(true));
      int arraysBefore = m.getManagedArrays().size() + lm.manager().getManagedArrays().size();
      float first = 0;
      float last = 0;
      for (int step = 0; step < 1000; step++) {
        try (NDScope scope = new NDScope()) {
          NDArray x = m.create(ids, new Shape(2, 6));
          NDArray mk = m.create(mask, new Shape(2, 6));
          NDArray targetMask = mk.get(":, 1:").toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
          float loss;
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray lp = lm.tokenLogProbs(x, mk); // (2, 5)
            NDArray l = lp.mul(targetMask).sum().neg().div(targetMask.sum());
            gc.backward(l);
            loss = l.getFloat();
          }
          for (NDArray p : lm.parameters().values()) {
            NDArray g = p.getGradient();
            p.subi(g.mul(0.5f));
            g.subi(g); // PyTorch accumulates: zero in place
          }
          if (step == 0) first = loss;
          last = loss;
        }
      }
      assertThat(last).isLessThan(first * 0.2f);
      int arraysAfter = m.getManagedArrays().size() + lm.manager().getManagedArrays().size();
      assertThat(arraysAfter).isEqualTo(arraysBefore);

      // generation leaves nothing behind either, and the trained model continues the pattern
      Generator g = new Generator(lm, null, Set.of());
      for (int i = 0; i < 20; i++) g.generate(List.of(new long[] {3, 4}), SamplingParams.greedy(4));
      assertThat(m.getManagedArrays().size() + lm.manager().getManagedArrays().size())
          .isEqualTo(arraysBefore);
      assertThat(g.generate(List.of(new long[] {3, 4}), SamplingParams.greedy(4)).get(0).tokenIds())
          .containsExactly(5, 6, 7, 8);
    }
  }
}
