package aha.filter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContaminationTest {
  private static final String EVAL = "If $f(x) = 3x + 2$, what is the value of $f(4)$ when written as a whole number?";

  @Test
  void normalisationLowercasesAndStripsPunctuation() {
    assertThat(Words.normalised("If $f(x) = 3x+2$, WHAT is it?")).containsExactly("if", "fx", "3x2", "what", "is", "it");
    assertThat(Words.ngrams("a b c d", 2)).containsExactly("a b", "b c", "c d");
    assertThat(Words.ngrams("a b", 3)).isEmpty();
  }

  @Test
  void anySharedEightGramContaminates() {
    Contamination c = new Contamination(8).add("math500", EVAL).add("aime", "Find the number of ordered pairs of positive integers whose product is one million.");
    assertThat(c.setsHit("Problem: if f(x) = 3x + 2, WHAT is the value of f(4) when written... in lowest terms")).containsExactly("math500");
    // only seven words in a row match
    assertThat(c.setsHit("if fx 3x2 what is the value of g(4)")).isEmpty();
    assertThat(c.setsHit("Find the number of ordered pairs of positive integers whose sum is 10; " + EVAL)).containsExactly("aime", "math500");
    assertThat(c.problemsBySet()).containsEntry("math500", 1).containsEntry("aime", 1);
  }

  @Test
  void ngramSizeIsConfigurable() {
    Contamination c = new Contamination(3).add("s", "the quick brown fox");
    assertThat(c.setsHit("a quick brown fox")).containsExactly("s");
    assertThat(c.setsHit("the quick red fox")).isEmpty();
  }
}
