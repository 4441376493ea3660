package aha.filter;

import static org.assertj.core.api.Assertions.assertThat;

import aha.dataset.Problem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DuplicatesTest {
  private static final String BASE =
      "A train leaves the station at 3 pm travelling at 60 miles per hour towards a city 180 miles away; at what time does it arrive?";

  private static Duplicates.Item item(Problem p) {
    return ProblemKeys.problem(p);
  }

  @Test
  void jaccardOfShingleSets() {
    assertThat(MinHash.jaccard(new long[] {1, 2, 3}, new long[] {2, 3, 4})).isEqualTo(0.5);
    assertThat(MinHash.jaccard(new long[] {1, 2}, new long[] {1, 2})).isEqualTo(1.0);
    assertThat(MinHash.jaccard(new long[] {1}, new long[] {2})).isEqualTo(0.0);
  }

  @Test
  void shinglesIgnoreCasePunctuationAndSpacing() {
    assertThat(MinHash.shingles("The Cat, sat  on the mat!")).containsExactly(MinHash.shingles("the cat sat on the mat"));
    assertThat(MinHash.shingles("one two three four")).hasSize(2);
    assertThat(MinHash.shingles("short")).hasSize(1);
  }

  @Test
  void similarTextsShareABandAndDifferentOnesDoNot() {
    String near = BASE.replace("3 pm", "3 p.m.");
    long[] a = MinHash.bandKeys(MinHash.shingles(BASE));
    long[] b = MinHash.bandKeys(MinHash.shingles(near));
    long[] c = MinHash.bandKeys(MinHash.shingles("Find all real x such that x squared minus five x plus six equals zero and sum them."));
    assertThat(MinHash.jaccard(MinHash.shingles(BASE), MinHash.shingles(near))).isGreaterThan(0.8);
    assertThat(shared(a, b)).isPositive();
    assertThat(shared(a, c)).isZero();
  }

  private static int shared(long[] a, long[] b) {
    int n = 0;
    for (int i = 0; i < a.length; i++) if (a[i] == b[i]) n++;
    return n;
  }

  @Test
  void exactAfterNormalisationThenNearByThreshold() {
    List<Duplicates.Item> block = List.of(
        item(Rows.math("p1", BASE, "6 pm")),
        item(Rows.math("p2", "  " + BASE.toUpperCase() + "  ", "6 pm")), // same after normalisation
        item(Rows.math("p3", BASE.replace("towards a city", "toward the town"), "6 pm")), // near
        item(Rows.math("p4", "What is the sum of the first one hundred positive integers, written in decimal?", "5050")));
    double j = MinHash.jaccard(block.get(0).shingles(), block.get(2).shingles());
    assertThat(j).isBetween(0.6, 0.9);
    assertThat(Duplicates.flag(block, null, Reason.DUPLICATE_PROBLEM, Reason.NEAR_DUPLICATE_PROBLEM))
        .containsExactly(new Duplicates.Flag("p2", Reason.DUPLICATE_PROBLEM, "p1"));
    assertThat(Duplicates.flag(block, j - 1e-9, Reason.DUPLICATE_PROBLEM, Reason.NEAR_DUPLICATE_PROBLEM))
        .containsExactly(new Duplicates.Flag("p2", Reason.DUPLICATE_PROBLEM, "p1"), new Duplicates.Flag("p3", Reason.NEAR_DUPLICATE_PROBLEM, "p1"));
    assertThat(Duplicates.flag(block, j + 1e-9, Reason.DUPLICATE_PROBLEM, Reason.NEAR_DUPLICATE_PROBLEM)).hasSize(1);
  }

  @Test
  void countdownPuzzlesAreTheSameWhateverTheOrderOfNumbers() {
    List<Duplicates.Item> block = List.of(
        item(Rows.countdown("c2", 16, 5, 3, 2)), item(Rows.countdown("c1", 16, 2, 3, 5)), item(Rows.countdown("c3", 17, 2, 3, 5)));
    assertThat(Duplicates.flag(block, 0.1, Reason.DUPLICATE_PROBLEM, Reason.NEAR_DUPLICATE_PROBLEM))
        .containsExactly(new Duplicates.Flag("c2", Reason.DUPLICATE_PROBLEM, "c1"));
    assertThat(Duplicates.blockKeys(block.get(0), true)).hasSize(1);
  }

  @Test
  void flagsDoNotDependOnRowOrder() {
    List<Duplicates.Item> items = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String text = i % 3 == 0 ? BASE : i % 3 == 1 ? BASE.replace("60", "60.") : "Unrelated question number " + i + " about primes and their gaps below a thousand";
      items.add(item(Rows.math(String.format("q%02d", i), text, "x")));
    }
    List<Duplicates.Flag> expected = Duplicates.flag(items, 0.8, Reason.DUPLICATE_PROBLEM, Reason.NEAR_DUPLICATE_PROBLEM);
    assertThat(expected).extracting(Duplicates.Flag::id).containsExactly("q01", "q03", "q04", "q06", "q07", "q09", "q10");
    Random r = new Random(7);
    for (int k = 0; k < 5; k++) {
      Collections.shuffle(items, r);
      assertThat(Duplicates.flag(items, 0.8, Reason.DUPLICATE_PROBLEM, Reason.NEAR_DUPLICATE_PROBLEM)).isEqualTo(expected);
    }
  }
}
