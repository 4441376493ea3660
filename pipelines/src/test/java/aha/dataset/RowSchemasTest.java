package aha.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RowSchemasTest {
  static final Problem COUNTDOWN = new Problem("countdown-0000001", "Use 3 7 9 to make 30.", "30", "generator:countdown",
      "countdown", new Problem.Countdown(List.of(3, 7, 9), 30), Map.of("solution", "3*(9+1)"));
  static final Problem MATH = new Problem("m-1", "Calculate 2 + 2.", "4", "test", "math", null, Map.of());

  @Test
  void problemsSurviveAParquetRoundTrip(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("train-00000-of-00001.parquet");
    ParquetFiles.write(f, Problem.SCHEMA, List.of(COUNTDOWN.toAvro(), MATH.toAvro()));
    assertThat(ParquetFiles.readAll(List.of(f), Problem::fromAvro)).containsExactly(COUNTDOWN, MATH);
    assertThat(ParquetFiles.rowCount(f)).isEqualTo(2);
    assertThat(ParquetFiles.schema(f).getField("countdown")).isNotNull();
  }

  @Test
  void completionsSurviveAParquetRoundTrip(@TempDir Path dir) throws Exception {
    Completion c = new Completion(COUNTDOWN, 2, "local", List.of(new Completion.Message("system", "Be brief."),
        new Completion.Message("user", COUNTDOWN.problem())), "9+1=10, 10*3=30.", "<answer>3*(9+1)</answer>", "stop",
        12, 20, "abc123");
    Path f = dir.resolve("train-00000-of-00001.parquet");
    ParquetFiles.write(f, Completion.SCHEMA, List.of(c.toAvro()));
    Completion back = ParquetFiles.readAll(List.of(f), Completion::fromAvro).get(0);
    assertThat(back).isEqualTo(c);
    assertThat(back.assistantText()).isEqualTo("<think>\n9+1=10, 10*3=30.\n</think>\n<answer>3*(9+1)</answer>");
  }

  @Test
  void generateRowsHoldOneProblemWithListColumnsAndSurviveAParquetRoundTrip(@TempDir Path dir) throws Exception {
    List<Completion.Message> sent = List.of(new Completion.Message("user", COUNTDOWN.problem()));
    ProblemGenerations row = new ProblemGenerations(COUNTDOWN, "deepseek-reasoner", sent, List.of(
        new ProblemGenerations.Sample(0, "<answer>3*(9+1)</answer>", "9+1=10.", "stop", 12, 20, "k0", null),
        new ProblemGenerations.Sample(1, "", "", "", 0, 0, "k1", "HTTP 429 after 10 attempts")));
    Path f = dir.resolve("train-00000-of-00001.parquet");
    ParquetFiles.write(f, ProblemGenerations.SCHEMA, List.of(row.toAvro()));
    assertThat(ParquetFiles.readAll(List.of(f), ProblemGenerations::fromAvro)).containsExactly(row);
    // the columns a user of OpenR1-Math-220k looks for, as lists of one entry per sample
    var raw = ParquetFiles.readAll(List.of(f), r -> r).get(0);
    assertThat((List<?>) raw.get("generations")).extracting(Object::toString).containsExactly("<answer>3*(9+1)</answer>", "");
    assertThat((List<?>) raw.get("finish_reasons")).extracting(Object::toString).containsExactly("stop", "");
    assertThat((List<?>) raw.get("failures")).extracting(Object::toString).containsExactly("", "HTTP 429 after 10 attempts");
    assertThat(raw.get("model").toString()).isEqualTo("deepseek-reasoner");
    // exploded for the filter: one completion per sample, the failed one marked
    List<Completion> cs = row.completions();
    assertThat(cs).extracting(Completion::sampleIndex).containsExactly(0, 1);
    assertThat(cs.get(0).failed()).isFalse();
    assertThat(cs.get(0).assistantText()).isEqualTo("<think>\n9+1=10.\n</think>\n<answer>3*(9+1)</answer>");
    assertThat(cs.get(1).failure()).isEqualTo("HTTP 429 after 10 attempts");
    assertThat(ProblemGenerations.of(cs)).isEqualTo(row);
  }

  @Test
  void listColumnsOfDifferentLengthsAreRejected() {
    var r = new ProblemGenerations(MATH, "m", List.of(), List.of(
        new ProblemGenerations.Sample(0, "4", "", "stop", 1, 1, "k", null))).toAvro();
    r.put("failures", List.of("", ""));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProblemGenerations.fromAvro(r))
        .hasMessageContaining("m-1 has 2 failures but 1 generations");
  }

  @Test
  void writeLeavesNoTemporaryFileBehind(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("eval-00000-of-00001.parquet");
    ParquetFiles.write(f, Problem.SCHEMA, List.of(MATH.toAvro()));
    try (var files = java.nio.file.Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("eval-00000-of-00001.parquet");
    }
  }
}
