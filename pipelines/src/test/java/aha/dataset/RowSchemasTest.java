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
  void writeLeavesNoTemporaryFileBehind(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("eval-00000-of-00001.parquet");
    ParquetFiles.write(f, Problem.SCHEMA, List.of(MATH.toAvro()));
    try (var files = java.nio.file.Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("eval-00000-of-00001.parquet");
    }
  }
}
