package aha.filter;

import static org.assertj.core.api.Assertions.assertThat;

import aha.dataset.Completion;
import aha.dataset.Problem;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each per-generation check with a row that fails only that check, and rows that pass. */
class TraceChecksTest {
  private static final Problem CD = Rows.countdown("cd-1", 16, 3, 5, 2);
  private static final Problem ZH = Rows.math("zh-1", "计算二加二等于多少？请给出最终答案。", "4");
  private static final String LEAKED = "a bag holds seven red marbles and three blue marbles in total";
  private static final String GOOD = Rows.trace(20, 1);
  private static final String ANSWER = "<answer>(3+5)*2</answer>";

  private static final TraceChecks ALL = new TraceChecks(true, true, 5, 200, TokenCounter.WORDS, true, 0.01, 0.5, 4, 400, true,
      new Contamination(8).add("eval", LEAKED));

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of("a clean correct trace", Rows.completion(CD, 0, GOOD, ANSWER), true, null),
        Arguments.of("boxed final answer", Rows.completion(CD, 0, GOOD, "So the answer is \\boxed{16}."), true, null),
        Arguments.of("Greek letters are math, not a language", Rows.completion(CD, 0, GOOD + " Let α be the angle, so θ = π/2.", ANSWER), true, null),
        Arguments.of("cut off by the token limit", Rows.completion(CD, 0, GOOD, ANSWER, "length"), true, Reason.INCOMPLETE),
        Arguments.of("no finish reason", Rows.completion(CD, 0, GOOD, ANSWER, ""), true, Reason.INCOMPLETE),
        Arguments.of("think block never closed", Rows.completion(CD, 0, "", "<think>\n" + GOOD + "\n" + ANSWER), true, Reason.UNCLOSED_THINK),
        Arguments.of("no think block at all", Rows.completion(CD, 0, "", ANSWER), true, Reason.UNCLOSED_THINK),
        Arguments.of("a second think block", Rows.completion(CD, 0, GOOD, "<think>more</think>" + ANSWER), true, Reason.UNCLOSED_THINK),
        Arguments.of("no final answer", Rows.completion(CD, 0, GOOD, "I am not sure."), true, Reason.NO_ANSWER),
        Arguments.of("two answer blocks", Rows.completion(CD, 0, GOOD, "<answer>1</answer><answer>(3+5)*2</answer>"), true, Reason.MULTIPLE_ANSWERS),
        Arguments.of("two boxed answers", Rows.completion(CD, 0, GOOD, "\\boxed{15} or \\boxed{16}"), true, Reason.MULTIPLE_ANSWERS),
        Arguments.of("undecidable answer", Rows.completion(CD, 0, GOOD, ANSWER), null, Reason.UNVERIFIED),
        Arguments.of("wrong answer", Rows.completion(CD, 0, GOOD, ANSWER), false, Reason.INCORRECT),
        Arguments.of("too short", Rows.completion(CD, 0, "ok", ANSWER), true, Reason.TOO_SHORT),
        Arguments.of("too long", Rows.completion(CD, 0, Rows.trace(300, 2), ANSWER), true, Reason.TOO_LONG),
        Arguments.of("switches to Chinese", Rows.completion(CD, 0, GOOD + " 所以答案是十六，我们来验证一下这个结果。", ANSWER), true, Reason.MIXED_LANGUAGE),
        Arguments.of("English trace for a Chinese prompt", Rows.completion(ZH, 0, GOOD, "\\boxed{4}"), true, Reason.MIXED_LANGUAGE),
        Arguments.of("a Chinese trace for a Chinese prompt", Rows.completion(ZH, 0, "二加二等于四，我再检查一遍，没有问题，答案是四。", "\\boxed{4}"), true, null),
        Arguments.of("a loop", Rows.completion(CD, 0, "Wait, let me check. ".repeat(30), ANSWER), true, Reason.REPETITIVE),
        Arguments.of("one very long paragraph", Rows.completion(CD, 0, Rows.trace(60, 3), ANSWER), true, Reason.LONG_PARAGRAPH),
        Arguments.of("code in the trace", Rows.completion(CD, 0, GOOD + "\n```python\nprint((3+5)*2)\n```", ANSWER), true, Reason.CODE_BLOCK),
        Arguments.of("the trace quotes an eval problem", Rows.completion(CD, 0, GOOD + " Recall: A bag holds seven red marbles, and three blue marbles in total!", ANSWER), true,
            Reason.CONTAMINATED_COMPLETION));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void firstFailure(String what, Completion c, Boolean verdict, Reason expected) {
    assertThat(ALL.firstFailure(c, verdict)).isEqualTo(expected);
  }

  @Test
  void minimalChecksOnlyCompletenessAndCorrectness() {
    TraceChecks min = TraceChecks.minimal();
    assertThat(min.firstFailure(Rows.completion(CD, 0, "", "no think, no tags"), true)).isNull();
    assertThat(min.firstFailure(Rows.completion(CD, 0, "", "x", "length"), true)).isEqualTo(Reason.INCOMPLETE);
    assertThat(min.firstFailure(Rows.completion(CD, 0, "", "x"), false)).isEqualTo(Reason.INCORRECT);
  }

  @Test
  void repetitionRateIsTheShareOfRepeatedNgrams() {
    assertThat(TraceChecks.repetitionRate("a b c d e f", 2)).isEqualTo(0.0);
    // 5 bigrams, distinct {a b, b a} -> 1 - 2/5
    assertThat(TraceChecks.repetitionRate("a b a b a b", 2)).isEqualTo(1.0 - 2.0 / 5.0);
    assertThat(TraceChecks.repetitionRate("A b A B", 2)).isEqualTo(1.0 - 2.0 / 3.0);
    assertThat(TraceChecks.repetitionRate("too short", 4)).isEqualTo(0.0);
    assertThat(TraceChecks.repetitionRate("", 1)).isEqualTo(0.0);
  }

  @Test
  void paragraphsAreSplitOnBlankLines() {
    assertThat(TraceChecks.longestParagraph("abc\n\n  abcdef  \n \nab")).isEqualTo(6);
    assertThat(TraceChecks.longestParagraph("abc\nabc")).isEqualTo(7);
  }

  @Test
  void tokenCounters() {
    assertThat(TokenCounter.WORDS.count("  two\twords\n")).isEqualTo(2);
    assertThat(TokenCounter.WORDS.count("")).isZero();
    assertThat(TokenCounter.WORDS.count("答案是4, ok")).isEqualTo(5);
    assertThat(TokenCounter.CHARS.count("a数𝑥")).isEqualTo(3);
  }
}
