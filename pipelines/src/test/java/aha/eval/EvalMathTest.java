package aha.eval;

import aha.verify.Reflection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import aha.eval.MajorityVote.Vote;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pass@k, maj@k, standard error and reflection markers against values worked out by hand. */
class EvalMathTest {
  @Test
  void passAtKMatchesTheBinomialFormula() {
    // n=5, c=2: k=1 is c/n; k=2 is 1 - C(3,2)/C(5,2) = 1 - 3/10; k=3 is 1 - C(3,3)/C(5,3) = 1 -
    // 1/10
    assertThat(PassAtK.estimate(5, 2, 1)).isCloseTo(0.4, within(1e-12));
    assertThat(PassAtK.estimate(5, 2, 2)).isCloseTo(0.7, within(1e-12));
    assertThat(PassAtK.estimate(5, 2, 3)).isCloseTo(0.9, within(1e-12));
    // fewer wrong samples than k: a correct one is always drawn
    assertThat(PassAtK.estimate(5, 2, 4)).isEqualTo(1.0);
    // n=10, c=3, k=5: 1 - C(7,5)/C(10,5) = 1 - 21/252
    assertThat(PassAtK.estimate(10, 3, 5)).isCloseTo(1 - 21.0 / 252, within(1e-12));
    assertThat(PassAtK.estimate(8, 0, 8)).isEqualTo(0.0);
    assertThat(PassAtK.estimate(8, 8, 1)).isEqualTo(1.0);
    // large n does not overflow: n=1000, c=1, k=1 is 1/1000
    assertThat(PassAtK.estimate(1000, 1, 1)).isCloseTo(0.001, within(1e-12));
  }

  @Test
  void reportedKsArePowersOfTwoThenN() {
    assertThat(PassAtK.ks(1)).containsExactly(1);
    assertThat(PassAtK.ks(8)).containsExactly(1, 2, 4, 8);
    assertThat(PassAtK.ks(6)).containsExactly(1, 2, 4, 6);
  }

  @Test
  void majorityVoteTakesTheMostFrequentAnswerAndTheFirstOnATie() {
    List<Vote> votes =
        List.of(
            new Vote("A", false),
            new Vote("B", true),
            new Vote("B", true),
            new Vote("A", false),
            new Vote(null, false),
            new Vote("B", true));
    assertThat(MajorityVote.solved(votes, 1)).isZero(); // A alone
    assertThat(MajorityVote.solved(votes, 2)).isZero(); // A 1, B 1: A came first
    assertThat(MajorityVote.solved(votes, 3)).isEqualTo(1); // B 2, A 1
    assertThat(MajorityVote.solved(votes, 4)).isZero(); // A 2, B 2: A came first
    assertThat(MajorityVote.solved(votes, 6)).isEqualTo(1); // B 3, A 2; the null does not vote
    assertThat(MajorityVote.solved(List.of(new Vote(null, false), new Vote(null, false)), 2))
        .isZero();
  }

  @Test
  void standardErrorIsOverProblemsWithNMinusOne() {
    MeanWithError m = MeanWithError.of(new double[] {1, 0, 0.5, 0.5});
    assertThat(m.mean()).isEqualTo(0.5);
    // sample variance (0.25 + 0.25 + 0 + 0) / 3 = 1/6; stderr sqrt(1/6 / 4)
    assertThat(m.stderr()).isCloseTo(Math.sqrt(1.0 / 24), within(1e-12));
    assertThat(MeanWithError.of(new double[] {0.3}).stderr()).isNaN();
  }

  @Test
  void setScoresLeaveUnscorableProblemsOut() {
    List<List<SampleRow>> problems =
        List.of(
            List.of(row("p1", 0, "A", true, 10, true), row("p1", 1, "B", false, 20, false)),
            List.of(row("p2", 0, "C", false, 30, false), row("p2", 1, "C", false, 40, true)),
            List.of(row("p3", 0, "D", null, 1000, true), row("p3", 1, "D", null, 1000, true)));
    SetScores s =
        SetScores.of(
            problems,
            List.of(
                row("p1", 0, "A", true, 5, false),
                row("p2", 0, "C", false, 5, false),
                row("p3", 0, "D", null, 5, false)),
            2);
    assertThat(s.nProblems()).isEqualTo(2);
    assertThat(s.unscorable()).isEqualTo(1);
    assertThat(s.pass1().mean()).isCloseTo(0.25, within(1e-12)); // (1/2 + 0) / 2
    assertThat(s.pass1().stderr()).isCloseTo(0.25, within(1e-12)); // sqrt(0.125 / 2)
    assertThat(s.passAtK()).containsEntry(1, 0.25).containsEntry(2, 0.5);
    assertThat(s.majAtK())
        .containsEntry(1, 0.5)
        .containsEntry(2, 0.5); // p1: A (first on the tie) is right
    assertThat(s.greedy()).isEqualTo(0.5);
    assertThat(s.meanLength()).isEqualTo(25.0); // p3's 1000-token samples are not counted
    assertThat(s.reflectionRate()).isEqualTo(0.5);
    assertThat(s.toJson())
        .containsEntry("pass@1", 0.25)
        .containsEntry("n_problems", 2)
        .containsEntry("n_samples", 2);
  }

  @Test
  void eosRatesCountCompletionsThatEndedBeforeMaxTokens() {
    SampleRow cut = new SampleRow("m", "s", "p1", 1, false, "text", null, false, 192, false, "length");
    SampleRow greedyCut = new SampleRow("m", "s", "p2", 0, true, "text", null, false, 192, false, "length");
    SetScores s =
        SetScores.of(
            List.of(
                List.of(row("p1", 0, "A", true, 10, false), cut),
                List.of(row("p2", 0, "B", false, 10, false), row("p2", 1, "B", false, 10, false))),
            List.of(row("p1", 0, "A", true, 5, false), greedyCut, row("p3", 0, "C", true, 5, false),
                row("p4", 0, "D", true, 5, false)),
            2);
    assertThat(s.eosRate()).isEqualTo(0.75); // 3 of 4 samples stopped themselves
    assertThat(s.greedyEosRate()).isEqualTo(0.75);
    assertThat(s.toJson()).containsEntry("eos_rate", 0.75).containsEntry("greedy_eos_rate", 0.75);
    assertThat(SetScores.of(List.of(List.of(row("p1", 0, "A", true, 1, false))), List.of(), 1).greedyEosRate())
        .isNull();
  }

  @Test
  void reflectionMarkersAreWholeWords() {
    assertThat(Reflection.reflects("3+4=7. Wait, that uses 4 twice.")).isTrue();
    assertThat(Reflection.reflects("Let me re-check: 7*8=56")).isTrue();
    assertThat(Reflection.reflects("Alternatively, 12-5")).isTrue();
    assertThat(Reflection.reflects("let me verify the sum")).isTrue();
    assertThat(Reflection.reflects("I await the answer; 3+4=7")).isFalse();
    assertThat(Reflection.reflects("<think>3+4=7</think><answer>3+4</answer>")).isFalse();
    assertThat(Reflection.reflects(null)).isFalse();
  }

  static SampleRow row(
      String id, int j, String answer, Boolean correct, int length, boolean reflects) {
    return new SampleRow("m", "s", id, j, false, "text", answer, correct, length, reflects, "stop");
  }
}
