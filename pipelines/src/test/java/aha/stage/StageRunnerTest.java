package aha.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.BadInputException;
import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import aha.testing.Runs;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageRunnerTest {
  static String recipe(int count) {
    return """
        name: runner-test
        seed: 11
        stages:
          - type: prepare
            source: {generator: arithmetic, count: %d, digits: 2}
            eval_holdout: 5
        """.formatted(count);
  }

  @Test
  void runsThenSkipsThenRefusesAChangedConfigUnlessForced(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("out");
    Path r = Runs.writeRecipe(tmp, recipe(40));
    List<StageRunner.Result> first = Runs.run(r, out);
    assertThat(first).extracting(StageRunner.Result::outcome).containsExactly(StageRunner.Outcome.RAN);
    Path stage = out.resolve("runner-test/01-prepare");
    JsonNode m = Manifest.read(stage);
    assertThat(m.path("config").path("source").path("count").asInt()).isEqualTo(40);
    assertThat(m.path("splits").path("eval").path("rows").asLong()).isEqualTo(5);
    long train = m.path("splits").path("train").path("rows").asLong();
    assertThat(train).isEqualTo(m.path("counters").path("rows.train").asLong());
    assertThat(train + 5 + m.path("counters").path("prepare.duplicates_dropped").asLong()).isEqualTo(40);
    long modified = Files.getLastModifiedTime(stage.resolve(Manifest.FILE)).toMillis();

    List<StageRunner.Result> second = Runs.run(r, out);
    assertThat(second).extracting(StageRunner.Result::outcome).containsExactly(StageRunner.Outcome.SKIPPED);
    assertThat(Files.getLastModifiedTime(stage.resolve(Manifest.FILE)).toMillis()).isEqualTo(modified);

    Runs.writeRecipe(tmp, recipe(41));
    assertThatThrownBy(() -> Runs.run(r, out))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("01-prepare was made from a different config")
        .hasMessageContaining("changed: source.count")
        .hasMessageContaining("--force");

    List<StageRunner.Result> forced = Runs.run(r, out, Runner.DIRECT, true, null);
    assertThat(forced).extracting(StageRunner.Result::outcome).containsExactly(StageRunner.Outcome.RAN);
    assertThat(Manifest.read(stage).path("config").path("source").path("count").asInt()).isEqualTo(41);
    assertThat(siblings(out.resolve("runner-test"))).containsExactly("01-prepare");
  }

  @Test
  void aFailingStageLeavesNoFolderThatCouldPassForComplete(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("problems.jsonl");
    Files.writeString(data, "{\"problem\": \"1+1\", \"answer\": \"2\"}\n{\"problem\": \"2+2\"}\n");
    Path r = Runs.writeRecipe(tmp, """
        name: failing
        seed: 1
        stages:
          - type: prepare
            source: {path: %s}
        """.formatted(data));
    assertThatThrownBy(() -> Runs.run(r, tmp.resolve("out")))
        .isInstanceOf(BadInputException.class)
        .hasMessage(data + ":2: missing column 'answer'; map it with source.columns");
    assertThat(siblings(tmp.resolve("out/failing"))).isEmpty();
  }

  @Test
  void stageOptionRunsOneStageAndRejectsUnknownNames(@TempDir Path tmp) throws Exception {
    Path r = Runs.writeRecipe(tmp, recipe(20));
    assertThatThrownBy(() -> Runs.run(r, tmp.resolve("out"), Runner.DIRECT, false, "prepar"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("--stage prepar is not a stage")
        .hasMessageContaining("did you mean 'prepare'");
    assertThat(Runs.run(r, tmp.resolve("out"), Runner.DIRECT, false, "prepare"))
        .extracting(StageRunner.Result::outcome).containsExactly(StageRunner.Outcome.RAN);
    Path files = tmp.resolve("out/runner-test/01-prepare/data");
    assertThat(siblings(files)).containsExactly("eval-00000-of-00001.parquet", "train-00000-of-00001.parquet");
    List<Problem> eval = ParquetFiles.readAll(ParquetFiles.split(files, "eval"), Problem::fromAvro);
    assertThat(eval).hasSize(5).allSatisfy(p -> assertThat(p.source()).isEqualTo("generator:arithmetic"));
  }

  static List<String> siblings(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
