package aha.grpo.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import aha.model.Checkpoint;
import aha.model.SafeTensors;
import aha.recipe.RecipeError;
import aha.recipe.RecipeLoader;
import aha.stage.Manifest;
import aha.testing.Runs;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grpo stage run through the StageRunner on a tiny random policy. */
class GrpoStageTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Calls of the crashing reward left before it throws; negative = never. */
  static final AtomicInteger CRASH_AFTER = new AtomicInteger(-1);

  @BeforeAll
  static void registerRewards() {
    // pays the share of digits in the completion: a random student writes some, so groups have
    // reward spread from the first step and the policy can learn to write more
    GrpoRewards.register("test_digits", s -> digitShare(s.completion()));
    GrpoRewards.register(
        "test_crashy_digits",
        s -> {
          if (CRASH_AFTER.get() >= 0 && CRASH_AFTER.getAndDecrement() == 0) {
            throw new IllegalStateException("simulated crash");
          }
          return digitShare(s.completion());
        });
    // reward spread only for problems with an even target: the other groups carry no signal
    GrpoRewards.register(
        "test_even_target_digits",
        s -> Long.parseLong(s.answer()) % 2 == 0 ? digitShare(s.completion()) : 0.0);
  }

  @AfterAll
  static void unregister() {
    GrpoRewards.unregister("test_even_target_digits");
    GrpoRewards.unregister("test_digits");
    GrpoRewards.unregister("test_crashy_digits");
  }

  static double digitShare(String text) {
    if (text.isEmpty()) return 0.0;
    return text.chars().filter(Character::isDigit).count() / (double) text.length();
  }

  static final String PREPARE =
      """
      name: grpo-test
      seed: 3
      stages:
        - type: prepare
          source: {generator: countdown, count: 60, numbers: 3, max_number: 12, max_target: 60, style: short}
          eval_holdout: 5
      """;

  static final String TINY =
      "{init: tiny, hidden: 32, layers: 2, heads: 2, kv_heads: 1, intermediate: 64, max_positions: 96}";

  static List<JsonNode> lines(Path f) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(f)) out.add(JSON.readTree(l));
    return out;
  }

  @Test
  void aTinyRunWritesMetricsSamplesAndAReloadableCheckpointThatMovedFromTheStart(@TempDir Path tmp)
      throws Exception {
    Path r =
        Runs.writeRecipe(
            tmp,
            PREPARE
                + """
          - type: grpo
            model: %s
            system_prompt: "Answer with an equation."
            reward_funcs: [accuracy, r1_format, test_digits]
            reward_weights: [1.0, 0.5, 1.0]
            num_generations: 4
            per_device_train_batch_size: 2
            micro_batch_size: 3
            max_completion_length: 10
            learning_rate: 3.0e-3
            loss_type: dapo
            beta: 0.04
            num_iterations: 2
            max_steps: 3
            save_steps: 2
            log_completions: 3
        """
                    .formatted(TINY));
    Runs.run(r, tmp.resolve("out"));
    Path stage = tmp.resolve("out/grpo-test/02-grpo");
    JsonNode manifest = Manifest.read(stage);
    assertThat(manifest.path("counters").path("grpo.steps").asLong()).isEqualTo(3);
    assertThat(manifest.path("counters").path("grpo.completions").asLong()).isEqualTo(3 * 2 * 4);

    List<JsonNode> metrics = lines(stage.resolve("metrics.jsonl"));
    assertThat(metrics).extracting(m -> m.path("step").asInt()).containsExactly(1, 2, 3);
    for (JsonNode m : metrics) {
      for (String k :
          List.of(
              "reward",
              "reward_std",
              "rewards/accuracy/mean",
              "rewards/test_digits/mean",
              "accuracy",
              "completion_length",
              "reflection_rate",
              "accuracy_no_reflect",
              "kl",
              "clip_ratio_region_mean",
              "entropy",
              "frac_reward_zero_std",
              "lr",
              "loss",
              "grad_norm")) {
        assertThat(m.has(k)).as(k).isTrue();
      }
      assertThat(m.path("loss").isNumber()).isTrue();
      assertThat(Double.isFinite(m.path("loss").asDouble())).isTrue();
      assertThat(m.path("kl").asDouble()).isGreaterThanOrEqualTo(0.0);
      assertThat(m.path("accuracy_reflect").isNull() || m.path("accuracy_reflect").isNumber())
          .isTrue();
      assertThat(m.path("lr").asDouble()).isEqualTo(3.0e-3);
      assertThat(m.path("completion_length").asDouble()).isBetween(1.0, 10.0);
      assertThat(m.path("entropy").asDouble()).isPositive();
      // reward is the weighted sum of the per-function means (no row is unscorable here)
      double combined =
          m.path("rewards/accuracy/mean").asDouble()
              + 0.5 * m.path("rewards/r1_format/mean").asDouble()
              + m.path("rewards/test_digits/mean").asDouble();
      assertThat(m.path("reward").asDouble()).isCloseTo(combined, within(1e-9));
    }
    // the second iteration on each batch moves the ratio away from 1: KL to the reference grows
    assertThat(metrics.get(2).path("kl").asDouble()).isPositive();

    List<JsonNode> samples = lines(stage.resolve("samples.jsonl"));
    assertThat(samples).hasSize(9);
    for (JsonNode s : samples) {
      assertThat(s.path("problem_id").asText()).startsWith("countdown-");
      assertThat(s.path("prompt").asText()).startsWith("Use ").contains("to make");
      assertThat(s.path("correct").isBoolean()).isTrue();
      assertThat(s.path("reflects").isBoolean()).isTrue();
      assertThat(s.has("completion") && s.has("reward")).isTrue();
    }
    assertThat(samples)
        .extracting(s -> s.path("step").asInt())
        .containsExactly(1, 1, 1, 2, 2, 2, 3, 3, 3);

    Path state = tmp.resolve("out/grpo-test/.state/02-grpo");
    assertThat(state.resolve("checkpoints/step-2/model/config.json")).exists();
    assertThat(state.resolve("checkpoints/step-2/optimizer.safetensors")).exists();
    try (NDManager m = NDManager.newBaseManager();
        Checkpoint trained = Checkpoint.load(stage.resolve("checkpoint"), m);
        Checkpoint init = Checkpoint.load(onlyChild(state, "init-tiny-"), m)) {
      assertThat(trained.tokenizer()).isNotNull();
      assertThat(Files.readString(stage.resolve("checkpoint/tokenizer_config.json")))
          .contains("chat_template");
      double moved = 0;
      for (Map.Entry<String, NDArray> e : trained.model().parameters().entrySet()) {
        NDArray before = init.model().parameters().get(e.getKey());
        moved = Math.max(moved, e.getValue().sub(before).abs().max().getFloat());
      }
      assertThat(moved).isGreaterThan(1e-4);
      // the final checkpoint is exactly what the loop trained: reloading and saving again is
      // bit-equal
      Path again = tmp.resolve("again");
      Checkpoint.save(
          again,
          trained.model(),
          trained.tokenizer(),
          trained.chatTemplate(),
          trained.eosTokenIds(),
          SafeTensors.Dtype.F32);
      assertThat(Files.readAllBytes(again.resolve("model.safetensors")))
          .isEqualTo(Files.readAllBytes(stage.resolve("checkpoint/model.safetensors")));
    }
  }

  @Test
  @Tag("slow")
  void aLearnableRewardRisesOverSteps(@TempDir Path tmp) throws Exception {
    Path r =
        Runs.writeRecipe(
            tmp,
            PREPARE
                + """
          - type: grpo
            model: %s
            reward_funcs: [test_digits]
            reward_weights: [1.0]
            num_generations: 8
            per_device_train_batch_size: 4
            max_completion_length: 8
            learning_rate: 1.0e-2
            loss_type: grpo
            max_steps: 16
            save_steps: 100
        """
                    .formatted(TINY));
    Runs.run(r, tmp.resolve("out"));
    List<JsonNode> metrics = lines(tmp.resolve("out/grpo-test/02-grpo/metrics.jsonl"));
    assertThat(metrics).hasSize(16);
    double first =
        metrics.subList(0, 4).stream()
            .mapToDouble(m -> m.path("reward").asDouble())
            .average()
            .orElseThrow();
    double last =
        metrics.subList(12, 16).stream()
            .mapToDouble(m -> m.path("reward").asDouble())
            .average()
            .orElseThrow();
    assertThat(last)
        .as("mean reward of the last 4 steps vs the first 4 (%.3f)", first)
        .isGreaterThan(first + 0.15);
  }

  @Test
  void aCrashedRunResumesFromItsLastSnapshotAndFollowsTheUninterruptedCurve(@TempDir Path tmp)
      throws Exception {
    String grpo =
        PREPARE
            + """
          - type: grpo
            model: %s
            reward_funcs: [test_crashy_digits]
            reward_weights: [1.0]
            num_generations: 4
            per_device_train_batch_size: 2
            max_completion_length: 8
            learning_rate: 5.0e-3
            loss_type: bnpo
            max_steps: 4
            save_steps: 2
        """
                .formatted(TINY);
    Path r = Runs.writeRecipe(tmp, grpo);
    CRASH_AFTER.set(2 * 8 + 3); // 8 completions per step: crash inside step 3
    assertThatThrownBy(() -> Runs.run(r, tmp.resolve("out")))
        .hasMessageContaining("simulated crash");
    CRASH_AFTER.set(-1);
    Path stage = tmp.resolve("out/grpo-test/02-grpo");
    assertThat(stage).doesNotExist();
    assertThat(tmp.resolve("out/grpo-test/.state/02-grpo/checkpoints/step-2")).exists();

    Runs.run(r, tmp.resolve("out"));
    JsonNode manifest = Manifest.read(stage);
    assertThat(manifest.path("summary").path("resumed_from_step").asInt()).isEqualTo(2);
    assertThat(manifest.path("counters").path("grpo.steps").asLong()).isEqualTo(2);
    List<JsonNode> resumed = lines(stage.resolve("metrics.jsonl"));
    assertThat(resumed).extracting(m -> m.path("step").asInt()).containsExactly(1, 2, 3, 4);

    Runs.run(r, tmp.resolve("clean"));
    List<JsonNode> clean = lines(tmp.resolve("clean/grpo-test/02-grpo/metrics.jsonl"));
    for (int i = 0; i < 4; i++) {
      assertThat(resumed.get(i).path("reward").asDouble())
          .as("reward at step " + (i + 1))
          .isCloseTo(clean.get(i).path("reward").asDouble(), within(1e-9));
      // same weights and optimizer state after the resume: the same gradients
      assertThat(resumed.get(i).path("grad_norm").asDouble())
          .as("grad_norm at step " + (i + 1))
          .isCloseTo(clean.get(i).path("grad_norm").asDouble(), within(1e-6));
      assertThat(resumed.get(i).path("entropy").asDouble())
          .isCloseTo(clean.get(i).path("entropy").asDouble(), within(1e-6));
    }
    assertThat(lines(stage.resolve("samples.jsonl")))
        .hasSameSizeAs(lines(tmp.resolve("clean/grpo-test/02-grpo/samples.jsonl")));
  }

  @Test
  void dynamicSamplingDropsGroupsWithoutRewardSpreadAndRefills(@TempDir Path tmp) throws Exception {
    Path r =
        Runs.writeRecipe(
            tmp,
            PREPARE
                + """
          - type: grpo
            model: %s
            reward_funcs: [test_even_target_digits]
            reward_weights: [1.0]
            num_generations: 4
            per_device_train_batch_size: 4
            max_completion_length: 6
            learning_rate: 1.0e-3
            loss_type: dapo
            dynamic_sampling: true
            max_num_gen_batches: 3
            max_steps: 4
        """
                    .formatted(TINY));
    Runs.run(r, tmp.resolve("out"));
    List<JsonNode> metrics = lines(tmp.resolve("out/grpo-test/02-grpo/metrics.jsonl"));
    boolean refilled = false;
    for (JsonNode m : metrics) {
      double sampled = m.path("sampling/groups_sampled").asDouble();
      double kept = m.path("sampling/groups_kept").asDouble();
      assertThat(kept).isBetween(1.0, 4.0);
      assertThat(sampled).isIn(4.0, 8.0, 12.0);
      // a refill happens exactly when the first batch had fewer than 4 groups with spread
      if (sampled > 4) refilled = true;
      assertThat(kept < 4).isEqualTo(sampled == 12 && kept < 4);
      // every sampled completion counts in the rollout metrics, kept or not
      assertThat(m.path("num_completions").asInt()).isEqualTo((int) sampled * 4);
      assertThat(m.path("frac_reward_zero_std").asDouble()).isPositive();
    }
    assertThat(refilled).isTrue();
  }

  static Path onlyChild(Path dir, String prefix) throws Exception {
    try (var s = Files.list(dir)) {
      List<Path> found = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
      assertThat(found).hasSize(1);
      return found.get(0);
    }
  }

  static String invalid(String grpoBody) {
    return PREPARE + "  - type: grpo\n" + grpoBody.indent(4);
  }

  @Test
  void badRecipeValuesFailValidationWithKeyPaths() {
    String base =
        """
        model: {init: tiny}
        num_generations: 4
        learning_rate: 1.0e-4
        max_steps: 2
        """;
    assertThatThrownBy(
            () ->
                RecipeLoader.parse(
                    invalid(
                        base
                            + """
        reward_funcs: [accuracy, formatt]
        reward_weights: [1.0, 0.1]
        loss_type: dapo
        """),
                    "r.yaml"))
        .isInstanceOf(RecipeError.class)
        .hasMessageContaining(
            "stages[1].reward_funcs[1] 'formatt' is not a reward function; did you mean 'format'?");
    assertThatThrownBy(
            () ->
                RecipeLoader.parse(
                    invalid(
                        base
                            + """
        reward_funcs: [accuracy, format]
        reward_weights: [1.0]
        loss_type: dapo
        """),
                    "r.yaml"))
        .isInstanceOf(RecipeError.class)
        .hasMessageContaining("stages[1].reward_weights has 1 values but reward_funcs has 2");
    assertThatThrownBy(
            () ->
                RecipeLoader.parse(
                    invalid(
                        base
                            + """
        reward_funcs: [accuracy]
        reward_weights: [1.0]
        loss_type: ppo
        """),
                    "r.yaml"))
        .isInstanceOf(RecipeError.class)
        .hasMessageContaining(
            "stages[1].loss_type must be one of [grpo, bnpo, dr_grpo, dapo], got 'ppo'");
    assertThatThrownBy(
            () ->
                RecipeLoader.parse(
                    invalid(
                        """
        model: {init: tiny}
        num_generations: 1
        max_steps: 2
        reward_funcs: [accuracy]
        """),
                    "r.yaml"))
        .isInstanceOf(RecipeError.class)
        .hasMessageContaining("stages[1].num_generations must be within [2, 1024], got 1")
        .hasMessageContaining("stages[1].reward_weights is required")
        .hasMessageContaining("stages[1].loss_type is required")
        .hasMessageContaining("stages[1].learning_rate is required");
    assertThatThrownBy(
            () ->
                RecipeLoader.parse(
                    invalid(
                        """
        from: sft
        num_generations: 4
        learning_rate: 1.0e-4
        max_steps: 2
        reward_funcs: [accuracy]
        reward_weights: [1.0]
        loss_type: grpo
        """),
                    "r.yaml"))
        .isInstanceOf(RecipeError.class)
        .hasMessageContaining("stages[1].from refers to 'sft', which is not an earlier stage");
  }
}
