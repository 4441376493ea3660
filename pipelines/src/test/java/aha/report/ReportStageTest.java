package aha.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.BadInputException;
import aha.stage.StageContext;
import aha.stage.StageContexts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report stage on hand-written sft/grpo/eval folders, with an aha moment planted at step 31 of
 * 60 (reward, length and reflection all jump and stay up) and two decoys before it: a reward-only
 * spike and a short joint spike that falls back.
 */
class ReportStageTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int STEPS = 60;
  static final int PLANTED = 31;

  static Path stage(Path run, String folder, String type) throws Exception {
    Path d = run.resolve(folder);
    Files.createDirectories(d);
    Files.writeString(
        d.resolve("_MANIFEST.json"), "{\"type\": \"" + type + "\", \"stage\": \"" + type + "\"}");
    return d;
  }

  static Path sft(Path run) throws Exception {
    Path d = stage(run, "01-sft", "sft");
    StringBuilder m = new StringBuilder();
    for (int s = 1; s <= 20; s++) {
      m.append(
          String.format(
              Locale.ROOT,
              "{\"step\": %d, \"loss\": %.4f, \"lr\": 0.0003, \"grad_norm\": 1.0, \"tokens_per_s\": 900",
              s,
              3.0 / s));
      if (s % 5 == 0) m.append(String.format(Locale.ROOT, ", \"eval_loss\": %.4f", 3.3 / s));
      m.append("}\n");
    }
    Files.writeString(d.resolve("metrics.jsonl"), m);
    return d;
  }

  /**
   * GRPO metrics with the planted step; {@code withAha} false keeps reflection flat (noise only).
   */
  static Path grpo(Path run, boolean withAha) throws Exception {
    Path d = stage(run, "02-grpo", "grpo");
    Random rng = new Random(1);
    StringBuilder m = new StringBuilder();
    StringBuilder samples = new StringBuilder();
    for (int s = 1; s <= STEPS; s++) {
      boolean after = s >= PLANTED;
      boolean jointDecoy = s >= 15 && s <= 17;
      double reward =
          (after || jointDecoy ? 0.6 : 0.2)
              + (s >= 8 && s <= 10 ? 0.5 : 0)
              + 0.03 * rng.nextGaussian();
      double length = (after || jointDecoy ? 180 : 100) + 5 * rng.nextGaussian();
      double reflect = (withAha && (after || jointDecoy) ? 0.4 : 0.05) + 0.02 * rng.nextGaussian();
      m.append(
          String.format(
              Locale.ROOT,
              "{\"step\": %d, \"reward\": %.5f, \"reward_std\": 0.1, \"accuracy\": %.5f,"
                  + " \"completion_length\": %.3f, \"reflection_rate\": %.5f, \"accuracy_reflect\": 0.5, \"accuracy_no_reflect\": 0.3,"
                  + " \"kl\": 0.0, \"lr\": 0.000001}%n",
              s,
              reward,
              reward * 0.9,
              length,
              reflect));
      if (s % 5 == 1) {
        String text =
            after && withAha
                ? "<think>3+4=7, 7*2=14. Wait, let me check: 14 uses every number once.</think><answer>(3+4)*2</answer>"
                : "<think>3*4=12</think><answer>3*4</answer>";
        samples
            .append(
                JSON.writeValueAsString(
                    Map.of(
                        "step",
                        s,
                        "problem_id",
                        "p" + s,
                        "prompt",
                        "Make 14 from 3 4 2",
                        "completion",
                        text,
                        "reward",
                        after ? 1.0 : 0.0,
                        "correct",
                        after,
                        "reflects",
                        after && withAha)))
            .append('\n');
      }
    }
    Files.writeString(d.resolve("metrics.jsonl"), m);
    Files.writeString(d.resolve("samples.jsonl"), samples);
    return d;
  }

  static Path eval(Path run) throws Exception {
    Path d = stage(run, "03-eval", "eval");
    Files.writeString(
        d.resolve("results.json"),
        """
        {"settings": {"n_samples": 4, "temperature": 0.6, "top_p": 0.95, "max_new_tokens": 256, "seed": 1},
         "eval": {
           "sft":  {"prepare.eval": {"pass@1": 0.30, "stderr": 0.04, "n_problems": 100, "n_samples": 4, "unscorable": 0,
                                     "pass@k": {"1": 0.30, "2": 0.41, "4": 0.52}, "maj@k": {"1": 0.30, "2": 0.30, "4": 0.33},
                                     "greedy": 0.31, "mean_length": 120.0, "reflection_rate": 0.05}},
           "grpo": {"prepare.eval": {"pass@1": 0.45, "stderr": 0.05, "n_problems": 100, "n_samples": 4, "unscorable": 0,
                                     "pass@k": {"1": 0.45, "2": 0.55, "4": 0.63}, "maj@k": {"1": 0.45, "2": 0.45, "4": 0.50},
                                     "greedy": 0.47, "mean_length": 190.0, "reflection_rate": 0.41}}}}
        """);
    return d;
  }

  static Path runReport(Path run, Map<String, Path> inputs, ReportSpec spec) throws Exception {
    Path tmp = run.resolve(".04-report.tmp");
    Files.createDirectories(tmp);
    StageContext ctx = StageContexts.of("report", tmp, 1, inputs);
    ReportStage stage = new ReportStage();
    stage.run(spec, ctx);
    Path done = run.resolve("04-report");
    Files.move(tmp, done);
    stage.published(spec, done);
    return done;
  }

  static final ReportSpec SPEC = new ReportSpec(null, null, null, null, null);

  @Test
  void findsThePlantedAhaStepAndWritesSummaryMarkdownAndPlots(@TempDir Path run) throws Exception {
    Path done =
        runReport(run, Map.of("sft", sft(run), "grpo", grpo(run, true), "eval", eval(run)), SPEC);
    JsonNode summary = JSON.readTree(run.resolve("report/summary.json").toFile());

    // contract 8
    JsonNode e = summary.path("eval").path("grpo").path("prepare.eval");
    assertThat(e.path("pass@1").asDouble()).isEqualTo(0.45);
    assertThat(e.path("stderr").asDouble()).isEqualTo(0.05);
    assertThat(e.path("n_problems").asInt()).isEqualTo(100);
    assertThat(e.path("n_samples").asInt()).isEqualTo(4);
    assertThat(e.path("pass@k").path("4").asDouble()).isEqualTo(0.63);
    assertThat(e.path("maj@k").path("4").asDouble()).isEqualTo(0.50);

    // window = early = 6 steps: the trailing mean crosses within a window of the planted step
    JsonNode aha = summary.path("grpo").path("aha");
    assertThat(aha.path("step").asInt()).isBetween(PLANTED, PLANTED + 5);
    assertThat(aha.path("window").asInt()).isEqualTo(6);
    assertThat(aha.path("after").path("reflection_rate").asDouble())
        .isGreaterThan(aha.path("before").path("reflection_rate").asDouble() + 0.25);
    assertThat(summary.path("grpo").path("steps").asInt()).isEqualTo(STEPS);
    assertThat(summary.path("sft").path("final_loss").asDouble()).isEqualTo(0.15);
    assertThat(summary.path("sft").path("final_eval_loss").asDouble()).isEqualTo(0.165);
    JsonNode quotes = summary.path("grpo").path("quotes");
    assertThat(quotes.path("before")).hasSize(2);
    quotes
        .path("before")
        .forEach(q -> assertThat(q.path("step").asInt()).isLessThan(aha.path("step").asInt()));
    quotes
        .path("after")
        .forEach(
            q -> {
              assertThat(q.path("step").asInt()).isGreaterThanOrEqualTo(aha.path("step").asInt());
              assertThat(q.path("completion").asText()).contains("Wait, let me check");
            });

    String md = Files.readString(run.resolve("report/report.md"));
    assertThat(md)
        .contains("**Aha step: " + aha.path("step").asInt() + "** of 60")
        .contains("| grpo | prepare.eval | 0.450 ± 0.050 |")
        .contains("Wait, let me check")
        .contains("plots/grpo_reflection_rate.png");

    List<String> plots =
        List.of(
            "eval_pass1.png",
            "sft_loss.png",
            "grpo_reward.png",
            "grpo_accuracy.png",
            "grpo_completion_length.png",
            "grpo_reflection_rate.png");
    assertThat(summary.path("plots")).hasSize(plots.size());
    for (String p : plots) {
      for (Path dir : List.of(done, run.resolve("report"))) {
        BufferedImage img = ImageIO.read(dir.resolve("plots").resolve(p).toFile());
        assertThat(img).as(p).isNotNull();
        assertThat(img.getWidth()).isEqualTo(Plots.WIDTH);
        assertThat(img.getHeight()).isEqualTo(Plots.HEIGHT);
      }
    }
    // the plot is not blank: the aha marker is drawn in pure red somewhere
    BufferedImage reward = ImageIO.read(done.resolve("plots/grpo_reward.png").toFile());
    assertThat(countColor(reward, 0xFF0000)).isPositive();
    assertThat(Files.readString(run.resolve("report/report.md")))
        .isEqualTo(Files.readString(done.resolve("report.md")));
  }

  @Test
  void saysPlainlyWhenThereIsNoAhaStep(@TempDir Path run) throws Exception {
    runReport(
        run,
        Map.of("grpo", grpo(run, false)),
        new ReportSpec(null, List.of("grpo"), null, 1, null));
    JsonNode summary = JSON.readTree(run.resolve("report/summary.json").toFile());
    assertThat(summary.path("grpo").path("aha").path("step").isNull()).isTrue();
    assertThat(summary.path("grpo").path("aha").path("why_none").asText()).isNotBlank();
    assertThat(summary.has("eval")).isFalse();
    String md = Files.readString(run.resolve("report/report.md"));
    assertThat(md)
        .contains("**No aha step was found**")
        .contains("First logged step (1)")
        .contains("Last logged step (56)");
  }

  @Test
  void aStageOfAnotherTypeIsBadInput(@TempDir Path run) throws Exception {
    Path prep = stage(run, "01-prepare", "prepare");
    assertThatThrownBy(
            () ->
                runReport(
                    run,
                    Map.of("prepare", prep),
                    new ReportSpec(null, List.of("prepare"), null, null, null)))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'prepare' is a prepare stage");
  }

  @Test
  void aMalformedMetricsLineIsNamed(@TempDir Path run) throws Exception {
    Path g = stage(run, "02-grpo", "grpo");
    Files.writeString(
        g.resolve("metrics.jsonl"), "{\"step\": 1, \"reward\": 0.1}\n{\"reward\": 0.2}\n");
    assertThatThrownBy(
            () ->
                runReport(
                    run,
                    Map.of("grpo", g),
                    new ReportSpec(null, List.of("grpo"), null, null, null)))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("metrics.jsonl:2")
        .hasMessageContaining("'step'");
    assertThat(run.resolve("report")).doesNotExist();
  }

  static long countColor(BufferedImage img, int rgb) {
    long n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) n++;
    }
    return n;
  }
}
