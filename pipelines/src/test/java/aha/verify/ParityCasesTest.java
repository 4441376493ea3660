package aha.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParityCasesTest {
  private static final List<ParityCases.Gold> GOLDS =
      List.of(
          new ParityCases.Gold("t/0", "18", ""),
          new ParityCases.Gold("t/1", "1234", ""),
          new ParityCases.Gold("t/2", "\\frac{14}{3}", ""),
          new ParityCases.Gold("t/3", "-\\frac{3}{4}", ""),
          new ParityCases.Gold("t/4", "\\left( 3, \\frac{\\pi}{2} \\right)", ""),
          new ParityCases.Gold("t/5", "2\\sqrt{3}", ""),
          new ParityCases.Gold("t/6", "\\text{(C)}", ""),
          new ParityCases.Gold("t/7", "90^\\circ", ""),
          new ParityCases.Gold("t/8", "1 + \\sqrt{2}", ""),
          new ParityCases.Gold("t/9", "x \\in [-2,7]", ""),
          new ParityCases.Gold("t/10", "-2, 1, 5", "The roots are $\\boxed{-2, 1, 5}$."));

  @Test
  void equivalentFormsAndNearMissesOfKnownAnswers() {
    assertThat(ParityCases.equivalents("\\frac{1}{3}"))
        .anySatisfy(f -> assertThat(f).containsExactly("eq-rounded", "0.333333"))
        .anySatisfy(f -> assertThat(f).containsExactly("eq-approx", "\\frac{1}{3} \\approx 0.33"));
    assertThat(ParityCases.equivalents("12345"))
        .anySatisfy(f -> assertThat(f).containsExactly("eq-thousands-brace", "12{,}345"));
    assertThat(ParityCases.nearMisses("5"))
        .extracting(f -> f[1])
        .containsExactlyInAnyOrder("6", "50", "-5");
    // 0 times ten is still 0: not a near miss
    assertThat(ParityCases.nearMisses("0")).extracting(f -> f[1]).containsExactly("1");
    assertThat(ParityCases.nearMisses("15\\mbox{ cm}^2"))
        .anySatisfy(f -> assertThat(f).containsExactly("miss-digit", "16\\mbox{ cm}^2"));
    assertThat(ParityCases.topLevel("\\frac{1}{2}, (3, 4), 5", ',')).hasSize(3);
  }

  /** Each form written to be right verifies true, each near miss false: the labels hold. */
  @Test
  void labelsAgreeWithTheVerifier() {
    List<ParityCases.Case> cases = ParityCases.build(GOLDS, 7);
    assertThat(cases).hasSizeGreaterThan(5 * GOLDS.size());
    assertThat(cases)
        .extracting(ParityCases.Case::prediction)
        .allMatch(p -> p.startsWith("<think>"));
    MathVerifier verifier = new MathVerifier();
    for (ParityCases.Case c : cases) {
      boolean right = c.id().contains("/eq-");
      assertThat(verifier.verify(c.gold(), c.prediction()).isTrue())
          .as("%s: %s", c.id(), c.prediction().substring(c.prediction().lastIndexOf("</think>")))
          .isEqualTo(right);
    }
  }

  @Test
  void sameSeedSameFileWrittenWhole(@TempDir Path dir) throws Exception {
    assertThat(ParityCases.build(GOLDS, 3)).isEqualTo(ParityCases.build(GOLDS, 3));
    Path out = dir.resolve("cases.jsonl");
    ParityCases.write(ParityCases.build(GOLDS, 3), out);
    assertThat(Files.readAllLines(out))
        .hasSize(ParityCases.build(GOLDS, 3).size())
        .allMatch(
            l ->
                l.startsWith("{\"id\":\"t/")
                    && l.contains("\"gold\":")
                    && l.contains("\"prediction\":"));
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(out);
    }
  }
}
