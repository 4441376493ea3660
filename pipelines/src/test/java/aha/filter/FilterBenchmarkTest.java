package aha.filter;

import static org.assertj.core.api.Assertions.assertThat;

import aha.stage.Runner;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's synthetic data filters as designed (the timing itself is not asserted). */
@Tag("slow")
class FilterBenchmarkTest {
  @TempDir Path tmp;

  @Test
  void halfTheGenerationsSurvive() throws Exception {
    FilterBenchmark.Result r = FilterBenchmark.run(400, Runner.DIRECT, tmp, name -> new ExactAnswers());
    assertThat(r.counters()).containsEntry("filter.input", 400L).containsEntry("filter.kept", 200L)
        .containsEntry("filter.rejected_incorrect", 100L).containsEntry("filter.rejected_incomplete", 100L)
        .containsEntry("filter.problems", 100L).containsEntry("filter.prompts", 100L);
  }

  /** {@code GENERATIONS [direct|spark] [DIR]}: the benchmark with the tests' exact Countdown checker. */
  public static void main(String[] args) throws Exception {
    long n = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
    Runner runner = args.length > 1 ? Runner.parse(args[1]) : Runner.DIRECT;
    Path dir = Path.of(args.length > 2 ? args[2] : "/tmp/aha-filter-bench");
    FilterBenchmark.print(FilterBenchmark.run(n, runner, dir, name -> new ExactAnswers()));
  }
}
