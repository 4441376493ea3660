package aha.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatChecksTest {
  private static final String GOOD =
      "<think>\nLet me think. Wait, 2 + 2 = 4.\n</think>\n<answer>\n4\n</answer>";

  @Test
  void r1FormatNeedsClosedThinkThenAnswer() {
    assertThat(FormatChecks.r1Format(GOOD)).isTrue();
    assertThat(
            FormatChecks.r1Format("reasoning without the opening tag\n</think>\nThe answer is 4."))
        .isTrue();
    assertThat(FormatChecks.r1Format("<think>\nnever closed")).isFalse();
    assertThat(FormatChecks.r1Format("<think>\nthoughts\n</think>\n   ")).isFalse();
    assertThat(FormatChecks.r1Format("<think></think>answer")).isFalse();
    assertThat(FormatChecks.r1Format("<think>a</think><think>b</think>answer")).isFalse();
    assertThat(FormatChecks.r1Format("preamble <think>a</think>answer")).isFalse();
    assertThat(FormatChecks.r1Format(null)).isFalse();
  }

  @Test
  void openR1FormatMatchesItsRegex() {
    assertThat(FormatChecks.openR1Format(GOOD)).isTrue();
    assertThat(FormatChecks.openR1Format(GOOD + "\ntrailing text after a line break")).isTrue();
    assertThat(FormatChecks.openR1Format("<think>\nx\n</think>\n<answer>\n4</answer>")).isFalse();
    assertThat(FormatChecks.openR1Format(" " + GOOD)).isFalse();
    assertThat(FormatChecks.openR1Format("<think>x</think><answer>4</answer>")).isFalse();
  }

  @Test
  void tagCountGivesAQuarterPerTagSeenOnce() {
    assertThat(FormatChecks.tagCount(GOOD)).isEqualTo(1.0);
    assertThat(FormatChecks.tagCount("<think>\nx\n</think>\n4")).isEqualTo(0.5);
    assertThat(FormatChecks.tagCount("<think>\nx\n</think>\n<answer>\n4")).isEqualTo(0.75);
    assertThat(FormatChecks.tagCount(GOOD + GOOD)).isEqualTo(0.0);
    assertThat(FormatChecks.tagCount("plain text")).isEqualTo(0.0);
    assertThat(FormatChecks.tagCount(null)).isEqualTo(0.0);
  }

  @Test
  void answerTagMustBeClosedAndNonBlank() {
    assertThat(FormatChecks.hasAnswerTag(GOOD)).isTrue();
    assertThat(FormatChecks.hasAnswerTag("<answer>4")).isFalse();
    assertThat(FormatChecks.hasAnswerTag("<answer> </answer>")).isFalse();
    assertThat(FormatChecks.hasAnswerTag("</answer><answer>")).isFalse();
  }
}
