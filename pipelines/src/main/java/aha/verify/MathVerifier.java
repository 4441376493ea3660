package aha.verify;

import aha.verify.AnswerExtractor.Extraction;
import java.time.Duration;

/**
 * Math answer verification with Math-Verify's semantics, in pure Java.
 *
 * <p>Both the gold answer and the prediction go through extraction ({@link AnswerExtractor}) and
 * parsing ({@link LatexParser}); the verdict is TRUE when any extracted gold answer is equivalent
 * ({@link Equivalence}) to any extracted prediction. A gold answer that cannot be parsed gives
 * UNSCORABLE, never TRUE. A bare gold such as {@code \frac{14}{3}} (MATH-500's {@code answer}
 * column) is read whole as LaTeX, as if wrapped in {@code $...$}.
 *
 * <p>Every call finishes within {@link Options#timeout()} of the calling thread's CPU time plus a
 * little: parsing and evaluation check a deadline cooperatively, and exact arithmetic is bounded in
 * size. CPU time rather than wall-clock time keeps verdicts the same on a busy machine; a thread
 * starved of CPU still stops after 20 times the bound of wall-clock time. A case that runs out of
 * time is FALSE (UNSCORABLE if it ran out while reading the gold). Instances are immutable and
 * thread-safe.
 */
public final class MathVerifier {
  /**
   * @param timeout time bound per case
   * @param floatRounding decimal places both sides are rounded to when either is a decimal
   * @param requireAnchor when true a prediction's answer must be anchored ({@code \boxed{}}, "final
   *     answer", {@code <answer>} tags, or the word "answer"), as in open-r1's accuracy reward; a
   *     bare last number no longer counts
   */
  public record Options(Duration timeout, int floatRounding, boolean requireAnchor) {
    public static final Options DEFAULT = new Options(Duration.ofMillis(50), 6, false);

    public Options(Duration timeout, int floatRounding) {
      this(timeout, floatRounding, false);
    }

    public Options withRequireAnchor(boolean require) {
      return new Options(timeout, floatRounding, require);
    }
  }

  private final Options options;

  public MathVerifier() {
    this(Options.DEFAULT);
  }

  public MathVerifier(Options options) {
    this.options = options;
    Warmup.ONCE.run();
  }

  /**
   * The first cases on a cold JVM load classes and compile regexes; run a few with a generous bound
   * once, so that a case's verdict never depends on whether it came first.
   */
  private enum Warmup implements Runnable {
    ONCE;

    private volatile boolean done;

    @Override
    public synchronized void run() {
      if (done) return;
      MathVerifier v = new MathVerifier(new Options(Duration.ofSeconds(5), 6), false);
      String[][] cases = {
        {"\\left( 3, \\frac{\\pi}{2} \\right)", "so $\\boxed{(3, \\frac{\\pi}{2})}$"},
        {"x^2 + 1", "The final answer is $x^2+1$. I hope it is correct."},
        {"[0, 1) \\cup \\{2\\}", "<answer>\\{2\\} \\cup [0,1)</answer>"},
        {
          "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}",
          "\\[\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}\\]"
        },
        {"28\\%", "so 28 percent of them, answer: 28"},
        {"x = 5", "Thus $x=5$."},
      };
      for (int round = 0; round < 20; round++) {
        for (String[] c : cases) v.verify(c[0], c[1]);
      }
      done = true;
    }
  }

  private MathVerifier(Options options, boolean warm) {
    this.options = options;
  }

  /** Verifies {@code prediction} (a whole completion or a bare answer) against {@code gold}. */
  public Verdict verify(String gold, String prediction) {
    if (gold == null || gold.isBlank()) return Verdict.unscorable("gold answer is empty");
    if (gold.length() > Budget.MAX_GOLD_CHARS) return Verdict.unscorable("gold answer too long");
    Budget budget = new Budget(options.timeout().toNanos());
    Extraction g;
    try {
      g = AnswerExtractor.extractGold(gold, budget);
    } catch (Budget.Exceeded e) {
      return Verdict.unscorable("time bound exceeded while parsing the gold answer");
    } catch (RuntimeException | StackOverflowError e) {
      return Verdict.unscorable("gold answer could not be parsed: " + e);
    }
    if (!g.parsed()) return Verdict.unscorable("gold answer could not be parsed");
    if (prediction == null || prediction.isBlank()) return Verdict.wrong("prediction is empty");
    try {
      String tail =
          prediction.length() > Budget.MAX_TEXT_CHARS
              ? prediction.substring(prediction.length() - Budget.MAX_TEXT_CHARS)
              : prediction;
      Extraction p = AnswerExtractor.extract(tail, options.requireAnchor(), budget);
      if (!p.parsed()) {
        if (p.raw() != null && Equivalence.sameText(g.raw(), p.raw())) {
          return Verdict.correct("same answer text");
        }
        return Verdict.wrong(p.raw() == null ? "no answer found" : "answer could not be parsed");
      }
      Equivalence eq = new Equivalence(options.floatRounding(), budget);
      for (Answer ga : g.answers()) {
        for (Answer pa : p.answers()) {
          if (eq.equal(ga, pa)) return Verdict.correct("equivalent to the gold answer");
        }
      }
      // Math-Verify also compares the extracted answer texts: "$\boxed{10}$ percent" reads as
      // 10% but its text "10" is the gold's, so it is right for a gold of 10 too
      if (p.raw() != null && g.raw() != null && p.raw().strip().equals(g.raw().strip())) {
        return Verdict.correct("same answer text");
      }
      return Verdict.wrong("not equivalent to the gold answer");
    } catch (Budget.Exceeded e) {
      return Verdict.wrong("time bound exceeded");
    } catch (RuntimeException | StackOverflowError e) {
      return Verdict.wrong("prediction could not be verified: " + e.getClass().getSimpleName());
    }
  }

  /**
   * The extracted, parsed answer of a text as a debugging string (null when none or out of time).
   */
  public String describe(String text) {
    try {
      Extraction e =
          AnswerExtractor.extract(
              text, options.requireAnchor(), new Budget(options.timeout().toNanos()));
      return e.parsed() ? e.answers().get(0).toString() : null;
    } catch (Budget.Exceeded | StackOverflowError e) {
      return null;
    }
  }
}
