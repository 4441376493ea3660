package aha.stage;

import static org.assertj.core.api.Assertions.assertThat;

import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import aha.testing.Runs;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same recipe on the DirectRunner and on Spark local[2] gives the same rows and counters. */
@Tag("slow")
class SparkRunnerTest {
  @Test
  void sparkLocalProducesTheSameRowsAsTheDirectRunner(@TempDir Path tmp) throws Exception {
    Path r = Runs.writeRecipe(tmp, """
        name: same
        seed: 9
        stages:
          - type: prepare
            source: {generator: countdown, count: 300, numbers: 3, max_number: 9, max_target: 40}
            eval_holdout: 20
            shards: 2
        """);
    Runs.run(r, tmp.resolve("direct"), Runner.DIRECT, false, null);
    Runs.run(r, tmp.resolve("spark"), Runner.SPARK, false, null);
    for (String split : new String[] {"train", "eval"}) {
      assertThat(rows(tmp.resolve("spark"), split)).as(split).isEqualTo(rows(tmp.resolve("direct"), split)).isNotEmpty();
    }
    var d = Manifest.read(tmp.resolve("direct/same/01-prepare"));
    var s = Manifest.read(tmp.resolve("spark/same/01-prepare"));
    assertThat(s.get("counters")).isEqualTo(d.get("counters"));
    assertThat(s.get("config_hash")).isEqualTo(d.get("config_hash"));
  }

  @Test
  void generateAndFilterOnSparkGiveTheSameRowsAsOnTheDirectRunner(@TempDir Path tmp) throws Exception {
    Path r = Runs.writeRecipe(tmp, """
        name: gf
        seed: 5
        stages:
          - type: prepare
            source: {generator: countdown, count: 60, numbers: 3, max_number: 12, max_target: 60, style: short}
            eval_holdout: 6
          - type: generate
            teacher: {kind: local, slip_rate: 0.3}
            num_generations: 3
            sampling: {temperature: 0.8}
          - type: filter
            verifier: countdown
            pass_rate: {min: 0.1, max: 0.9}
            decontaminate: {against: [prepare.eval]}
        """);
    Runs.run(r, tmp.resolve("direct"), Runner.DIRECT, false, null);
    Runs.run(r, tmp.resolve("spark"), Runner.SPARK, false, null);
    // the local teacher answers deterministically for a seed: one row per problem, equal on both runners
    var generated = new HashSet<>(ParquetFiles.readAll(ParquetFiles.split(tmp.resolve("direct/gf/02-generate/data"), "train"),
        aha.dataset.ProblemGenerations::fromAvro));
    assertThat(new HashSet<>(ParquetFiles.readAll(ParquetFiles.split(tmp.resolve("spark/gf/02-generate/data"), "train"),
        aha.dataset.ProblemGenerations::fromAvro))).isEqualTo(generated).hasSize(54);
    for (String split : new String[] {"train", "rejected", "prompts"}) {
      assertThat(records(tmp.resolve("spark/gf/03-filter/data"), split)).as(split)
          .isEqualTo(records(tmp.resolve("direct/gf/03-filter/data"), split));
    }
    assertThat(records(tmp.resolve("direct/gf/03-filter/data"), "rejected")).isNotEmpty();
    assertThat(Manifest.read(tmp.resolve("spark/gf/03-filter")).get("counters"))
        .isEqualTo(Manifest.read(tmp.resolve("direct/gf/03-filter")).get("counters"));
  }

  static java.util.List<String> records(Path data, String split) {
    return ParquetFiles.readAll(ParquetFiles.split(data, split), Object::toString).stream().sorted().toList();
  }

  static Set<Problem> rows(Path root, String split) {
    return new HashSet<>(ParquetFiles.readAll(ParquetFiles.split(root.resolve("same/01-prepare/data"), split), Problem::fromAvro));
  }
}
