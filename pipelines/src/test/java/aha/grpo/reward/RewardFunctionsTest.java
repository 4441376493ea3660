package aha.grpo.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import aha.BadInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed values for each built-in reward, including the inputs where open-r1's version is
 * wrong (each such test names what open-r1 returns and why).
 */
class RewardFunctionsTest {
  private static final double TOL = 1e-12;
  private static final String R1 = "<think>\nI add 2 and 3.\n</think>\n<answer>\n5\n</answer>";

  private static Sample text(String s) {
    return Sample.ofText(s);
  }

  private static Sample judged(int chars, Boolean correct) {
    return new Sample("p", "a", "a".repeat(chars), chars, false, correct);
  }

  @Test
  void formatAcceptsOneThinkThenOneAnswerBlock() {
    FormatReward f = new FormatReward();
    assertEquals(1.0, f.score(text(R1)));
    assertEquals(1.0, f.score(text(R1 + "\n")), "trailing whitespace before EOS is harmless");
    assertEquals(
        1.0,
        f.score(text("<think>\n\n</think>\n<answer>\n\n</answer>")),
        "empty blocks, as open-r1");
    assertEquals(
        0.0, f.score(text("<think>I add</think><answer>5</answer>")), "newlines are required");
    assertEquals(0.0, f.score(text("Sure. " + R1)), "must start with <think>");
    assertEquals(0.0, f.score(text("<think>\nx\n</think>\n<answer>\n</answer>")));
    assertEquals(0.0, f.score(text("<think>\nx\n</think>\n5")), "no answer block");
  }

  @Test
  void formatRejectsTrailingTextThatOpenR1Accepts() {
    // open-r1's MULTILINE '$' matches before any newline: this scored 1.0 there
    assertEquals(0.0, new FormatReward().score(text(R1 + "\nextra junk")));
  }

  @Test
  void formatRejectsRepeatedOrNestedBlocksThatOpenR1Accepts() {
    // open-r1 #359: both scored 1.0 with its lazy DOTALL pattern
    FormatReward f = new FormatReward();
    assertEquals(0.0, f.score(text(R1 + "\n<think>\nb\n</think>\n<answer>\n6\n</answer>")));
    assertEquals(0.0, f.score(text("<think>\n<think>\nx\n</think>\n<answer>\n1\n</answer>")));
  }

  @Test
  void tagCountGivesAQuarterPerMarkerSeenExactlyOnce() {
    TagCountReward r = new TagCountReward();
    assertEquals(1.0, r.score(text(R1)));
    assertEquals(0.5, r.score(text("<think>\nx\n</think>\n")));
    assertEquals(0.0, r.score(text("no tags")));
    // think markers twice: only the two answer markers count
    assertEquals(
        0.5, r.score(text("<think>\na\n</think>\n<think>\nb\n</think>\n<answer>\n5\n</answer>")));
  }

  @Test
  void reasoningStepsCountsMarkersUpToThree() {
    ReasoningStepsReward r = new ReasoningStepsReward();
    assertEquals(1.0, r.score(text("Step 1: a\nStep 2: b\nStep 3: c\nStep 4: d")));
    assertEquals(2.0 / 3, r.score(text("First, add. Finally, check.")), TOL);
    assertEquals(1.0 / 3, r.score(text("ideas:\n- one")), TOL);
    assertEquals(0.0, r.score(text("just an answer")));
  }

  @Test
  void reasoningStepsCountsNumberedLinesAfterTheFirst() {
    // open-r1 runs '^\d+\.' without MULTILINE: it counted only the first line (1 -> 1/3)
    assertEquals(1.0, new ReasoningStepsReward().score(text("1. a\n2. b\n3. c")));
  }

  @Test
  void cosineFollowsTheHalfCosineBetweenItsBounds() {
    CosineLengthReward r = new CosineLengthReward(RewardSettings.defaults()); // L_max 1000
    assertEquals(1.0, r.score(judged(0, true)), TOL);
    assertEquals(0.75, r.score(judged(500, true)), TOL);
    assertEquals(0.5, r.score(judged(1000, true)), TOL);
    // wrong: short wrong answers are punished most, long ones least
    assertEquals(-1.0, r.score(judged(0, false)), TOL);
    assertEquals(-0.75, r.score(judged(500, false)), TOL);
    assertEquals(-0.5, r.score(judged(1000, false)), TOL);
    assertNull(r.score(judged(10, null)), "open-r1 gave 1.0 for an unparseable gold");
  }

  @Test
  void cosineClampsLengthsPastTheMaximum() {
    // open-r1 wraps round: 1.5 L_max gave 0.75 and 2 L_max gave 1.0 for a correct answer
    CosineLengthReward r = new CosineLengthReward(RewardSettings.defaults());
    assertEquals(0.5, r.score(judged(1500, true)), TOL);
    assertEquals(0.5, r.score(judged(2000, true)), TOL);
    assertEquals(-0.5, r.score(judged(2000, false)), TOL);
  }

  @Test
  void cosineCountsCodePointsLikePython() {
    CosineLengthReward r = new CosineLengthReward(RewardSettings.defaults());
    Sample emoji =
        new Sample("p", "a", "\uD83D\uDE00".repeat(500), 500, false, true); // 500 code points
    assertEquals(0.75, r.score(emoji), TOL);
  }

  @Test
  void cosineRejectsOpenR1sInconsistentWrongAnswerDefault() {
    // open-r1's script default cosine_min_value_wrong = 0.0 with max_value_wrong = -0.5: short
    // wrong
    // answers scored 0 and long ones -0.5
    assertThatThrownBy(() -> new RewardSettings(0.0, -0.5, 0.5, 1.0, 1000, 3, -1.0, 100, 20))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("cosine_min_value_wrong");
  }

  @Test
  void lengthRewardUsesTheGroupsShortestAndLongest() {
    Double[] r =
        new LengthReward()
            .score(
                List.of(judged(10, true), judged(20, false), judged(30, true), judged(10, false)));
    // lambda = 0.5 - (L - 10) / 20 = 0.5, 0, -0.5, 0.5; wrong answers get min(0, lambda)
    assertThat(r).containsExactly(0.5, 0.0, -0.5, 0.0);
  }

  @Test
  void lengthRewardIsZeroForEqualLengthsAndNullWhenUnscorable() {
    LengthReward r = new LengthReward();
    assertThat(r.score(List.of(judged(7, true), judged(7, false)))).containsExactly(0.0, 0.0);
    assertThat(r.score(List.of(judged(5, null), judged(9, true)))).containsExactly(null, -0.5);
  }

  @Test
  void lengthRewardIsPerPromptNotPerBatch() {
    // open-r1 took min/max over the whole list (10..200): it gave 0.5, 0.447, 0.026, -0.5
    RewardFuncs funcs =
        RewardRegistry.builtIn(RewardSettings.defaults()).select(List.of("length"), null);
    RewardTable t =
        funcs.score(
            List.of(judged(10, true), judged(20, true), judged(100, true), judged(200, true)), 2);
    assertThat(t.totals()).containsExactly(0.5, -0.5, 0.5, -0.5);
  }

  @Test
  void repetitionPenaltyIsTheShareOfRepeatedNgrams() {
    RepetitionPenaltyReward r = new RepetitionPenaltyReward(RewardSettings.defaults()); // n=3, -1
    // 4 trigrams, 3 distinct: (1 - 3/4) * -1
    assertEquals(-0.25, r.score(text("a b c a b c")), TOL);
    assertEquals(-0.25, r.score(text("A b C\n a  B c")), TOL, "lower-cased, any whitespace");
    assertEquals(0.0, r.score(text("one two three four")), TOL);
    assertEquals(0.0, r.score(text("two words")), TOL);
    assertEquals(0.0, r.score(text("")), TOL);
    RewardSettings bigram = new RewardSettings(-1.0, -0.5, 0.5, 1.0, 1000, 2, -0.5, 100, 20);
    // bigrams of "x x x x": 3, distinct 1 -> (1 - 1/3) * -0.5
    assertEquals(-1.0 / 3, new RepetitionPenaltyReward(bigram).score(text("x x x x")), TOL);
  }

  @Test
  void repetitionPenaltyMustNotBePositive() {
    assertThatThrownBy(() -> new RewardSettings(-1.0, -0.5, 0.5, 1.0, 1000, 3, 0.5, 100, 20))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("repetition_max_penalty");
  }

  @Test
  void softOverlongRampsFromZeroToMinusOneOverTheCache() {
    SoftOverlongPunishment r =
        new SoftOverlongPunishment(RewardSettings.defaults().withOverlong(100, 20));
    assertEquals(0.0, r.score(tokens(80)), TOL);
    assertEquals(-0.05, r.score(tokens(81)), TOL);
    assertEquals(-0.5, r.score(tokens(90)), TOL);
    assertEquals(-1.0, r.score(tokens(100)), TOL);
    assertEquals(-1.0, r.score(tokens(150)), TOL);
  }

  private static Sample tokens(int n) {
    return new Sample("p", "a", "text", n, n >= 100, true);
  }

  @Test
  void accuracyReadsTheVerdictAndNeverInventsOne() {
    AccuracyReward r = new AccuracyReward();
    assertEquals(1.0, r.score(judged(3, true)));
    assertEquals(0.0, r.score(judged(3, false)));
    assertNull(r.score(judged(3, null)), "open-r1 before #566 gave 1.0 for an unparseable gold");
  }
}
