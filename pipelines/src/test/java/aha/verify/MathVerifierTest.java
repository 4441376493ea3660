package aha.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Options and contracts of the public API, beyond the verdict table. */
class MathVerifierTest {
  private final MathVerifier verifier = new MathVerifier();

  @Test
  void requireAnchorIgnoresABareLastNumber() {
    MathVerifier anchored = new MathVerifier(MathVerifier.Options.DEFAULT.withRequireAnchor(true));
    assertThat(verifier.verify("42", "so we get 42.").isTrue()).isTrue();
    assertThat(anchored.verify("42", "so we get 42.").isTrue()).isFalse();
    assertThat(anchored.verify("42", "so we get $\\boxed{42}$.").isTrue()).isTrue();
    assertThat(anchored.verify("42", "The final answer is 42.").isTrue()).isTrue();
    assertThat(anchored.verify("42", "<answer>42</answer>").isTrue()).isTrue();
  }

  @Test
  void floatRoundingIsConfigurable() {
    MathVerifier three = new MathVerifier(new MathVerifier.Options(Duration.ofMillis(50), 3));
    assertThat(three.verify("\\frac{1}{3}", "\\boxed{0.333}").isTrue()).isTrue();
    assertThat(verifier.verify("\\frac{1}{3}", "\\boxed{0.333}").isTrue()).isFalse();
    assertThat(three.verify("\\frac{4}{3}", "\\boxed{1.333}").isTrue()).isTrue();
  }

  @Test
  void unparseableGoldIsNeverTrue() {
    for (String gold : List.of("", "   ", "\\frac{", "\\begin{pmatrix}", "(1, 2", "}")) {
      Verdict v = verifier.verify(gold, "\\boxed{1}");
      assertThat(v.kind()).as(gold).isEqualTo(Verdict.Kind.UNSCORABLE);
      assertThat(v.asBoolean()).isNull();
      assertThat(v.reason()).isNotBlank();
    }
    assertThat(verifier.verify(null, "1").kind()).isEqualTo(Verdict.Kind.UNSCORABLE);
    assertThat(verifier.verify("1", null).kind()).isEqualTo(Verdict.Kind.FALSE);
  }

  @Test
  void exactArithmeticDecidesLargeNumbers() {
    // doubles cannot tell these apart; rationals can
    assertThat(verifier.verify("2^{64}", "\\boxed{18446744073709551616}").isTrue()).isTrue();
    assertThat(verifier.verify("2^{64}", "\\boxed{18446744073709551617}").isTrue()).isFalse();
    assertThat(verifier.verify("\\frac{1}{3} + \\frac{1}{6}", "\\boxed{\\frac{1}{2}}").isTrue())
        .isTrue();
    assertThat(verifier.verify("20!", "\\boxed{2432902008176640000}").isTrue()).isTrue();
  }

  @Test
  void overflowingValuesAreNotEqualToEachOther() {
    assertThat(verifier.verify("10^{10^{10}}", "\\boxed{10^{10^{10}}}").isTrue()).isTrue();
    assertThat(verifier.verify("10^{10^{10}}", "\\boxed{10^{10^{11}}}").isTrue()).isFalse();
    assertThat(verifier.verify("100000!", "\\boxed{100001!}").isTrue()).isFalse();
  }

  @Test
  void symbolicComparisonRespectsDomains() {
    // compared where both sides are defined; rational functions exactly at rational points
    assertThat(verifier.verify("|x|", "\\boxed{\\sqrt{x^2}}").isTrue()).isTrue();
    assertThat(verifier.verify("\\ln(x^2)", "\\boxed{2\\ln x}").isTrue()).isTrue();
    assertThat(verifier.verify("\\frac{x^2-1}{x-1}", "\\boxed{x+1}").isTrue()).isTrue();
    assertThat(verifier.verify("x", "\\boxed{x+10^{-12}y}").isTrue()).isFalse();
    assertThat(verifier.verify("\\sqrt{x}", "\\boxed{x^{1/2}}").isTrue()).isTrue();
    assertThat(verifier.verify("\\sqrt{x}", "\\boxed{x^{1/3}}").isTrue()).isFalse();
  }

  @Test
  void concurrentUseGivesTheSameVerdicts() throws Exception {
    List<MathVerifierTableTest.Case> cases = MathVerifierTableTest.cases();
    List<Boolean> sequential =
        cases.stream()
            .map(c -> verifier.verify(c.gold(), c.prediction()).asBoolean())
            .collect(Collectors.toList());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> futures =
          cases.stream()
              .map(c -> pool.submit(() -> verifier.verify(c.gold(), c.prediction()).asBoolean()))
              .collect(Collectors.toList());
      for (int i = 0; i < cases.size(); i++) {
        assertThat(futures.get(i).get())
            .as("line %d", cases.get(i).line())
            .isEqualTo(sequential.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
