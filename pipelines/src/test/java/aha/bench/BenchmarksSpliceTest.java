package aha.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `scripts/aha bench --only X` replaces X's section of an existing report and keeps the rest. */
class BenchmarksSpliceTest {
  static final String REPORT = """
      # Benchmarks

      Machine: old

      ## Model: speed

      old model figures
      a note written by hand

      ## Filter stage

      filter figures
      """;

  @Test
  void theSectionRunReplacesItsOwnAndTheOthersStayWordForWord() {
    Map<String, String> run = new LinkedHashMap<>();
    run.put("Model: speed", "## Model: speed\n\nnew model figures\n\n");
    String out = Benchmarks.splice(REPORT, run);
    assertThat(out).isEqualTo("""
        # Benchmarks

        Machine: old

        ## Model: speed

        new model figures

        ## Filter stage

        filter figures
        """);
  }

  @Test
  void aSectionTheReportLacksIsAppended() {
    Map<String, String> run = new LinkedHashMap<>();
    run.put("Eval", "## Eval\n\neval figures\n");
    String out = Benchmarks.splice(REPORT, run);
    assertThat(out).startsWith(REPORT).endsWith("filter figures\n\n## Eval\n\neval figures\n");
  }
}
