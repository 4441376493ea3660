package aha.grpo.stage;

import static org.assertj.core.api.Assertions.assertThat;

import aha.dataset.Problem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerCheckTest {
  static final Problem COUNTDOWN =
      new Problem(
          "c1",
          "Use 2 5 1 to make 11.",
          "11",
          "",
          "countdown",
          new Problem.Countdown(List.of(2, 5, 1), 11),
          Map.of());

  @Test
  void countdownAnswersAreCheckedByTheCountdownVerifier() {
    AnswerCheck auto = new AnswerCheck("auto");
    assertThat(auto.correct(COUNTDOWN, "<think>\n2*5=10\n</think>\n<answer>(2*5)+1</answer>"))
        .isTrue();
    assertThat(auto.correct(COUNTDOWN, "<think>\n</think>\n<answer>2*5+2</answer>")).isFalse();
    // a Countdown verifier on a problem without numbers cannot score: null, never a free 1.0
    Problem noNumbers = new Problem("c2", "?", "11", "", "countdown", null, Map.of());
    assertThat(new AnswerCheck("countdown").correct(noNumbers, "<answer>11</answer>")).isNull();
  }

  @Test
  void mathAnswersNeedAnAnchorAndAnUnparseableGoldIsUnscorable() {
    AnswerCheck auto = new AnswerCheck("auto");
    Problem p = new Problem("m1", "What is 1/2 + 1/4?", "\\frac{3}{4}", "", "math", null, Map.of());
    assertThat(auto.correct(p, "So the answer is $\\boxed{0.75}$.")).isTrue();
    assertThat(auto.correct(p, "It comes to 3/4")).as("a bare last number is no answer").isFalse();
    Problem broken = new Problem("m2", "?", "", "", "math", null, Map.of());
    assertThat(auto.correct(broken, "\\boxed{1}")).isNull();
  }
}
