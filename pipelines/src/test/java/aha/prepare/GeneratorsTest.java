package aha.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import aha.dataset.Problem;
import aha.testing.Fractions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GeneratorsTest {
  @Test
  void countdownProblemsHaveASolutionUsingEachNumberOnce() {
    CountdownGenerator g = new CountdownGenerator(new CountdownSource(500, 4, 1, 20, 1, 100, "long"));
    for (int i = 0; i < 300; i++) {
      Problem p = g.generate(42, i);
      assertThat(p.countdown().nums()).hasSize(4).allSatisfy(n -> assertThat(n).isBetween(1, 20));
      assertThat(p.countdown().target()).isBetween(1, 100);
      String solution = p.extra().get("solution");
      assertThat(Fractions.eval(solution)).as(solution).isEqualTo(Fractions.of(p.countdown().target()));
      assertThat(Fractions.numbersIn(solution)).containsExactlyInAnyOrderElementsOf(p.countdown().nums());
      assertThat(p.problem()).isEqualTo("Using the numbers " + p.countdown().nums() + ", create an equation that equals "
          + p.countdown().target() + ". You can use basic arithmetic operations (+, -, *, /) and each number can only be used once.");
      assertThat(p.answer()).isEqualTo(Integer.toString(p.countdown().target()));
    }
  }

  @Test
  void shortCountdownWording() {
    Problem p = new CountdownGenerator(new CountdownSource(5, 3, 1, 12, 1, 60, "short")).generate(1, 0);
    assertThat(p.problem()).matches("Use \\d+ \\d+ \\d+ to make \\d+\\.");
  }

  @Test
  void generatorsAreDeterministicPerSeedAndIndex() {
    CountdownGenerator g = new CountdownGenerator(new CountdownSource(5, 3, 1, 12, 1, 60, "short"));
    assertThat(g.generate(7, 3)).isEqualTo(g.generate(7, 3));
    Set<String> a = new HashSet<>();
    Set<String> b = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      a.add(g.generate(7, i).problem());
      b.add(g.generate(8, i).problem());
    }
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void arithmeticAnswersAreExact() {
    ArithmeticGenerator g = new ArithmeticGenerator(new ArithmeticSource(100, 4, null));
    Pattern p = Pattern.compile("Calculate (\\d+) ([-+*]) (\\d+)\\.");
    List<String> ops = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Problem pr = g.generate(3, i);
      Matcher m = p.matcher(pr.problem());
      assertThat(m.matches()).as(pr.problem()).isTrue();
      long a = Long.parseLong(m.group(1));
      long b = Long.parseLong(m.group(3));
      long expected = switch (m.group(2)) { case "+" -> a + b; case "-" -> a - b; default -> a * b; };
      assertThat(pr.answer()).isEqualTo(Long.toString(expected));
      assertThat(a).isLessThan(10_000);
      ops.add(m.group(2));
    }
    assertThat(ops).contains("+", "-", "*");
  }

  @Test
  void linearEquationsHaveTheirIntegerSolution() {
    LinearGenerator g = new LinearGenerator(new LinearSource(100, 9, 20));
    Pattern p = Pattern.compile("Solve for x: (\\d+)x ([-+]) (\\d+) = (-?\\d+)\\.");
    for (int i = 0; i < 200; i++) {
      Problem pr = g.generate(5, i);
      Matcher m = p.matcher(pr.problem());
      assertThat(m.matches()).as(pr.problem()).isTrue();
      long a = Long.parseLong(m.group(1));
      long b = Long.parseLong(m.group(3)) * (m.group(2).equals("-") ? -1 : 1);
      long c = Long.parseLong(m.group(4));
      long x = Long.parseLong(pr.answer());
      assertThat(a * x + b).isEqualTo(c);
      assertThat(Math.abs(x)).isLessThanOrEqualTo(20);
    }
  }

  @Test
  void normalisationMakesPermutedCountdownsAndSpacingDuplicates() {
    Problem a = new Problem("a", "Use 3 7 9 to make 30.", "30", "", "countdown", new Problem.Countdown(List.of(3, 7, 9), 30), null);
    Problem b = new Problem("b", "Use 9 3 7 to make 30.", "30", "", "countdown", new Problem.Countdown(List.of(9, 3, 7), 30), null);
    assertThat(Normalise.key(a)).isEqualTo(Normalise.key(b));
    assertThat(Normalise.text("What is  2+2 ?")).isEqualTo(Normalise.text("what is 2+2"));
  }
}
