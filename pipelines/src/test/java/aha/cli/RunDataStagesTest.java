package aha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import aha.testing.InProcess;
import aha.testing.InProcess.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --data-stages}, what scripts/spark-submit.sh runs: the Beam stages only, never training. */
class RunDataStagesTest {
  static final String RECIPE = """
      name: data
      seed: 5
      stages:
        - type: prepare
          source: {generator: linear, count: 40}
          eval_holdout: 4
        - type: sft
          from: prepare
          model: {init: tiny, hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 1, intermediate_size: 64}
          learning_rate: 1.0e-3
          max_steps: 1
        # reads sft, which --data-stages never makes: it must be passed over, not reported missing
        - type: eval
          models: [sft]
          sets: [prepare.eval]
          n_samples: 1
      """;

  @Test
  @Tag("slow") // one Beam pipeline: seconds on a quiet machine, ~20 s on a loaded one
  void onlyTheDataStagesRun(@TempDir Path tmp) throws Exception {
    Path recipe = tmp.resolve("r.yaml");
    Files.writeString(recipe, RECIPE);
    Outcome o = InProcess.cli("run", recipe.toString(), "--data-stages", "--output-dir", tmp.resolve("out").toString());
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("prepare: done").doesNotContain("sft:").doesNotContain("eval:");
    try (var dirs = Files.list(tmp.resolve("out/data"))) {
      assertThat(dirs.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))).containsExactly("01-prepare");
    }
  }

  @Test
  void withStageItIsOneSentenceAndExitTwo(@TempDir Path tmp) throws Exception {
    Path recipe = tmp.resolve("r.yaml");
    Files.writeString(recipe, RECIPE);
    Outcome o = InProcess.cli("run", recipe.toString(), "--data-stages", "--stage", "prepare", "--output-dir", tmp.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("--data-stages and --stage prepare exclude each other");
    assertThat(tmp.resolve("data")).doesNotExist();
  }
}
