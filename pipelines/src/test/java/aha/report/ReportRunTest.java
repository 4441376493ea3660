package aha.report;

import static org.assertj.core.api.Assertions.assertThat;

import aha.stage.StageRunner;
import aha.testing.Runs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prepare -> eval -> report through the StageRunner: the run-level report/ folder and reruns. */
class ReportRunTest {
  @Test
  @Tag("slow")
  void aRunEndsWithRunReportAndARerunSkipsButRestoresIt(@TempDir Path tmp) throws Exception {
    Path recipe =
        Runs.writeRecipe(
            tmp,
            """
        name: rep
        seed: 9
        stages:
          - type: prepare
            source: {generator: countdown, count: 30, numbers: 3, max_number: 12, max_target: 60, style: short}
            eval_holdout: 3
          - type: eval
            models: [{label: base, init: tiny}]
            sets: [prepare.eval]
            n_samples: 2
            max_new_tokens: 8
          - type: report
            from: [eval]
        """);
    List<StageRunner.Result> first = Runs.run(recipe, tmp.resolve("out"));
    assertThat(first).extracting(StageRunner.Result::outcome).containsOnly(StageRunner.Outcome.RAN);
    Path run = tmp.resolve("out/rep");
    JsonNode summary = new ObjectMapper().readTree(run.resolve("report/summary.json").toFile());
    JsonNode e = summary.path("eval").path("base").path("prepare.eval");
    assertThat(e.path("n_problems").asInt()).isEqualTo(3);
    assertThat(e.path("n_samples").asInt()).isEqualTo(2);
    assertThat(e.path("pass@1").isNumber()).isTrue();
    assertThat(e.path("stderr").isNumber()).isTrue();
    JsonNode evalResults =
        new ObjectMapper().readTree(run.resolve("02-eval/results.json").toFile());
    assertThat(summary.path("eval")).isEqualTo(evalResults.path("eval"));
    assertThat(ImageIO.read(run.resolve("report/plots/eval_pass1.png").toFile()).getWidth())
        .isEqualTo(Plots.WIDTH);
    assertThat(Files.readString(run.resolve("report/report.md")))
        .contains("| base | prepare.eval |");
    assertThat(run.resolve("03-report/_MANIFEST.json")).exists();

    // a rerun skips every stage, and puts back a report/ folder that was deleted
    Files.walk(run.resolve("report"))
        .sorted(java.util.Comparator.reverseOrder())
        .forEach(p -> p.toFile().delete());
    List<StageRunner.Result> second = Runs.run(recipe, tmp.resolve("out"));
    assertThat(second)
        .extracting(StageRunner.Result::outcome)
        .containsOnly(StageRunner.Outcome.SKIPPED);
    assertThat(Files.readString(run.resolve("report/summary.json")))
        .isEqualTo(Files.readString(run.resolve("03-report/summary.json")));
  }
}
