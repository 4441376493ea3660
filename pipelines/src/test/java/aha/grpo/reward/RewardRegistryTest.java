package aha.grpo.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.BadInputException;
import aha.grpo.Advantages;
import aha.grpo.ScaleRewards;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RewardRegistryTest {
  private final RewardRegistry registry = RewardRegistry.builtIn(RewardSettings.defaults());

  private static final String GOOD = "<think>\nx\n</think>\n<answer>\n5\n</answer>";

  private static Sample sample(String text, Boolean correct) {
    return new Sample("p", "5", text, 10, false, correct);
  }

  @Test
  void knowsOpenR1sNames() {
    assertThat(registry.names())
        .containsExactly(
            "accuracy",
            "format",
            "tag_count",
            "reasoning_steps",
            "cosine",
            "repetition_penalty",
            "soft_overlong_punishment",
            "length");
  }

  @Test
  void unknownNameListsTheValidOnes() {
    assertThatThrownBy(() -> registry.select(List.of("accuracy", "fromat"), null))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'fromat'")
        .hasMessageContaining("reward_funcs")
        .hasMessageContaining("valid names: accuracy, format, tag_count, reasoning_steps, cosine");
  }

  @Test
  void weightsMustMatchTheFunctions() {
    assertThatThrownBy(() -> registry.select(List.of("accuracy", "format"), List.of(1.0)))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("reward_weights has 1 values but reward_funcs has 2");
    assertThatThrownBy(() -> registry.select(List.of("format", "format"), null))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> registry.select(List.of(), null))
        .isInstanceOf(BadInputException.class);
  }

  @Test
  void weightedSumSkipsNullTermsAndAllNullRowsAreUnscorable() {
    RewardFuncs funcs = registry.select(List.of("accuracy", "format"), List.of(1.0, 0.5));
    RewardTable t =
        funcs.score(
            List.of(
                sample(GOOD, true), // 1 + 0.5
                sample("5", false), // 0 + 0
                sample(GOOD, null), // null + 0.5: the format term still counts
                sample("5", true)), // 1 + 0
            4);
    assertThat(t.totals()).containsExactly(1.5, 0.0, 0.5, 1.0);
    assertThat(t.value(2, 0)).isNull();

    RewardFuncs correctnessOnly = registry.select(List.of("accuracy", "cosine"), null);
    double[] totals =
        correctnessOnly.score(List.of(sample("a", null), sample("b", true)), 2).totals();
    assertThat(totals[0]).isNaN();
    assertThat(totals[1]).isEqualTo(1.0 + (0.5 + 0.25 * (1 + Math.cos(Math.PI * 0.001))));
  }

  @Test
  void defaultWeightsAreOneAndCustomFunctionsPlugIn() {
    registry.register("answer_is_five", s -> s.completion().contains("5") ? 2.0 : 0.0);
    RewardFuncs funcs = registry.select(List.of("answer_is_five", "tag_count"), null);
    assertThat(funcs.weights()).containsExactly(1.0, 1.0);
    assertThat(funcs.score(List.of(sample(GOOD, true)), 1).totals()).containsExactly(3.0);
  }

  @Test
  void metricsUseTrlNamesAndSkipNulls() {
    RewardFuncs funcs = registry.select(List.of("accuracy", "format"), List.of(1.0, 0.5));
    RewardTable t =
        funcs.score(
            List.of(sample(GOOD, true), sample("5", false), sample(GOOD, null), sample("x", null)),
            2);
    // totals 1.5, 0, 0.5, 0: mean 0.5, sample std sqrt((1 + 0.25 + 0 + 0.25) / 3)
    Advantages adv = Advantages.compute(t.totals(), 2, ScaleRewards.GROUP);
    Map<String, Double> m = t.metrics(adv);
    assertThat(m.get("reward")).isEqualTo(0.5);
    assertThat(m.get("reward_std"))
        .isCloseTo(Math.sqrt(0.5), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(m.get("rewards/accuracy/mean")).isEqualTo(0.5); // nulls skipped: (1 + 0) / 2
    assertThat(m.get("rewards/format/mean")).isEqualTo(0.5);
    assertThat(m.get("frac_reward_zero_std")).isEqualTo(0.0);
    assertThat(Arrays.stream(adv.values()).sum())
        .isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-12));
  }
}
