package aha.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Single-thread throughput of {@link MathVerifier} on R1-style completions: a long {@code <think>}
 * block full of inline math and second thoughts, then a summary ending in {@code \boxed{answer}}.
 * Answers come from MATH-500 (shared datasets) when present, otherwise from a generated mix; half
 * of the completions carry the gold answer and half another problem's answer.
 *
 * <p>Usage: {@code VerifyBenchmark [--shared DIR] [--seconds S] [--think-chars N] [--cases FILE]}.
 * Prints one markdown table row for docs/benchmarks.md; with {@code --cases} (a {@code {"id",
 * "gold", "prediction"}} JSONL file, as {@link ParityCases} writes) it measures those cases
 * instead, the aha side of {@code make verify-parity}.
 */
public final class VerifyBenchmark {
  private static final String[] STEPS = {
    "Let me set $x = %d$ and see what happens: then $x^2 + %d = %d$.",
    "Wait, that doesn't look right. Let me re-check: $\\frac{%d}{%d}$ simplifies further.",
    "Alternatively, we could expand $(a + %d)(a - %d) = a^2 - %d$.",
    "So the sum is $%d + %d = %d$, which matches the earlier estimate.",
    "Hmm, maybe I should double-check the case $n = %d$; it gives $%d$ again.",
    "Using the formula $\\sqrt{%d} \\approx %d.5$, the bound is about %d.",
  };

  private VerifyBenchmark() {}

  public static void main(String[] args) throws IOException {
    String shared = System.getProperty("aha.shared.dir", System.getenv("AHA_SHARED_DIR"));
    double seconds = 5;
    int thinkChars = 12_000;
    Path casesFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--shared":
          shared = args[++i];
          break;
        case "--seconds":
          seconds = Double.parseDouble(args[++i]);
          break;
        case "--think-chars":
          thinkChars = Integer.parseInt(args[++i]);
          break;
        case "--cases":
          casesFile = Path.of(args[++i]);
          break;
        default:
          throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (casesFile != null) {
      measureCases(casesFile, seconds);
      return;
    }
    List<String> answers = answers(shared);
    String source = answers.size() == 500 ? "MATH-500 answers" : "generated answers";
    SplittableRandom rnd = new SplittableRandom(42);
    int n = 2000;
    String[] golds = new String[n];
    String[] completions = new String[n];
    long chars = 0;
    for (int i = 0; i < n; i++) {
      golds[i] = answers.get(i % answers.size());
      String boxed = rnd.nextBoolean() ? golds[i] : answers.get(rnd.nextInt(answers.size()));
      completions[i] = completion(rnd, thinkChars, boxed);
      chars += completions[i].length();
    }
    MathVerifier verifier = new MathVerifier();
    // warm-up: let the JIT compile the hot paths
    runFor(verifier, golds, completions, Math.min(2.0, seconds / 2));
    long[] result = runFor(verifier, golds, completions, seconds);
    // per CPU-second of this thread: the figure for "one core" even on a shared, busy machine
    double perCpuSecond = result[0] / (result[3] / 1e9);
    double perWallSecond = result[0] / (result[1] / 1e9);
    System.out.printf(
        "| answer verification (math, R1-style completions, %s) | 1 thread | %,.0f cases/s per"
            + " CPU-second (%,.0f per wall-second) | %d cases, mean %,d chars, %.0f%% true |%n",
        source, perCpuSecond, perWallSecond, result[0], chars / n, 100.0 * result[2] / result[0]);
    countdown(rnd, Math.max(1.0, seconds / 2));
  }

  /** Countdown: R1-style completions ending in an {@code <answer>} equation, half of them wrong. */
  private static void countdown(SplittableRandom rnd, double seconds) {
    CountdownVerifier verifier = new CountdownVerifier();
    int n = 1000;
    List<List<Long>> nums = new ArrayList<>();
    long[] targets = new long[n];
    String[] completions = new String[n];
    for (int i = 0; i < n; i++) {
      long a = rnd.nextInt(1, 100);
      long b = rnd.nextInt(1, 100);
      long c = rnd.nextInt(1, 100);
      nums.add(List.of(a, b, c));
      targets[i] = a * b - c;
      String eq = rnd.nextBoolean() ? a + " * " + b + " - " + c : "(" + a + " + " + b + ") - " + c;
      completions[i] =
          completion(rnd, 2000, "x").replace("\\boxed{x}", "") + "\n<answer>" + eq + "</answer>";
    }
    for (int round = 0; round < 2; round++) {
      long cpuStart = Budget.cpuNow();
      long deadline = System.nanoTime() + (long) (seconds * 1e9);
      long cases = 0;
      long trues = 0;
      while (System.nanoTime() < deadline) {
        for (int i = 0; i < n; i++) {
          if (verifier.verify(nums.get(i), targets[i], completions[i]).isTrue()) trues++;
          cases++;
        }
      }
      if (round == 1) {
        System.out.printf(
            "| answer verification (countdown, <answer> equations) | 1 thread | %,.0f cases/s per"
                + " CPU-second | %d cases, %.0f%% true |%n",
            cases / ((Budget.cpuNow() - cpuStart) / 1e9), cases, 100.0 * trues / cases);
      }
    }
  }

  /** Single-thread cases per CPU-second of {@link MathVerifier} on the cases of a JSONL file. */
  private static void measureCases(Path file, double seconds) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(file);
    String[] golds = new String[lines.size()];
    String[] predictions = new String[lines.size()];
    long chars = 0;
    for (int i = 0; i < golds.length; i++) {
      var node = json.readTree(lines.get(i));
      golds[i] = node.get("gold").asText();
      predictions[i] = node.get("prediction").asText();
      chars += predictions[i].length();
    }
    MathVerifier verifier = new MathVerifier();
    // one untimed pass over every case first: the JIT warms up, as in a long filter or eval run
    runFor(verifier, golds, predictions, Math.min(2.0, seconds / 2));
    long[] result = runFor(verifier, golds, predictions, seconds);
    System.out.printf(
        "aha: %d cases (%d distinct, mean %,d chars), 1 thread: %,.0f cases/s per CPU-second"
            + " (%,.0f per wall-second), %.1f%% true%n",
        result[0],
        golds.length,
        chars / Math.max(1, golds.length),
        result[0] / (result[3] / 1e9),
        result[0] / (result[1] / 1e9),
        100.0 * result[2] / result[0]);
  }

  /** Returns {cases, wallNanos, trueVerdicts, cpuNanos}. */
  private static long[] runFor(
      MathVerifier v, String[] golds, String[] completions, double seconds) {
    long cpuStart = Budget.cpuNow();
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    long cases = 0;
    long trues = 0;
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < golds.length; i++) {
        if (v.verify(golds[i], completions[i]).isTrue()) trues++;
        cases++;
      }
    }
    return new long[] {cases, System.nanoTime() - start, trues, Budget.cpuNow() - cpuStart};
  }

  private static String completion(SplittableRandom rnd, int thinkChars, String answer) {
    return reasoning(rnd, thinkChars) + "**Final Answer**\n\\[\n\\boxed{" + answer + "}\n\\]";
  }

  /**
   * The part of an R1-style completion before its final answer: a {@code <think>} block of about
   * {@code thinkChars} characters of inline math and second thoughts, then the start of a summary.
   */
  static String reasoning(SplittableRandom rnd, int thinkChars) {
    StringBuilder sb = new StringBuilder("<think>\nOkay, let me understand the problem first.\n");
    while (sb.length() < thinkChars) {
      String step = STEPS[rnd.nextInt(STEPS.length)];
      sb.append(String.format(step, rnd.nextInt(2, 99), rnd.nextInt(2, 99), rnd.nextInt(2, 999)));
      sb.append(rnd.nextInt(4) == 0 ? "\n\n" : " ");
    }
    sb.append(
        "\n</think>\n\nWe combine the steps above. Checking once more, the result holds.\n\n");
    return sb.toString();
  }

  private static List<String> answers(String shared) throws IOException {
    if (shared != null) {
      Path p = Path.of(shared, "datasets", "math500", "test.jsonl");
      if (Files.isRegularFile(p)) {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(p))
          out.add(json.readTree(line).get("answer").asText());
        return out;
      }
    }
    List<String> out = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 200; i++) {
      int a = rnd.nextInt(1, 100);
      int b = rnd.nextInt(2, 50);
      switch (i % 6) {
        case 0:
          out.add(Integer.toString(a * 7));
          break;
        case 1:
          out.add("\\frac{" + a + "}{" + b + "}");
          break;
        case 2:
          out.add(a + "\\sqrt{" + b + "}");
          break;
        case 3:
          out.add("\\left(" + a + ", \\frac{\\pi}{" + b + "}\\right)");
          break;
        case 4:
          out.add("x^2 + " + a + "x - " + b);
          break;
        default:
          out.add("[" + (-a) + ", " + b + ")");
      }
    }
    return out;
  }
}
