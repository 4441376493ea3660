package aha.filter;

import aha.dataset.Completion;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Which of a problem's surviving (verified, clean) traces go into the SFT dataset. open-r1's
 * OpenR1-Math-220k kept every correct trace ({@code all}); {@code first} and {@code shortest} keep
 * one trace per problem unless {@code max_per_problem} allows more.
 */
public enum KeepPolicy {
  /** Every survivor, or the first {@code max_per_problem} by sample index. */
  ALL,
  /** The first survivors by sample index (one unless {@code max_per_problem} says more). */
  FIRST,
  /** The shortest survivors in tokens, ties by sample index (one unless {@code max_per_problem} says more). */
  SHORTEST;

  public static final List<String> NAMES = List.of("all", "first", "shortest");

  public static KeepPolicy named(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /**
   * The traces to keep, in sample order.
   *
   * @param survivors one problem's traces that passed every check, in sample order
   * @param maxPerProblem at most this many, or null for the policy's own limit
   */
  public List<Completion> select(List<Completion> survivors, Integer maxPerProblem, TokenCounter tokens) {
    int limit = maxPerProblem != null ? maxPerProblem : this == ALL ? Integer.MAX_VALUE : 1;
    List<Completion> ordered = this == SHORTEST
        ? survivors.stream()
            .sorted(Comparator.comparingInt((Completion c) -> tokens.count(c.assistantText()))
                .thenComparingInt(Completion::sampleIndex))
            .toList()
        : survivors;
    return ordered.stream().limit(limit).sorted(Comparator.comparingInt(Completion::sampleIndex)).toList();
  }
}
