package aha.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The qwen2-tiny fixture (written by PyTorch tooling) loads, and survives our writer. */
@Tag("shared")
class SharedCheckpointTest {

  @Test
  void fixtureRewrittenAsF32IsBitIdenticalAndAsBf16ScoresClose(@TempDir Path tmp) throws Exception {
    List<long[]> seqs = Qwen2ParityTest.expected().stream().map(Qwen2ParityTest::ids).toList();
    try (NDManager m = NDManager.newBaseManager();
        Checkpoint fixture = Checkpoint.load(Qwen2ParityTest.FIXTURE, m)) {
      assertThat(fixture.tokenizer()).isNull();
      assertThat(fixture.eosTokenIds()).containsExactly(2);
      CausalLM lm = fixture.model();
      Checkpoint.save(tmp.resolve("f32"), lm, null, null, Set.of(2), SafeTensors.Dtype.F32);
      // same bytes for every tensor as the original file
      try (CausalLM back = Checkpoint.loadModel(tmp.resolve("f32"), m)) {
        assertThat(back.config()).isEqualTo(lm.config());
        for (var e : lm.parameters().entrySet()) {
          assertThat(TinyModels.bitEqual(e.getValue(), back.parameters().get(e.getKey()))).isTrue();
        }
      }
      // our F32 file is the fixture's file byte for byte: same sorted layout and header content
      assertThat(Files.size(tmp.resolve("f32/model.safetensors")))
          .isEqualTo(Files.size(Qwen2ParityTest.FIXTURE.resolve("model.safetensors")));

      Checkpoint.save(tmp.resolve("bf16"), lm, null, null, Set.of(2), SafeTensors.Dtype.BF16);
      assertThat(Files.size(tmp.resolve("bf16/model.safetensors")))
          .isLessThan(Files.size(tmp.resolve("f32/model.safetensors")) / 2 + 4096);
      List<float[]> exact = lm.score(seqs, 8);
      try (CausalLM half = Checkpoint.loadModel(tmp.resolve("bf16"), m)) {
        List<float[]> approx = half.score(seqs, 8);
        double maxDiff = 0;
        for (int r = 0; r < seqs.size(); r++) {
          for (int t = 0; t < exact.get(r).length; t++) {
            maxDiff = Math.max(maxDiff, Math.abs(exact.get(r)[t] - approx.get(r)[t]));
          }
        }
        // bf16 weights move log-probs a little, but not like a wrong model (0.3 to 4)
        assertThat(maxDiff).isGreaterThan(0).isLessThan(0.05);
      }
    }
  }
}
