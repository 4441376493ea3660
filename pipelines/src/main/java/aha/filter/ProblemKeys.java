package aha.filter;

import aha.dataset.Problem;

/** The de-duplication view of a problem and of a trace. */
public final class ProblemKeys {
  private ProblemKeys() {}

  /**
   * A problem as a duplicate candidate. Countdown problems are the same puzzle when their sorted
   * numbers and target agree, whatever the wording; they get no shingles, since two puzzles whose
   * sentences differ in one number are different puzzles.
   */
  public static Duplicates.Item problem(Problem p) {
    if (p.countdown() != null) {
      String key = "countdown:" + p.countdown().nums().stream().sorted().toList() + "->" + p.countdown().target();
      return new Duplicates.Item(p.id(), key, new long[0]);
    }
    return new Duplicates.Item(p.id(), String.join(" ", Words.normalised(p.problem())), MinHash.shingles(p.problem()));
  }

  /** A trace as a duplicate candidate; ids are zero-padded sample indices so they sort numerically. */
  public static Duplicates.Item trace(int sampleIndex, String text) {
    return new Duplicates.Item(String.format("%09d", sampleIndex), String.join(" ", Words.normalised(text)), MinHash.shingles(text));
  }
}
