package aha.filter;

import aha.dataset.Completion;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The filter's decision for all generations of one problem: problem-level rejection (contaminated,
 * duplicate), the per-generation checks, de-duplication of the surviving traces, the keep policy,
 * and the pass rate. Every input row ends up either kept or rejected with one reason.
 *
 * @param dedupeTraces drop exact (after normalisation) duplicate traces of the same problem
 * @param nearThreshold Jaccard similarity from which traces are near-duplicates, or null
 * @param maxPerProblem cap on kept traces, or null for the policy's own
 * @param passRate window for the {@code prompts} split, or null when no prompts are written
 */
public record ProblemGroup(
    TraceChecks checks, boolean dedupeTraces, Double nearThreshold, KeepPolicy keep, Integer maxPerProblem, PassRate passRate)
    implements Serializable {

  /** A dropped generation and why; {@code detail} says more (the set, the duplicate's id). */
  public record Rejection(Completion completion, Reason reason, String detail) implements Serializable {}

  /** A problem-level verdict that drops every generation of the problem. */
  public record ProblemFlag(Reason reason, String detail) implements Serializable {}

  /**
   * @param passRate mean correctness over decided generations, NaN when none is decided
   * @param prompt whether the problem belongs in the {@code prompts} split
   */
  public record Outcome(List<Completion> kept, List<Rejection> rejected, double passRate, boolean prompt) {}

  /**
   * Decides one problem.
   *
   * @param rows all generations of the problem, in any order
   * @param flag a problem-level rejection, or null
   */
  public Outcome decide(List<Completion> rows, AnswerCheck answers, ProblemFlag flag) {
    List<Completion> ordered = new ArrayList<>(rows);
    ordered.sort(Comparator.comparingInt(Completion::sampleIndex).thenComparing(Completion::requestKey));
    List<Rejection> rejected = new ArrayList<>();
    if (flag != null) {
      for (Completion c : ordered) rejected.add(new Rejection(c, flag.reason(), flag.detail()));
      return new Outcome(List.of(), rejected, Double.NaN, false);
    }
    List<Boolean> verdicts = new ArrayList<>();
    List<Completion> survivors = new ArrayList<>();
    for (Completion c : ordered) {
      if (c.failed()) { // nothing to verify; left out of the pass rate like an undecided verdict
        rejected.add(new Rejection(c, Reason.FAILED, c.failure()));
        continue;
      }
      Boolean verdict = answers.check(c);
      verdicts.add(verdict);
      Reason r = checks.firstFailure(c, verdict);
      if (r == null) {
        survivors.add(c);
      } else {
        rejected.add(new Rejection(c, r, detail(r, c)));
      }
    }
    if (dedupeTraces && survivors.size() > 1) survivors = dropDuplicateTraces(survivors, rejected);
    List<Completion> kept = keep.select(survivors, maxPerProblem, checks.tokens());
    Set<Completion> keptSet = new HashSet<>(kept);
    for (Completion c : survivors) {
      if (!keptSet.contains(c)) rejected.add(new Rejection(c, Reason.KEEP_POLICY, keep.name().toLowerCase(java.util.Locale.ROOT)));
    }
    double rate = PassRate.of(verdicts);
    return new Outcome(kept, rejected, rate, passRate != null && passRate.contains(rate));
  }

  private List<Completion> dropDuplicateTraces(List<Completion> survivors, List<Rejection> rejected) {
    Map<String, Completion> byId = new HashMap<>();
    List<Duplicates.Item> items = new ArrayList<>();
    for (Completion c : survivors) {
      Duplicates.Item item = ProblemKeys.trace(c.sampleIndex(), c.assistantText());
      // two rows with the same sample index would collide; keep them apart by list position
      String id = byId.containsKey(item.id()) ? item.id() + "-" + byId.size() : item.id();
      byId.put(id, c);
      items.add(new Duplicates.Item(id, item.key(), item.shingles()));
    }
    Map<String, Duplicates.Flag> flags = new HashMap<>();
    for (Duplicates.Flag f : Duplicates.flag(items, nearThreshold, Reason.DUPLICATE_TRACE, Reason.NEAR_DUPLICATE_TRACE)) {
      flags.put(f.id(), f);
    }
    List<Completion> out = new ArrayList<>();
    for (Duplicates.Item item : items) {
      Completion c = byId.get(item.id());
      Duplicates.Flag f = flags.get(item.id());
      if (f == null) {
        out.add(c);
      } else {
        rejected.add(new Rejection(c, f.reason(), "sample " + byId.get(f.of()).sampleIndex()));
      }
    }
    return out;
  }

  private String detail(Reason r, Completion c) {
    switch (r) {
      case INCOMPLETE:
        return "finish_reason " + (c.finishReason().isEmpty() ? "missing" : c.finishReason());
      case TOO_SHORT:
      case TOO_LONG:
        return checks.tokens().count(c.assistantText()) + " tokens";
      case REPETITIVE:
        return String.format("repetition rate %.3f", TraceChecks.repetitionRate(c.assistantText(), checks.repetitionNgram()));
      case CONTAMINATED_COMPLETION:
        return String.join(",", checks.completionContamination().setsHit(c.assistantText()));
      default:
        return "";
    }
  }
}
