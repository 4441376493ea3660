package aha.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random and hostile strings, as gold and as prediction: no exception, and no case
 * over the time bound. The bound is on the thread's CPU time (see {@link MathVerifier}), measured
 * here the same way; a case over it is rerun up to twice, so that class loading in a first call is
 * not mistaken for a hang (a real hang repeats). Wall-clock time is bounded too, by the safety net.
 */
class VerifyFuzzTest {
  private static final Duration BOUND = Duration.ofMillis(50);

  /** Scheduling slack: the deadline is checked cooperatively, every few dozen steps. */
  private static final long SLACK_NANOS = Duration.ofMillis(30).toNanos();

  private static final String[] PIECES = {
    "\\frac",
    "{",
    "}",
    "\\sqrt",
    "[3]",
    "^",
    "_",
    "10",
    "2",
    "0",
    "-",
    "+",
    "*",
    "/",
    "\\cdot",
    "\\times",
    "\\div",
    "\\pi",
    "e",
    "x",
    "y",
    "\\infty",
    "\\left(",
    "\\right)",
    "(",
    ")",
    "[",
    "]",
    "\\{",
    "\\}",
    ",",
    "=",
    "<",
    "\\le",
    "\\ge",
    "\\neq",
    "\\pm",
    "!",
    "\\boxed{",
    "\\fbox{",
    "$",
    "$$",
    "\\[",
    "\\]",
    "\\(",
    "\\)",
    "\\text{",
    "cm",
    "\\%",
    "%",
    "^\\circ",
    "\\begin{pmatrix}",
    "\\end{pmatrix}",
    "&",
    "\\\\",
    "\\cup",
    "\\in",
    "0.5",
    ".25",
    "1,000",
    "3\\frac{1}{2}",
    "i",
    "\\sin",
    "\\log_",
    "\\ln",
    "|",
    "\\binom",
    "<answer>",
    "</answer>",
    "<think>",
    "</think>",
    "final answer is ",
    "The answer is ",
    "I hope",
    " ",
    "\n",
    "\\",
    "\\approx",
    "\\Rightarrow",
    "\\emptyset",
    "\\mathrm{",
    "\\dfrac",
    "\\!",
    "{,}",
    "1e5",
    "\u00d7",
    "\u2212",
    "\u221e",
    "\ud83d\ude00"
  };

  private static List<String> hostile() {
    List<String> h = new ArrayList<>();
    h.add("\\boxed{10^{10^{10}}}");
    h.add("10^{10^{10^{10}}}");
    h.add("\\boxed{100000!}");
    h.add("\\boxed{(10^{100})!}");
    h.add("\\boxed{2^{2^{2^{2^{2^{2^{2}}}}}}}");
    h.add("\\boxed{\\sqrt[65535]{2}}");
    h.add("\\boxed{2^{1/1000000}}");
    h.add("\\boxed{\\frac{1}{0}}");
    h.add("\\boxed{0^{-1}}");
    h.add("\\boxed{9^{9^{9}} - 9^{9^{9}}}");
    h.add("\\boxed{" + "{".repeat(50_000) + "1" + "}".repeat(50_000) + "}");
    h.add("$" + "(".repeat(100_000) + "1" + ")".repeat(100_000) + "$");
    h.add("\\boxed{" + "\\frac{1}{".repeat(3000) + "2" + "}".repeat(3000) + "}");
    h.add("\\boxed{" + "-".repeat(100_000) + "1}");
    h.add("\\boxed{" + "x^".repeat(5000) + "2}");
    h.add("9".repeat(1_000_000));
    h.add("$".repeat(1_000_000));
    h.add("\\boxed{".repeat(200_000));
    h.add("1 ".repeat(500_000));
    h.add("1+".repeat(500_000));
    h.add("a".repeat(1_000_000));
    h.add("The final answer is ".repeat(50_000));
    h.add("answer ".repeat(150_000));
    h.add("\\[".repeat(300_000));
    h.add("$1$ and ".repeat(100_000));
    h.add("\\boxed{" + "1,".repeat(1500) + "1}");
    h.add("\\boxed{" + "1 \\pm ".repeat(2000) + "1}");
    h.add("\\boxed{\\begin{pmatrix}" + "1 & ".repeat(1500) + "1\\end{pmatrix}}");
    h.add("\\boxed{1e999}");
    h.add("\\boxed{" + "9".repeat(3900) + "}");
    h.add("\\boxed{" + "9".repeat(3000) + "^{" + "9".repeat(500) + "}}");
    h.add("\\frac{\\frac{\\frac{");
    h.add("\\begin{pmatrix} 1 & 2 \\\\ 3");
    h.add("\\left( \\right]");
    h.add("}}}{{{");
    h.add("\\sqrt[");
    h.add("\u0000\u0001\uffff");
    return h;
  }

  @Test
  void hostileInputsGiveAVerdictWithinTheBound() {
    MathVerifier v = new MathVerifier(new MathVerifier.Options(BOUND, 6));
    List<String> inputs = hostile();
    for (String s : inputs) {
      checkBounded(v, s, "\\boxed{1}");
      checkBounded(v, "5", s);
      checkBounded(v, s, s);
    }
  }

  @Test
  void randomStringsGiveAVerdictWithinTheBound() {
    MathVerifier v = new MathVerifier(new MathVerifier.Options(BOUND, 6));
    SplittableRandom rnd = new SplittableRandom(20260201);
    int trues = 0;
    for (int i = 0; i < 4000; i++) {
      String gold = randomString(rnd, 1 + rnd.nextInt(12));
      String pred = rnd.nextInt(4) == 0 ? gold : randomString(rnd, 1 + rnd.nextInt(40));
      Verdict verdict = checkBounded(v, gold, pred);
      if (verdict.isTrue()) trues++;
    }
    // a random prediction rarely matches; identical strings often do
    assertThat(trues).as("true verdicts").isBetween(20, 2000);
  }

  @Test
  void hostileCountdownInputsEnd() {
    CountdownVerifier c = new CountdownVerifier();
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 2000; i++) {
      String s = "<answer>" + randomString(rnd, 1 + rnd.nextInt(30)) + "</answer>";
      Verdict v = null;
      long elapsed = Long.MAX_VALUE;
      for (int attempt = 0; attempt < 3 && elapsed > BOUND.toNanos() + SLACK_NANOS; attempt++) {
        long start = Budget.cpuNow();
        v = c.verify(List.of(1L, 2L, 3L), 6, s);
        elapsed = Budget.cpuNow() - start;
      }
      assertThat(v).isNotNull();
      assertThat(elapsed).as(s).isLessThan(BOUND.toNanos() + SLACK_NANOS);
    }
  }

  private static String randomString(SplittableRandom rnd, int pieces) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < pieces; k++) {
      if (rnd.nextInt(10) == 0) sb.append((char) rnd.nextInt(0x20, 0x2fff));
      else sb.append(PIECES[rnd.nextInt(PIECES.length)]);
    }
    return sb.toString();
  }

  private static Verdict checkBounded(MathVerifier v, String gold, String pred) {
    Verdict verdict = null;
    long elapsed = Long.MAX_VALUE;
    for (int attempt = 0; attempt < 3 && elapsed > BOUND.toNanos() + SLACK_NANOS; attempt++) {
      long start = Budget.cpuNow();
      long wallStart = System.nanoTime();
      verdict = v.verify(gold, pred);
      elapsed = Budget.cpuNow() - start;
      assertThat(System.nanoTime() - wallStart)
          .as("wall-clock safety net")
          .isLessThanOrEqualTo(Budget.WALL_FACTOR * BOUND.toNanos() + SLACK_NANOS);
    }
    assertThat(verdict).isNotNull();
    assertThat(verdict.reason()).isNotNull();
    assertThat(elapsed)
        .as("case over the time bound: gold=%s pred=%s", clip(gold), clip(pred))
        .isLessThanOrEqualTo(BOUND.toNanos() + SLACK_NANOS);
    return verdict;
  }

  private static String clip(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "...(" + s.length() + " chars)" : s;
  }
}
