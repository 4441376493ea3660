package aha.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.BadInputException;
import aha.dataset.ParquetFiles;
import aha.filter.FilterBenchmark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scaling benchmark's inputs and table (the times themselves are not asserted). */
class ScalingBenchmarkTest {
  @Test
  void generationsAreWrittenInFourShardsOnceForASize(@TempDir Path tmp) throws Exception {
    Path generate = tmp.resolve("generate");
    FilterBenchmark.writeGenerations(generate, 1_000);
    List<Path> files = ParquetFiles.split(generate.resolve("data"), "train");
    assertThat(files).hasSize(4);
    // one row per problem with its four generations
    assertThat(files.stream().mapToLong(ParquetFiles::rowCount).sum()).isEqualTo(250);
    assertThat(files).allSatisfy(f -> assertThat(ParquetFiles.rowCount(f)).isBetween(62L, 63L));
    var modified = Files.getLastModifiedTime(files.get(0));
    FilterBenchmark.writeGenerations(generate, 1_000);
    assertThat(Files.getLastModifiedTime(files.get(0))).as("reused, not rewritten").isEqualTo(modified);
    FilterBenchmark.writeGenerations(generate, 400);
    assertThat(ParquetFiles.split(generate.resolve("data"), "train").stream().mapToLong(ParquetFiles::rowCount).sum()).isEqualTo(100);
  }

  @Test
  @Tag("slow") // a Beam pipeline: ~5 s on a quiet machine, 25 s on a loaded one
  void theFilterWorkloadFiltersEveryGenerationOnDirect() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    List<ScalingBenchmark.Row> rows = ScalingBenchmark.print(
        new String[] {"--workload", "filter", "--sizes", "800", "--runners", "direct"}, new PrintStream(buf, true, StandardCharsets.UTF_8));
    assertThat(rows).hasSize(1);
    // every generation comes out once, kept or rejected
    assertThat(rows.get(0).outputRows()).isEqualTo(800);
    assertThat(rows.get(0).seconds()).isPositive();
    assertThat(buf.toString(StandardCharsets.UTF_8)).startsWith(ScalingBenchmark.HEADER).contains("| filter | 800 generations | Direct |");
  }

  @Test
  void badArgumentsAreOneSentence() {
    assertThat(ScalingBenchmark.sizes("100k, 1M,5000")).containsExactly(100_000L, 1_000_000L, 5_000L);
    assertThatThrownBy(() -> ScalingBenchmark.sizes("lots")).isInstanceOf(BadInputException.class).hasMessageContaining("'lots'");
    PrintStream out = new PrintStream(new ByteArrayOutputStream());
    assertThatThrownBy(() -> ScalingBenchmark.print(new String[] {"--workload", "nope"}, out))
        .isInstanceOf(BadInputException.class).hasMessageContaining("filter");
    assertThatThrownBy(() -> ScalingBenchmark.print(new String[] {"--workload", "filter", "--runners", "yarn"}, out))
        .isInstanceOf(BadInputException.class).hasMessageContaining("'yarn'");
  }
}
