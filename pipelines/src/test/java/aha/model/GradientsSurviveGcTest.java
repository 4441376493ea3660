package aha.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The backward pass must not depend on what the JVM frees between forward and backward. DJL's
 * {@code x.mul(0.5)} closes the tensor it made from the number right after the op, so a graph that
 * saved it reads freed direct memory once the garbage collector has run: this test collects
 * garbage and refills small direct buffers with junk in that window, then compares the gradients
 * bit for bit with an undisturbed backward.
 */
class GradientsSurviveGcTest {
  @Test
  void aGarbageCollectionBetweenForwardAndBackwardChangesNoGradient() throws Exception {
    ModelConfig c = TinyModels.qwen2(40);
    Map<String, float[]> quiet;
    Map<String, float[]> disturbed;
    try (NDManager m = NDManager.newBaseManager(); CausalLM lm = CausalLM.randomInit(c, 5, m)) {
      lm.parameters().values().forEach(p -> p.setRequiresGradient(true));
      quiet = gradients(lm, false);
      disturbed = gradients(lm, true);
    }
    assertThat(disturbed.keySet()).isEqualTo(quiet.keySet());
    for (String k : quiet.keySet()) {
      assertThat(disturbed.get(k)).as(k).containsExactly(quiet.get(k));
    }
    // the softmax path is alive: attention scores get a gradient
    assertThat(quiet.get("model.layers.0.self_attn.q_proj.weight")).isNotEqualTo(new float[quiet.get(
        "model.layers.0.self_attn.q_proj.weight").length]);
  }

  /** One forward and backward of the temperature-scaled log-probs; grads copied out and zeroed. */
  private static Map<String, float[]> gradients(CausalLM lm, boolean collectGarbage) throws Exception {
    Random r = new Random(2);
    long[] ids = new long[4 * 12];
    for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(40);
    List<ByteBuffer> junk = new ArrayList<>();
    Map<String, float[]> out = new LinkedHashMap<>();
    try (NDScope scope = new NDScope();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDManager m = lm.manager();
      NDArray lp = lm.tokenLogProbs(m.create(ids, new Shape(4, 12)), null, 0.7); // (4, 11)
      NDArray loss = lp.sum().neg();
      if (collectGarbage) {
        for (int i = 0; i < 3; i++) {
          System.gc();
          Thread.sleep(50); // the Cleaner thread frees unreachable direct buffers
        }
        for (int i = 0; i < 20_000; i++) {
          ByteBuffer b = ByteBuffer.allocateDirect(8 * (1 + i % 4)).order(ByteOrder.nativeOrder());
          while (b.remaining() >= 4) b.putFloat(1e6f);
          junk.add(b);
        }
      }
      gc.backward(loss);
      for (var e : lm.parameters().entrySet()) {
        out.put(e.getKey(), e.getValue().getGradient().toFloatArray());
        e.getValue().getGradient().muli(0);
      }
    }
    assertThat(junk).hasSize(collectGarbage ? 20_000 : 0);
    return out;
  }
}
