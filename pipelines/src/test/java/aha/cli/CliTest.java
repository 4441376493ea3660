package aha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import aha.testing.InProcess;
import aha.testing.InProcess.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  static Outcome cli(String... args) {
    return InProcess.cli(args);
  }

  @Test
  void validateNamesTheFileLineAndTheKeyItMeant(@TempDir Path tmp) throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "name: t\nseed: 1\nstages:\n  - type: prepare\n    source: {generator: linear, count: 5}\n    eval_holdot: 3\n");
    Outcome o = cli("validate", bad.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).isEqualTo("aha: " + bad + ":6:5: stages[0].eval_holdot is not a known key; did you mean 'eval_holdout'? "
        + "(known here: [dedupe, eval_holdout, name, shards, source])");

    Path good = tmp.resolve("good.yaml");
    Files.writeString(good, "name: t\nseed: 1\nstages:\n  - type: prepare\n    source: {generator: linear, count: 5}\n");
    Outcome ok = cli("validate", good.toString());
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).contains("valid; run 't', seed 1, stages: prepare");
  }

  @Test
  void theShippedRecipesAreValid() throws Exception {
    Path recipes = Path.of(System.getProperty("aha.repo.dir", "..")).resolve("recipes");
    List<Path> files;
    try (var s = Files.list(recipes)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).extracting(p -> p.getFileName().toString()).contains("countdown-tiny.yaml", "r1-distill-math.yaml", "qwen-math-sft-grpo.yaml", "r1-zero-countdown.yaml");
    for (Path f : files) {
      Outcome o = cli("validate", f.toString());
      assertThat(o.code()).as(f + ": " + o.err()).isZero();
    }
  }

  @Test
  void badArgumentsAndMissingFilesExitWithTwo(@TempDir Path tmp) {
    assertThat(cli("run", tmp.resolve("none.yaml").toString()).err()).contains("recipe file not found");
    assertThat(cli("run", tmp.resolve("none.yaml").toString()).code()).isEqualTo(2);
    assertThat(cli("run").code()).isEqualTo(2);
    assertThat(cli("frobnicate").code()).isEqualTo(2);
    assertThat(cli("inspect", tmp.resolve("nothing").toString()).code()).isEqualTo(2);
  }

  @Test
  void helpShowsExamples() {
    Outcome o = cli("run", "--help");
    assertThat(o.code()).isZero();
    assertThat(o.out()).contains("Examples:", "scripts/aha run recipes/countdown-tiny.yaml", "--force", "--runner");
  }

  @Test
  void runThenInspectShowsSchemaRowsAndManifest(@TempDir Path tmp) throws Exception {
    Path r = tmp.resolve("r.yaml");
    Files.writeString(r, "name: cli\nseed: 2\nstages:\n  - type: prepare\n    source: {generator: linear, count: 30}\n    eval_holdout: 4\n");
    Outcome run = cli("run", r.toString(), "--output-dir", tmp.resolve("out").toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("[1/1] prepare: done", "eval 4 rows", "Outputs: " + tmp.resolve("out/cli"));
    Outcome again = cli("run", r.toString(), "--output-dir", tmp.resolve("out").toString());
    assertThat(again.out()).contains("[1/1] prepare: up to date, skipped");

    Outcome inspect = cli("inspect", tmp.resolve("out/cli/01-prepare").toString(), "--rows", "2");
    assertThat(inspect.code()).isZero();
    assertThat(inspect.out())
        .contains("== manifest", "\"config_hash\"", "== eval: 4 rows in 1 file(s)", "countdown: struct<nums: list<int>, target: int> (nullable)")
        .contains("problem: \"Solve for x:");
  }
}
