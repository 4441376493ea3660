package aha.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of math cases in {@code verify/math-cases.tsv}: {@code
 * expected<TAB>gold<TAB>prediction} with expected 1, 0 or null (unscorable gold); "⏎" in the file
 * stands for a newline.
 */
class MathVerifierTableTest {
  private static final MathVerifier VERIFIER = new MathVerifier();

  record Case(int line, String expected, String gold, String prediction) {}

  static List<Case> cases() throws IOException {
    List<Case> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                Objects.requireNonNull(
                    MathVerifierTableTest.class.getResourceAsStream("/verify/math-cases.tsv")),
                StandardCharsets.UTF_8))) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isEmpty() || line.startsWith("#")) continue;
        String[] f = line.split("\t", -1);
        if (f.length != 3)
          throw new IllegalStateException("math-cases.tsv:" + n + ": need 3 fields");
        out.add(new Case(n, f[0], f[1].replace("⏎", "\n"), f[2].replace("⏎", "\n")));
      }
    }
    return out;
  }

  static Stream<Arguments> table() throws IOException {
    return cases().stream()
        .map(c -> Arguments.of(c.line(), c.expected(), c.gold(), c.prediction()));
  }

  @ParameterizedTest(name = "line {0}: {2} vs {3}")
  @MethodSource("table")
  void verdictMatchesTable(int line, String expected, String gold, String prediction) {
    Verdict v = VERIFIER.verify(gold, prediction);
    Boolean want = expected.equals("null") ? null : expected.equals("1");
    assertThat(v.asBoolean()).as("line %d (%s)", line, v.reason()).isEqualTo(want);
  }

  @Test
  void tableHasAtLeast300Cases() throws IOException {
    List<Case> all = cases();
    assertThat(all).hasSizeGreaterThanOrEqualTo(300);
    assertThat(all.stream().filter(c -> c.expected().equals("0")).count()).isGreaterThan(60);
    assertThat(all.stream().filter(c -> c.expected().equals("null")).count()).isGreaterThan(3);
  }
}
