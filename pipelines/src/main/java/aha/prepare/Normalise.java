package aha.prepare;

import aha.dataset.Problem;
import java.util.Locale;

/** The de-duplication key of a problem: two problems with the same key are the same question. */
final class Normalise {
  private Normalise() {}

  static String key(Problem p) {
    if (p.countdown() != null) {
      // the same numbers in another order, for the same target, are the same puzzle
      return "countdown:" + p.countdown().nums().stream().sorted().toList() + "->" + p.countdown().target();
    }
    return text(p.problem());
  }

  /** Lower case, one space between words, no trailing punctuation. */
  static String text(String s) {
    String t = s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    return t.replaceAll("[\\s.!?]+$", "");
  }
}
