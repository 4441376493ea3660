package aha.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CountdownVerifierTest {
  private final CountdownVerifier verifier = new CountdownVerifier();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "<answer>79 - (44 - 15)</answer>|true",
        "<answer> (79 - 44) + 15 </answer>|true",
        "<answer>79 - 44 + 15 = 50</answer>|true",
        "<answer>50 = 79 - 44 + 15</answer>|true",
        "79 - 44 + 15|true",
        "The equation is \\boxed{79 - 44 + 15}|true",
        "<answer>79 - 44 + 15 = 51</answer>|false",
        "<answer>79 - 44 - 15</answer>|false",
        "<answer>79 - 44</answer>|false",
        "<answer>79 - 44 + 15 + 15 - 15</answer>|false",
        "<answer>79 - 44 + 16 - 1</answer>|false",
        "<answer>79 - 44 + 15.0</answer>|false",
        "<answer>x = 79 - 44 + 15</answer>|false",
        "<answer>79 - 44 + 15 ** 1</answer>|false",
        "<answer>(79 - 44 + 15</answer>|false",
        "<answer></answer>|false",
        "<answer>1 = 2 = 3</answer>|false",
        "no answer here|false",
        "<answer>79 - 44 + 15</answer> and later <answer>79 + 44 + 15</answer>|false",
      })
  void fiftyFrom15_44_79(String completion, boolean expected) {
    Verdict v = verifier.verify(List.of(15L, 44L, 79L), 50, completion);
    assertThat(v.isTrue()).as(v.reason()).isEqualTo(expected);
  }

  @Test
  void readsTheAnswerAfterTheReasoning() {
    String completion =
        "<think>\nTry 79 + 44 - 15. Wait, that is 108.\n</think>\n<answer>\n79 - 44 + 15\n</answer>";
    assertThat(verifier.verify(List.of(15L, 44L, 79L), 50, completion).isTrue()).isTrue();
  }

  @Test
  void divisionIsExactRational() {
    // 7 / 2 * 4 = 14 exactly; integer division would give 12
    assertThat(verifier.verify(List.of(7L, 2L, 4L), 14, "<answer>7 / 2 * 4</answer>").isTrue())
        .isTrue();
    assertThat(verifier.verify(List.of(7L, 2L, 4L), 12, "<answer>7 / 2 * 4</answer>").isTrue())
        .isFalse();
    assertThat(verifier.verify(List.of(6L, 3L, 3L), 2, "<answer>6 / (3 - 3)</answer>").reason())
        .contains("division by zero");
  }

  @Test
  void repeatedNumbersMustEachBeUsed() {
    assertThat(verifier.verify(List.of(3L, 3L, 4L), 24, "<answer>(3 + 3) * 4</answer>").isTrue())
        .isTrue();
    assertThat(verifier.verify(List.of(3L, 3L, 4L), 12, "<answer>3 * 4</answer>").isTrue())
        .isFalse();
  }

  @Test
  void latexOperatorsCountAsTheFourOperations() {
    assertThat(
            verifier
                .verify(List.of(6L, 4L, 5L), 50, "<answer>$(6 + 4) \\times 5$</answer>")
                .isTrue())
        .isTrue();
    assertThat(verifier.verify(List.of(6L, 4L, 5L), 50, "<answer>(6 + 4) × 5</answer>").isTrue())
        .isTrue();
  }

  @Test
  void noNumbersIsUnscorable() {
    assertThat(verifier.verify(List.of(), 5, "<answer>5</answer>").kind())
        .isEqualTo(Verdict.Kind.UNSCORABLE);
  }

  @Test
  void hostileEquationsEndQuickly() {
    String deep = "(".repeat(100_000) + "1" + ")".repeat(100_000);
    assertThat(verifier.verify(List.of(1L), 1, "<answer>" + deep + "</answer>").isTrue()).isFalse();
    assertThat(verifier.verify(List.of(1L), 1, "1".repeat(1_000_000)).isTrue()).isFalse();
    assertThat(
            verifier
                .verify(List.of(99999999999999999L), 1, "<answer>99999999999999999999999</answer>")
                .isTrue())
        .isFalse();
  }
}
