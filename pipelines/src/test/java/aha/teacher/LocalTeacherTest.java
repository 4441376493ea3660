package aha.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The local teacher really solves its task families, and slips only when asked to. */
class LocalTeacherTest {
  private static final Pattern ANSWER = Pattern.compile("<answer>(.*?)</answer>");
  private static final Pattern BOXED = Pattern.compile("\\\\boxed\\{(.*?)\\}");

  private static final LocalTeacher EXACT = new LocalTeacher(LocalTeacher.Options.defaults());

  static String longForm(List<Long> nums, long target) {
    return "Using the numbers "
        + nums
        + ", create an equation that equals "
        + target
        + ". You can use basic arithmetic operations (+, -, *, /) and each number can only be"
        + " used once.";
  }

  static String shortForm(List<Long> nums, long target) {
    StringBuilder s = new StringBuilder("Use");
    for (long n : nums) s.append(' ').append(n);
    return s.append(" to make ").append(target).append('.').toString();
  }

  static String extract(Pattern p, String content) {
    Matcher m = p.matcher(ThinkBlock.split(content).answer());
    return m.find() ? m.group(1) : null;
  }

  /** Whether a Countdown answer is exactly the target and uses each given number once. */
  static boolean countdownCorrect(String expression, List<Long> nums, long target) {
    if (expression == null) return false;
    try {
      ExactEvaluator e = ExactEvaluator.parse(expression);
      boolean hits = e.evaluate().equalsInt(target);
      List<Long> used = new ArrayList<>(e.numbers);
      List<Long> given = new ArrayList<>(nums);
      used.sort(null);
      given.sort(null);
      return hits && used.equals(given);
    } catch (RuntimeException bad) {
      return false;
    }
  }

  /** Random 3-number problems with a target from a random expression: solvable by construction. */
  static List<long[]> countdownProblems(int count, long seed) {
    Random rng = new Random(seed);
    List<long[]> out = new ArrayList<>();
    while (out.size() < count) {
      long a = 1 + rng.nextInt(30);
      long b = 1 + rng.nextInt(30);
      long c = 1 + rng.nextInt(30);
      long target = 1 + rng.nextInt(100);
      // keep only problems the independent brute force can solve (fractions allowed)
      if (ExactEvaluator.solvable(List.of(a, b, c), target)) out.add(new long[] {a, b, c, target});
    }
    return out;
  }

  @Test
  void solvesEveryRandomSolvableCountdownAtSlipZero() {
    List<long[]> problems = countdownProblems(300, 7);
    for (int i = 0; i < problems.size(); i++) {
      long[] p = problems.get(i);
      List<Long> nums = List.of(p[0], p[1], p[2]);
      String text = i % 2 == 0 ? longForm(nums, p[3]) : shortForm(nums, p[3]);
      // half greedy, half warm (a shuffled search order must still find a solution)
      ChatRequest request =
          ChatRequest.of("m", text).withSampling(i % 4 < 2 ? 0.0 : 0.8, null, null);
      String content = EXACT.complete(request).get(0).content();
      String expression = extract(ANSWER, content);
      assertThat(countdownCorrect(expression, nums, p[3]))
          .as("problem %s, teacher wrote:%n%s", text, content)
          .isTrue();
      assertThat(ThinkBlock.split(content).closed()).isTrue();
    }
  }

  @Test
  void findsASolutionThatNeedsAFractionStep() {
    // 6/(1-3/4)=24: no integer-only path exists, so the second pass must find it
    List<Long> nums = List.of(1L, 3L, 4L, 6L);
    assertThat(ExactEvaluator.solvable(nums, 24)).isTrue();
    String content = EXACT.complete(ChatRequest.of("m", shortForm(nums, 24))).get(0).content();
    assertThat(content).contains("Wait, maybe a fraction helps.");
    assertThat(countdownCorrect(extract(ANSWER, content), nums, 24)).as(content).isTrue();
  }

  @Test
  void reportsNoSolutionWithoutCrashing() {
    String content = EXACT.complete(ChatRequest.of("m", "Use 1 1 1 to make 100.")).get(0).content();
    assertThat(extract(ANSWER, content)).isEqualTo("no solution");
  }

  @Test
  void directTraceIsShortAndR1StyleTraceNarratesAttempts() {
    LocalTeacher terse = new LocalTeacher(LocalTeacher.Options.defaults().withVerbosity(0));
    ChatRequest r = ChatRequest.of("m", "Use 3 8 6 to make 16.").withSampling(0.0, null, null);
    String direct = ThinkBlock.split(terse.complete(r).get(0).content()).reasoning();
    String narrated = ThinkBlock.split(EXACT.complete(r).get(0).content()).reasoning();
    assertThat(direct).isEqualTo("6/3=2, 2*8=16. Yes!");
    assertThat(narrated)
        .startsWith("3+8=11, 11+6=17, too big.")
        .contains("Wait, 6/3=2")
        .endsWith("Yes!");
  }

  @Test
  void arithmeticIsCorrectAtSlipZero() {
    Random rng = new Random(3);
    char[] ops = {'+', '-', '*'};
    for (int i = 0; i < 300; i++) {
      long a = rng.nextInt(100_000);
      long b = rng.nextInt(i % 3 == 2 ? 1000 : 100_000);
      char op = ops[i % 3];
      String content =
          EXACT
              .complete(ChatRequest.of("m", "Calculate " + a + " " + op + " " + b + "."))
              .get(0)
              .content();
      long expected = op == '+' ? a + b : op == '-' ? a - b : a * b;
      assertThat(extract(BOXED, content)).as(content).isEqualTo(Long.toString(expected));
    }
  }

  @Test
  void linearEquationsAreCorrectAtSlipZero() {
    Random rng = new Random(5);
    for (int i = 0; i < 300; i++) {
      long a = (1 + rng.nextInt(12)) * (rng.nextBoolean() ? 1 : -1);
      long x = rng.nextInt(41) - 20;
      long b = rng.nextInt(41) - 20;
      long c = a * x + b;
      String lhs = (a == 1 ? "" : a == -1 ? "-" : Long.toString(a)) + "x";
      if (b > 0) lhs += " + " + b;
      if (b < 0) lhs += " - " + (-b);
      String content =
          EXACT
              .complete(ChatRequest.of("m", "Solve for x: " + lhs + " = " + c + "."))
              .get(0)
              .content();
      assertThat(extract(BOXED, content)).as(content).isEqualTo(Long.toString(x));
    }
  }

  @Test
  void answerFormatFollowsThePrompt() {
    ChatRequest boxedCountdown =
        new ChatRequest(
            "m",
            List.of(
                ChatMessage.system("Put your final answer within \\boxed{}."),
                ChatMessage.user("Use 3 8 6 to make 16.")),
            1,
            0.0,
            null,
            null,
            null,
            false);
    assertThat(extract(BOXED, EXACT.complete(boxedCountdown).get(0).content()))
        .isEqualTo("(6/3)*8");
    ChatRequest taggedMath =
        ChatRequest.of("m", "Calculate 12 + 30. Give the result in <answer> </answer> tags.");
    assertThat(extract(ANSWER, EXACT.complete(taggedMath).get(0).content())).isEqualTo("42");
  }

  @Test
  void slipRateProducesSomeWrongAnswersAndCaughtSlips() {
    LocalTeacher sloppy = new LocalTeacher(LocalTeacher.Options.defaults().withSlipRate(0.3));
    List<long[]> problems = countdownProblems(400, 11);
    int wrong = 0;
    int total = 0;
    int caught = 0;
    Random rng = new Random(13);
    for (int i = 0; i < 1200; i++) {
      String content;
      boolean correct;
      if (i % 3 == 0) {
        long[] p = problems.get(i / 3);
        List<Long> nums = List.of(p[0], p[1], p[2]);
        content = sloppy.complete(ChatRequest.of("m", shortForm(nums, p[3]))).get(0).content();
        correct = countdownCorrect(extract(ANSWER, content), nums, p[3]);
      } else if (i % 3 == 1) {
        long a = rng.nextInt(10_000);
        long b = rng.nextInt(10_000);
        content =
            sloppy
                .complete(ChatRequest.of("m", "Calculate " + a + " + " + b + "."))
                .get(0)
                .content();
        correct = Long.toString(a + b).equals(extract(BOXED, content));
      } else {
        long a = 2 + rng.nextInt(9);
        long x = rng.nextInt(20);
        long b = 1 + rng.nextInt(20);
        content =
            sloppy
                .complete(
                    ChatRequest.of(
                        "m", "Solve for x: " + a + "x + " + b + " = " + (a * x + b) + "."))
                .get(0)
                .content();
        correct = Long.toString(x).equals(extract(BOXED, content));
      }
      total++;
      if (!correct) wrong++;
      if (correct && (content.contains("? No, ") || content.contains("Wait, that's wrong")))
        caught++;
    }
    double wrongRate = (double) wrong / total;
    assertThat(wrongRate).isBetween(0.10, 0.50);
    assertThat(caught).as("caught slips end in a right answer").isGreaterThan(20);
  }

  @Test
  void sameRequestSameTextAndSeedFieldChangesSlips() {
    LocalTeacher sloppy = new LocalTeacher(LocalTeacher.Options.defaults().withSlipRate(0.5));
    ChatRequest r =
        ChatRequest.of("m", "Calculate 4821 + 3977.").withSampling(0.6, 0.95, null).withN(4);
    List<LocalTeacher.Completion> first = sloppy.complete(r);
    List<LocalTeacher.Completion> again = new LocalTeacher(sloppy.options()).complete(r);
    assertThat(again).isEqualTo(first);
    java.util.Set<String> texts = new java.util.HashSet<>();
    for (int seed = 0; seed < 20; seed++) {
      texts.add(sloppy.complete(r.withN(1).withExtra("seed", seed)).get(0).content());
    }
    assertThat(texts).hasSizeGreaterThan(1);
  }

  @Test
  void maxTokensTruncatesWithFinishReasonLength() {
    ChatRequest r = ChatRequest.of("m", "Calculate 347 * 589.").withSampling(null, null, 10);
    LocalTeacher.Completion c = EXACT.complete(r).get(0);
    assertThat(c.finishReason()).isEqualTo("length");
    assertThat(c.content()).hasSize(40);
    assertThat(EXACT.complete(r.withSampling(null, null, null)).get(0).finishReason())
        .isEqualTo("stop");
  }

  @Test
  void unknownProblemGetsAPoliteStop() {
    LocalTeacher.Completion c =
        EXACT.complete(ChatRequest.of("m", "Write a poem about autumn.")).get(0);
    assertThat(c.finishReason()).isEqualTo("stop");
    assertThat(ThinkBlock.split(c.content()).answer()).contains("cannot solve this problem");
  }

  @Test
  void parsesTheSharedDatasetWordingAndTheShortForm() {
    assertThat(Task.parse(longForm(List.of(15L, 44L, 79L), 50)))
        .contains(new Task.Countdown(List.of(15, 44, 79), 50));
    assertThat(Task.parse("Use 8 15 15 to make 9."))
        .contains(new Task.Countdown(List.of(8, 15, 15), 9));
    assertThat(Task.parse("Calculate 347 - 589.")).contains(new Task.Arithmetic(347, '-', 589));
    assertThat(Task.parse("Solve for x: 3x - 5 = 10.")).contains(new Task.Linear(3, -5, 10));
    assertThat(Task.parse("Solve for x: -x + 4 = -2.")).contains(new Task.Linear(-1, 4, -2));
    assertThat(Task.parse("Solve for x: 7x = 21.")).contains(new Task.Linear(7, 0, 21));
    assertThat(Task.parse("What is the capital of France?")).isEmpty();
  }
}
