package aha.bench;

import aha.FileTree;
import aha.recipe.Recipe;
import aha.recipe.RecipeLoader;
import aha.stage.Runner;
import aha.stage.StageRunner;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * GRPO steps of the built-in recipe's student shape (hidden 128, 4 layers, a fresh tiny model) with
 * its GRPO settings (8 completions for each of 16 prompts, up to 192 new tokens, DAPO loss): the
 * real stage, timed from its own metrics. Per step: rollout seconds (KV-cache sampling of 128
 * completions), update seconds (log-probs, loss and Adam over the same completions), and completion
 * tokens per second for each. A fresh student's completions are as long as it samples them (it
 * hits its end-of-turn token at random, ~40 tokens on average), shorter than an SFT student's, so
 * tokens/s is the figure that carries over to the built-in recipe. Argument: {@code --steps N}
 * (default 4).
 */
public final class GrpoBenchmark {
  private GrpoBenchmark() {}

  static final String RECIPE = """
      name: bench-grpo
      seed: 42
      stages:
        - type: prepare
          source: {generator: countdown, count: 2000, numbers: 3, max_number: 12, max_target: 60, style: short}
          eval_holdout: 10
        - type: grpo
          model: {init: tiny, hidden: 128, layers: 4, heads: 4, kv_heads: 2, intermediate: 352, max_positions: 320}
          reward_funcs: [accuracy]
          reward_weights: [1.0]
          num_generations: 8
          per_device_train_batch_size: 16
          max_prompt_length: 64
          max_completion_length: 192
          temperature: 1.0
          learning_rate: 1.0e-4
          loss_type: dapo
          scale_rewards: group
          beta: 0.0
          max_steps: %d
          save_steps: 1000
      """;

  public static void main(String[] args) throws Exception {
    int steps = args.length >= 2 && args[0].equals("--steps") ? Integer.parseInt(args[1]) : 4;
    Path root = Files.createTempDirectory("aha-bench-grpo");
    try {
      Path recipeFile = root.resolve("bench.yaml");
      Files.writeString(recipeFile, RECIPE.formatted(steps));
      Recipe recipe = RecipeLoader.load(recipeFile);
      new StageRunner(new StageRunner.Options(Runner.DIRECT, null, true, null, root, false),
          new PrintStream(OutputStream.nullOutputStream())).run(recipe, recipeFile);
      Path stage = root.resolve("bench-grpo/02-grpo");
      List<JsonNode> rows = new ArrayList<>();
      for (String line : Files.readAllLines(stage.resolve("metrics.jsonl"))) {
        if (!line.isBlank()) rows.add(RecipeLoader.json().readTree(line));
      }
      System.out.println("| step | completions | mean length (tokens) | rollout | update | step | rollout tokens/s | update tokens/s |");
      System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
      double rollout = 0, update = 0, tokens = 0;
      for (JsonNode m : rows) {
        double completions = m.path("sampling/groups_sampled").asDouble() * 8;
        double length = m.path("completion_length").asDouble();
        double gen = m.path("generation_time").asDouble();
        double step = m.path("step_time").asDouble();
        double upd = step - gen;
        double tok = completions * length;
        System.out.printf("| %d | %.0f | %.1f | %.2f s | %.2f s | %.2f s | %,.0f | %,.0f |%n", m.path("step").asInt(),
            completions, length, gen, upd, step, tok / gen, tok / upd);
        // the first step pays for JIT warm-up and native library loading: averages leave it out
        if (m.path("step").asInt() > 1) {
          rollout += gen;
          update += upd;
          tokens += tok;
        }
      }
      int n = rows.size() - 1;
      if (n > 0) {
        System.out.printf("%nSteps 2..%d: **%.2f s rollout + %.2f s update per step**, %,.0f completion tokens/s"
            + " generated, %,.0f trained.%n", rows.size(), rollout / n, update / n, tokens / rollout, tokens / update);
      }
      System.out.println();
      System.out.println("The grpo stage itself (DirectRunner prepare first, not timed): a fresh tiny student of the "
          + "built-in shape, 16 prompts x 8 completions, max 192 new tokens, DAPO loss, beta 0, one update per step. "
          + "Update = step time - rollout time (log-probs, loss, backward, Adam). A fresh student stops at random, "
          + "so its completions are shorter than an SFT student's: compare tokens/s, not seconds per step.");
    } finally {
      FileTree.delete(root);
    }
  }
}
