package aha.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Word 8-gram decontamination against the real MATH-500 test set in ../shared (aha.shared.dir). */
@Tag("shared")
class Math500DecontaminationTest {
  static final Path MATH500 = Path.of(System.getProperty("aha.shared.dir"), "datasets/math500/test.jsonl");

  static List<String> problems() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(MATH500)) if (!line.isBlank()) out.add(json.readTree(line).get("problem").asText());
    return out;
  }

  @Test
  void everyMath500ProblemWithEightWordsIsCaughtAndNothingElse() throws Exception {
    Contamination index = EvalSets.index(List.of(MATH500.toString()), 8, ref -> null);
    List<String> problems = problems();
    assertThat(problems).hasSize(500);
    assertThat(index.problemsBySet()).containsEntry(MATH500.toString(), 500);
    long longEnough = problems.stream().filter(p -> Words.normalised(p).size() >= 8).count();
    long caught = problems.stream().filter(p -> !index.setsHit("Solve this. " + p.toUpperCase() + " Show your work.").isEmpty()).count();
    assertThat(caught).isEqualTo(longEnough);
    // 39 MATH-500 problems have fewer than 8 words ("Compute $\\dbinom{16}{5}$."): word 8-grams,
    // open-r1's default, cannot see them at all
    assertThat(longEnough).isEqualTo(461);

    // a problem from the set inside a training prompt, in other case and spacing
    assertThat(index.setsHit("Question:  HOW many positive whole-number divisors   does 196 have? Explain."))
        .containsExactly(MATH500.toString());
    // punctuation is deleted, not turned into spaces: "whole number" is not "whole-number"
    assertThat(index.setsHit("How many positive whole number divisors does 196 have?")).isEmpty();
    // one changed number breaks the only 8-gram of this short problem
    assertThat(index.setsHit("How many positive whole-number divisors does 197 have?")).isEmpty();
    // built-in generated problems do not collide with MATH-500
    for (int t = 1; t <= 60; t++) assertThat(index.setsHit("Use 3 5 2 to make " + t + ".")).isEmpty();
    assertThat(index.setsHit("Using the numbers [3, 7, 9], create an equation that equals 30. You can use basic arithmetic operations (+, -, *, /) and each number can only be used once."))
        .isEmpty();
  }
}
