package aha.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import aha.stage.Manifest;
import aha.testing.Cli;
import aha.testing.Runs;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL the CLI in the middle of SFT, rerun it, and compare with an uninterrupted run. */
@Tag("slow")
class SftKillResumeTest {
  @Test
  void aKilledRunResumesFromItsLastCheckpointToTheSameMetrics(@TempDir Path tmp) throws Exception {
    Path recipe = Runs.writeRecipe(tmp, SftStageTest.recipe("max_steps: 80\nsave_steps: 10\neval_steps: 20")
        .replace("    eval_steps: 40\n", ""));
    Path killed = tmp.resolve("killed");
    Path clean = tmp.resolve("clean");
    SftStageTest.prepareInput(tmp, recipe, killed, SftFixtures.conversations(50));
    SftStageTest.prepareInput(tmp, recipe, clean, SftFixtures.conversations(50));

    Path checkpoints = killed.resolve("toy/.state/02-sft/checkpoints");
    // every run in its own JVM on one libtorch thread, so the curves can be compared to 1e-5
    Process p = Cli.start(tmp.resolve("first.log"), Cli.ONE_THREAD, "run", recipe.toString(), "--output-dir",
        killed.toString(), "--stage", "sft");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (!Files.exists(checkpoints.resolve("step-20")) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(p.isAlive()).as(Files.readString(tmp.resolve("first.log"))).isTrue();
    p.destroyForcibly(); // SIGKILL: no shutdown hooks, possibly a torn metrics line
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(killed.resolve("toy/02-sft")).doesNotExist();

    assertThat(sft(tmp.resolve("resume.log"), recipe, killed)).as(Files.readString(tmp.resolve("resume.log"))).isZero();
    JsonNode m = Manifest.read(killed.resolve("toy/02-sft"));
    assertThat(m.path("counters").path("sft.resumed_from_step").asLong()).isGreaterThanOrEqualTo(20);

    assertThat(sft(tmp.resolve("clean.log"), recipe, clean)).as(Files.readString(tmp.resolve("clean.log"))).isZero();
    List<JsonNode> a = MetricsLog.read(clean.resolve("toy/02-sft/metrics.jsonl"));
    List<JsonNode> b = MetricsLog.read(killed.resolve("toy/02-sft/metrics.jsonl"));
    assertThat(b).hasSameSizeAs(a).hasSize(80);
    for (int i = 0; i < a.size(); i++) {
      for (String k : List.of("step", "loss", "lr", "grad_norm", "eval_loss")) {
        assertThat(b.get(i).has(k)).as("step %d %s", i + 1, k).isEqualTo(a.get(i).has(k));
        double x = a.get(i).path(k).asDouble();
        assertThat(b.get(i).path(k).asDouble()).as("step %d %s", i + 1, k).isCloseTo(x, within(1e-5 * Math.max(1, Math.abs(x))));
      }
    }
  }

  private static int sft(Path log, Path recipe, Path out) throws Exception {
    return Cli.run(log, Cli.ONE_THREAD, "run", recipe.toString(), "--output-dir", out.toString(), "--stage", "sft");
  }
}
