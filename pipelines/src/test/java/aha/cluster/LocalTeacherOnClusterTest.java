package aha.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.BadInputException;
import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import aha.generate.GenerateSpec;
import aha.generate.GenerateStage;
import aha.recipe.RecipeLoader;
import aha.stage.Runner;
import aha.stage.StageContext;
import aha.stage.StageRunner;
import aha.testing.Runs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local teacher listens on the driver's 127.0.0.1: a generate stage with it is refused, before
 * any Spark context starts, when the master may place executors on other hosts.
 */
class LocalTeacherOnClusterTest {
  static final String RECIPE = """
      name: remote
      seed: 3
      stages:
        - type: prepare
          source: {generator: countdown, count: 20, numbers: 3, max_number: 9, max_target: 40, style: short}
          eval_holdout: 2
        - type: generate
          teacher: {kind: local}
          num_generations: 1
          sampling: {temperature: 0.6, top_p: 0.95, max_tokens: 256}
      """;

  @Test
  void aRemoteMasterIsRefusedWithTheWayOut(@TempDir Path tmp) throws Exception {
    Path recipe = Runs.writeRecipe(tmp, RECIPE);
    GenerateSpec spec = (GenerateSpec) RecipeLoader.load(recipe).stage("generate");
    Path prepare = tmp.resolve("01-prepare");
    Problem p = new Problem("p1", "Use 3 8 6 to make 16.", "16", "test", "countdown", new Problem.Countdown(List.of(3, 8, 6), 16), Map.of());
    ParquetFiles.write(prepare.resolve("data/train-00000-of-00001.parquet"), Problem.SCHEMA, List.of(p.toAvro()));
    for (String master : new String[] {"spark://10.0.0.5:7077", "yarn", "k8s://https://k8s.example:6443"}) {
      Path out = tmp.resolve(".02-generate.tmp");
      Files.createDirectories(out.resolve("data"));
      StageRunner.Options o = new StageRunner.Options(Runner.SPARK, master, false, null, tmp, false);
      StageContext ctx = StageContext.standalone("generate", out, 3, Map.of("prepare", prepare), o);
      assertThatThrownBy(() -> new GenerateStage().run(spec, ctx)).as(master).isInstanceOf(BadInputException.class)
          .hasMessageContaining("kind: local").hasMessageContaining("teach serve --host");
      // refused before anything was written: no rows, no ledger
      try (var files = Files.list(out.resolve("data"))) {
        assertThat(files).as(master).isEmpty();
      }
      assertThat(ctx.stateDir()).doesNotExist();
    }
  }

  @Test
  void loopbackAndLocalMastersKeepEveryWorkerOnThisHost() {
    for (String master : new String[] {"local[2]", "local[*]", "spark://127.0.0.1:7077", "spark://localhost:7077"}) {
      assertThat(context(Runner.SPARK, master).workersOnThisHost()).as(master).isTrue();
    }
    assertThat(context(Runner.DIRECT, null).workersOnThisHost()).isTrue();
    assertThat(context(Runner.SPARK, "spark://127.0.0.1.example.com:7077").workersOnThisHost()).isFalse();
    assertThat(context(Runner.SPARK, "spark://10.0.0.5:7077").workersOnThisHost()).isFalse();
  }

  private static StageContext context(Runner runner, String master) {
    return StageContext.standalone("generate", Path.of("out"), 1, Map.of(), new StageRunner.Options(runner, master, false, null, null, false));
  }
}
