package aha.grpo.stage;

import aha.verify.Reflection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import aha.dataset.Problem;
import aha.recipe.Recipe;
import aha.recipe.RecipeLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReflectionAndScheduleTest {
  @Test
  void reflectionMarkersAreFoundCaseInsensitivelyAndNotInsideOtherWords() {
    assertThat(Reflection.reflects("3+4=7. Wait, that uses 4 twice.")).isTrue();
    assertThat(Reflection.reflects("Let me check: 6*5=30.")).isTrue();
    assertThat(Reflection.reflects("I re-check the sum.")).isTrue();
    assertThat(Reflection.reflects("Alternatively, 12-3=9.")).isTrue();
    assertThat(Reflection.reflects("let me verify this")).isTrue();
    assertThat(Reflection.reflects("<think>\n3+4=7\n</think>\n<answer>3+4</answer>")).isFalse();
    assertThat(Reflection.reflects("the waiter awaits")).isFalse();
    assertThat(Reflection.reflects(null)).isFalse();
  }

  static GrpoSpec spec(String extra) {
    Recipe r =
        RecipeLoader.parse(
            """
        name: s
        seed: 1
        stages:
          - type: prepare
            source: {generator: countdown, count: 10}
          - type: grpo
            model: {init: tiny}
            reward_funcs: [accuracy]
            reward_weights: [1.0]
            num_generations: 2
            learning_rate: 1.0
            loss_type: dapo
            max_steps: 11
        """
                + extra.indent(4),
            "s.yaml");
    return (GrpoSpec) r.stages().get(1);
  }

  @Test
  void learningRateSchedulesWarmUpThenDecayOverMaxSteps() {
    GrpoSpec constant = spec("");
    assertThat(GrpoStage.learningRate(constant, 1)).isEqualTo(1.0);
    assertThat(GrpoStage.learningRate(constant, 11)).isEqualTo(1.0);
    GrpoSpec linear = spec("lr_scheduler_type: linear\nwarmup_steps: 1\n");
    assertThat(GrpoStage.learningRate(linear, 1)).isCloseTo(0.5, within(1e-12));
    assertThat(GrpoStage.learningRate(linear, 2)).isCloseTo(1.0, within(1e-12));
    assertThat(GrpoStage.learningRate(linear, 7)).isCloseTo(0.5, within(1e-12));
    GrpoSpec cosine = spec("lr_scheduler_type: cosine\n");
    assertThat(GrpoStage.learningRate(cosine, 1)).isCloseTo(1.0, within(1e-12));
    // as transformers: step s (1-based) is at progress (s - 1) / max_steps
    assertThat(GrpoStage.learningRate(cosine, 6))
        .isCloseTo(0.5 * (1 + Math.cos(Math.PI * 5 / 11)), within(1e-12));
    assertThat(GrpoStage.learningRate(cosine, 11)).isCloseTo(0.0203, within(1e-4));
  }

  @Test
  void promptOrderDependsOnTheSeedAndTheProblemsButNotOnTheirRowOrder() {
    List<Problem> ps = new ArrayList<>();
    for (int i = 0; i < 10; i++)
      ps.add(
          new Problem(
              "p" + i, "Use 1 2 3 to make " + i + ".", "" + i, "", "countdown", null, Map.of()));
    List<Problem> reversed = new ArrayList<>(ps);
    java.util.Collections.reverse(reversed);
    PromptSet a = new PromptSet(ps, 5);
    PromptSet b = new PromptSet(reversed, 5);
    assertThat(a.take(0, 25)).isEqualTo(b.take(0, 25));
    // each epoch is a permutation of all problems
    assertThat(a.take(10, 10)).containsExactlyInAnyOrderElementsOf(ps);
    assertThat(a.take(0, 10)).isNotEqualTo(a.take(10, 10));
    assertThat(new PromptSet(ps, 6).take(0, 10)).isNotEqualTo(a.take(0, 10));
  }
}
