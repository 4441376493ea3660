package aha.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import aha.testing.Runs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepareStageTest {
  static List<Problem> split(Path stage, String split) {
    return ParquetFiles.readAll(ParquetFiles.split(stage.resolve("data"), split), Problem::fromAvro);
  }

  @Test
  void holdsOutAnExactSeededCountAndDropsDuplicates(@TempDir Path tmp) throws Exception {
    Path r = Runs.writeRecipe(tmp, """
        name: cd
        seed: 42
        stages:
          - type: prepare
            source: {generator: countdown, count: 400, numbers: 3, max_number: 6, max_target: 20, style: short}
            eval_holdout: 25
            shards: 2
        """);
    Runs.run(r, tmp.resolve("out"));
    Path stage = tmp.resolve("out/cd/01-prepare");
    List<Problem> train = split(stage, "train");
    List<Problem> eval = split(stage, "eval");
    assertThat(ParquetFiles.split(stage.resolve("data"), "train")).hasSize(2);
    assertThat(eval).hasSize(25);
    Set<String> keys = new HashSet<>();
    for (Problem p : train) assertThat(keys.add(Normalise.key(p))).as("duplicate %s", p).isTrue();
    for (Problem p : eval) assertThat(keys.add(Normalise.key(p))).as("eval overlaps train: %s", p).isTrue();
    // 3 numbers in 1..6 with targets <= 20 allow far fewer than 400 distinct puzzles
    assertThat(train.size() + eval.size()).isLessThan(400).isGreaterThan(100);

    // the same seed chooses the same hold-out again, in another folder
    Runs.run(r, tmp.resolve("again"));
    assertThat(new HashSet<>(split(tmp.resolve("again/cd/01-prepare"), "eval"))).isEqualTo(new HashSet<>(eval));
  }

  @Test
  void readsJsonlWithColumnMappingAndPassThroughColumns(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("qa.jsonl");
    Files.writeString(data, """
        {"q": "What is 2+2?", "a": 4, "level": 1, "tags": ["easy"]}
        {"q": "what is  2+2", "a": 4, "level": 1}

        {"q": "What is 3*3?", "a": "9", "level": 2}
        """);
    Path r = Runs.writeRecipe(tmp, """
        name: qa
        seed: 3
        stages:
          - type: prepare
            source: {path: %s, columns: {problem: q, answer: a}, keep_columns: [level, tags], source_name: toy}
        """.formatted(data));
    Runs.run(r, tmp.resolve("out"));
    List<Problem> train = split(tmp.resolve("out/qa/01-prepare"), "train");
    assertThat(train).hasSize(2);
    Problem first = train.stream().filter(p -> p.answer().equals("4")).findFirst().orElseThrow();
    assertThat(first.problem()).isEqualTo("What is 2+2?");
    assertThat(first.source()).isEqualTo("toy");
    assertThat(first.task()).isEqualTo("math");
    assertThat(first.id()).matches("toy-[0-9a-f]{16}");
    assertThat(first.extra()).isEqualTo(Map.of("level", "1", "tags", "[\"easy\"]"));
    assertThat(split(tmp.resolve("out/qa/01-prepare"), "eval")).isEmpty();
  }

  @Test
  void readsCountdownRowsFromParquet(@TempDir Path tmp) throws Exception {
    Problem p1 = new Problem("c1", "Use 1 2 3 to make 6.", "6", "file", "countdown", new Problem.Countdown(List.of(1, 2, 3), 6), null);
    Problem p2 = new Problem("c2", "Use 2 2 5 to make 20.", "20", "file", "countdown", new Problem.Countdown(List.of(2, 2, 5), 20), null);
    Path file = tmp.resolve("in.parquet");
    ParquetFiles.write(file, Problem.SCHEMA, List.of(p1.toAvro(), p2.toAvro()));
    Path r = Runs.writeRecipe(tmp, """
        name: pq
        seed: 3
        stages:
          - type: prepare
            source: {path: %s}
            eval_holdout: 1
        """.formatted(file));
    Runs.run(r, tmp.resolve("out"));
    Set<Problem> all = new HashSet<>(split(tmp.resolve("out/pq/01-prepare"), "train"));
    all.addAll(split(tmp.resolve("out/pq/01-prepare"), "eval"));
    assertThat(all).extracting(Problem::id).containsExactlyInAnyOrder("c1", "c2");
    assertThat(all).extracting(Problem::task).containsOnly("math");
  }
}
