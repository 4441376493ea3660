package aha.bench;

import aha.FileTree;
import aha.recipe.Recipe;
import aha.recipe.RecipeLoader;
import aha.stage.Manifest;
import aha.stage.Runner;
import aha.stage.StageRunner;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * End to end: the stage times of the built-in recipe, read from the manifests of a finished {@code
 * make run} ({@code datasets/countdown-tiny/}), which records each stage's wall time. A full run
 * takes ~13 minutes, so the benchmark does not start one; without a finished run it times a
 * micro recipe (all seven stages, small counts) instead and says so. Arguments: {@code --run DIR}
 * (default {@code datasets/countdown-tiny}).
 */
public final class EndToEndBenchmark {
  private EndToEndBenchmark() {}

  /**
   * Every stage of the pipeline with small counts: well under a minute on 2 cores (also the run
   * that the kill-and-resume test interrupts).
   */
  public static final String MICRO = """
      name: micro
      seed: 5
      stages:
        - type: prepare
          source: {generator: countdown, count: 120, numbers: 3, max_number: 12, max_target: 60, style: short}
          eval_holdout: 8
        - type: generate
          teacher: {kind: local, slip_rate: 0.2}
          num_generations: 2
          sampling: {temperature: 0.6, max_tokens: 512}
        - type: filter
          verifier: countdown
          require_format: true
        - type: sft
          model: {init: tiny, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 2, num_key_value_heads: 1, intermediate_size: 64}
          learning_rate: 3.0e-3
          per_device_train_batch_size: 8
          max_steps: 120
          max_length: 320
          save_steps: 10
        - type: grpo
          from: sft
          reward_funcs: [accuracy]
          reward_weights: [1.0]
          num_generations: 4
          per_device_train_batch_size: 2
          max_completion_length: 24
          learning_rate: 1.0e-3
          loss_type: dapo
          scale_rewards: group
          beta: 0.0
          max_steps: 24
          save_steps: 3
        - type: eval
          models: [sft, grpo]
          sets: [prepare.eval]
          n_samples: 4
          max_new_tokens: 24
        - type: report
      """;

  public static void main(String[] args) throws Exception {
    Path run = Path.of(args.length >= 2 && args[0].equals("--run") ? args[1] : "datasets/countdown-tiny");
    List<JsonNode> manifests = manifests(run);
    if (manifests.size() >= 7) {
      System.out.println("From the manifests of the finished built-in run at `" + run + "` (`make run`):");
      System.out.println();
      table(manifests);
      return;
    }
    Path root = Files.createTempDirectory("aha-bench-e2e");
    try {
      Path recipeFile = root.resolve("micro.yaml");
      Files.writeString(recipeFile, MICRO);
      Recipe recipe = RecipeLoader.load(recipeFile);
      long t0 = System.nanoTime();
      new StageRunner(new StageRunner.Options(Runner.DIRECT, null, true, null, root, false),
          new PrintStream(OutputStream.nullOutputStream())).run(recipe, recipeFile);
      double wall = (System.nanoTime() - t0) / 1e9;
      System.out.println("No finished built-in run at `" + run + "` (run `make run` first for its figures);"
          + " this is the **micro recipe** instead (all seven stages, 120 problems, 120 SFT steps, 24 GRPO steps),"
          + String.format(" %.1f s wall in one JVM:", wall));
      System.out.println();
      table(manifests(root.resolve("micro")));
    } finally {
      FileTree.delete(root);
    }
  }

  static List<JsonNode> manifests(Path run) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    if (!Files.isDirectory(run)) return out;
    try (Stream<Path> s = Files.list(run)) {
      for (Path dir : s.filter(p -> p.getFileName().toString().matches("\\d\\d-.+")).sorted().toList()) {
        JsonNode m = Manifest.read(dir);
        if (m != null) out.add(m);
      }
    }
    return out;
  }

  static void table(List<JsonNode> manifests) {
    System.out.println("| stage | wall time | rows written | finished |");
    System.out.println("| --- | ---: | --- | --- |");
    double total = 0;
    for (JsonNode m : manifests) {
      double s = m.path("timing").path("seconds").asDouble();
      total += s;
      List<String> rows = new ArrayList<>();
      m.path("splits").fields().forEachRemaining(e -> rows.add(e.getKey() + " " + e.getValue().path("rows").asLong()));
      System.out.printf("| %s | %s | %s | %s |%n", m.path("stage").asText(), duration(s), String.join(", ", rows),
          m.path("timing").path("finished").asText());
    }
    System.out.printf("| **total** | **%s** | | |%n", duration(total));
  }

  static String duration(double s) {
    return s >= 60 ? String.format("%d min %.0f s", (int) (s / 60), s % 60) : String.format("%.1f s", s);
  }
}
