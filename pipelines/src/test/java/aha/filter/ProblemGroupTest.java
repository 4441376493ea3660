package aha.filter;

import static org.assertj.core.api.Assertions.assertThat;

import aha.dataset.Completion;
import aha.dataset.Problem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keep policy, trace de-duplication, pass rate and problem-level flags for one problem. */
class ProblemGroupTest {
  private static final Problem CD = Rows.countdown("cd-1", 16, 3, 5, 2);
  private static final AnswerCheck EXACT = new ExactAnswers();

  /** Samples 0..5: correct (long), wrong, correct (short), unparsable, correct (medium), cut off. */
  private static List<Completion> rows() {
    return List.of(
        Rows.completion(CD, 0, Rows.trace(40, 0), "<answer>(3+5)*2</answer>"),
        Rows.completion(CD, 1, Rows.trace(20, 1), "<answer>3+5+2</answer>"),
        Rows.completion(CD, 2, Rows.trace(10, 2), "<answer>2*(5+3)</answer>"),
        Rows.completion(CD, 3, Rows.trace(20, 3), "<answer>sixteen</answer>"),
        Rows.completion(CD, 4, Rows.trace(25, 4), "<answer>(5+3)*2</answer>"),
        Rows.completion(CD, 5, Rows.trace(20, 5), "<answer>(3+5)*2</answer>", "length"));
  }

  private static ProblemGroup group(KeepPolicy keep, Integer max, PassRate window) {
    TraceChecks checks = new TraceChecks(true, true, null, null, TokenCounter.WORDS, true, 0.01, null, 4, null, false, null);
    return new ProblemGroup(checks, true, 0.9, keep, max, window);
  }

  private static List<Integer> samples(List<Completion> cs) {
    return cs.stream().map(Completion::sampleIndex).toList();
  }

  @Test
  void allKeepsEveryCorrectTraceAndRejectsTheRestWithReasons() {
    ProblemGroup.Outcome o = group(KeepPolicy.ALL, null, new PassRate(0.1, 0.9)).decide(rows(), EXACT, null);
    assertThat(samples(o.kept())).containsExactly(0, 2, 4);
    assertThat(o.rejected()).extracting(r -> r.completion().sampleIndex() + ":" + r.reason().label())
        .containsExactly("1:incorrect", "3:unverified", "5:incomplete");
    // verdicts: T F T null T T(cut off, still a verdict) -> 4 of 5 decided
    assertThat(o.passRate()).isEqualTo(0.8);
    assertThat(o.prompt()).isTrue();
  }

  @Test
  void aFailedSampleIsRejectedWithItsReasonAndLeftOutOfThePassRate() {
    List<Completion> withFailure = new ArrayList<>(rows());
    withFailure.add(new Completion(CD, 6, "t", withFailure.get(0).messages(), "", "", "", 0, 0, "k6",
        "HTTP 500 after 10 attempts"));
    ProblemGroup.Outcome o = group(KeepPolicy.ALL, null, null).decide(withFailure, EXACT, null);
    assertThat(samples(o.kept())).containsExactly(0, 2, 4);
    assertThat(o.rejected()).filteredOn(r -> r.completion().sampleIndex() == 6).singleElement()
        .satisfies(r -> {
          assertThat(r.reason()).isEqualTo(Reason.FAILED);
          assertThat(r.detail()).isEqualTo("HTTP 500 after 10 attempts");
        });
    assertThat(o.passRate()).isEqualTo(0.8); // as without the failed sample
  }

  @Test
  void keepPoliciesAndTheCap() {
    assertThat(samples(group(KeepPolicy.FIRST, null, null).decide(rows(), EXACT, null).kept())).containsExactly(0);
    assertThat(samples(group(KeepPolicy.SHORTEST, null, null).decide(rows(), EXACT, null).kept())).containsExactly(2);
    assertThat(samples(group(KeepPolicy.SHORTEST, 2, null).decide(rows(), EXACT, null).kept())).containsExactly(2, 4);
    ProblemGroup.Outcome capped = group(KeepPolicy.ALL, 2, null).decide(rows(), EXACT, null);
    assertThat(samples(capped.kept())).containsExactly(0, 2);
    assertThat(capped.rejected()).filteredOn(r -> r.reason() == Reason.KEEP_POLICY).extracting(r -> r.completion().sampleIndex()).containsExactly(4);
    assertThat(capped.prompt()).isFalse(); // no window configured
  }

  @Test
  void resultDoesNotDependOnRowOrder() {
    List<Completion> shuffled = new ArrayList<>(rows());
    Collections.reverse(shuffled);
    ProblemGroup g = group(KeepPolicy.SHORTEST, 2, new PassRate(0.0, 1.0));
    ProblemGroup.Outcome a = g.decide(rows(), EXACT, null);
    ProblemGroup.Outcome b = g.decide(shuffled, EXACT, null);
    assertThat(b.kept()).isEqualTo(a.kept());
    assertThat(b.rejected()).isEqualTo(a.rejected());
  }

  @Test
  void duplicateAndNearDuplicateTracesOfOneProblem() {
    String t = Rows.trace(40, 9);
    List<Completion> rows = List.of(
        Rows.completion(CD, 0, t, "<answer>(3+5)*2</answer>"),
        Rows.completion(CD, 1, t.toUpperCase() + "  ", "<answer>(3+5)*2</answer>"),
        Rows.completion(CD, 2, t.replace("Yes, it works.", "Yes, it works, good."), "<answer>(3+5)*2</answer>"),
        Rows.completion(CD, 3, Rows.trace(40, 10), "<answer>(3+5)*2</answer>"));
    ProblemGroup.Outcome o = group(KeepPolicy.ALL, null, null).decide(rows, EXACT, null);
    assertThat(samples(o.kept())).containsExactly(0, 3);
    assertThat(o.rejected()).extracting(r -> r.completion().sampleIndex() + ":" + r.reason().label() + ":" + r.detail())
        .containsExactly("1:duplicate_trace:sample 0", "2:near_duplicate_trace:sample 0");
  }

  @Test
  void problemFlagRejectsEveryGeneration() {
    var flag = new ProblemGroup.ProblemFlag(Reason.CONTAMINATED, "math500");
    ProblemGroup.Outcome o = group(KeepPolicy.ALL, null, new PassRate(0, 1)).decide(rows(), EXACT, flag);
    assertThat(o.kept()).isEmpty();
    assertThat(o.rejected()).hasSize(6).allMatch(r -> r.reason() == Reason.CONTAMINATED && r.detail().equals("math500"));
    assertThat(o.prompt()).isFalse();
  }

  @Test
  void passRateWindowIncludesItsBoundsAndSkipsUndecided() {
    assertThat(PassRate.of(List.of(true, false, false, true))).isEqualTo(0.5);
    assertThat(PassRate.of(java.util.Arrays.asList(true, null, null))).isEqualTo(1.0);
    assertThat(PassRate.of(java.util.Arrays.asList((Boolean) null))).isNaN();
    PassRate w = new PassRate(0.25, 0.75);
    assertThat(w.contains(0.25)).isTrue();
    assertThat(w.contains(0.75)).isTrue();
    assertThat(w.contains(0.2)).isFalse();
    assertThat(w.contains(1.0)).isFalse();
    assertThat(w.contains(Double.NaN)).isFalse();
  }

  @Test
  void exactAnswersTestChecker() {
    assertThat(EXACT.check(Rows.completion(CD, 0, "", "<answer>(3+5)*2</answer>"))).isTrue();
    assertThat(EXACT.check(Rows.completion(CD, 0, "", "<answer>(3+5)*2*1</answer>"))).isFalse(); // a number not given
    assertThat(EXACT.check(Rows.completion(CD, 0, "", "<answer>16</answer>"))).isFalse();
    assertThat(EXACT.check(Rows.completion(CD, 0, "", "no answer"))).isNull();
    Problem m = Rows.math("m", "What is 6*7?", "42");
    assertThat(EXACT.check(Rows.completion(m, 0, "", "\\boxed{42}"))).isTrue();
    assertThat(EXACT.check(Rows.completion(m, 0, "", "\\boxed{41}"))).isFalse();
  }
}
