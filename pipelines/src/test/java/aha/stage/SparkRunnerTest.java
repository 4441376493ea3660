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

  static Set<Problem> rows(Path root, String split) {
    return new HashSet<>(ParquetFiles.readAll(ParquetFiles.split(root.resolve("same/01-prepare/data"), split), Problem::fromAvro));
  }
}
