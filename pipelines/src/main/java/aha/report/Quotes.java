package aha.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Completions quoted in the report. With an aha step: the earliest logged ones before it, and after
 * it those that reflect and are correct first (latest steps first). Without one: the earliest and
 * the latest logged completions, so the reader can still compare.
 */
record Quotes(
    String beforeTitle,
    List<TrainingLog.Sample> before,
    String afterTitle,
    List<TrainingLog.Sample> after) {

  static Quotes pick(List<TrainingLog.Sample> samples, Integer ahaStep, int count, int maxChars) {
    Comparator<TrainingLog.Sample> earliest = Comparator.comparingInt(TrainingLog.Sample::step);
    Comparator<TrainingLog.Sample> telling =
        Comparator.comparing((TrainingLog.Sample s) -> !s.reflects())
            .thenComparing(s -> !Boolean.TRUE.equals(s.correct()))
            .thenComparing(Comparator.comparingInt(TrainingLog.Sample::step).reversed());
    List<TrainingLog.Sample> before;
    List<TrainingLog.Sample> after;
    String bt;
    String at;
    if (ahaStep != null) {
      before =
          samples.stream().filter(s -> s.step() < ahaStep).sorted(earliest).limit(count).toList();
      after =
          samples.stream().filter(s -> s.step() >= ahaStep).sorted(telling).limit(count).toList();
      bt = "Before the aha step (step < " + ahaStep + ")";
      at = "After the aha step (step >= " + ahaStep + ")";
    } else {
      int last = samples.stream().mapToInt(TrainingLog.Sample::step).max().orElse(0);
      int first = samples.stream().mapToInt(TrainingLog.Sample::step).min().orElse(0);
      before = samples.stream().filter(s -> s.step() == first).limit(count).toList();
      after =
          last == first
              ? List.of()
              : samples.stream()
                  .filter(s -> s.step() == last)
                  .sorted(telling)
                  .limit(count)
                  .toList();
      bt = "First logged step (" + first + ")";
      at = "Last logged step (" + last + ")";
    }
    return new Quotes(bt, cut(before, maxChars), at, cut(after, maxChars));
  }

  /** Long completions keep their start and their end (where the answer is). */
  private static List<TrainingLog.Sample> cut(List<TrainingLog.Sample> in, int maxChars) {
    List<TrainingLog.Sample> out = new ArrayList<>();
    for (TrainingLog.Sample s : in) {
      String c = s.completion();
      if (c.length() > maxChars) {
        int half = maxChars / 2;
        c =
            c.substring(0, half)
                + "\n[... "
                + (c.length() - 2 * half)
                + " characters cut ...]\n"
                + c.substring(c.length() - half);
      }
      out.add(
          new TrainingLog.Sample(
              s.step(), s.problemId(), c, s.reward(), s.correct(), s.reflects()));
    }
    return out;
  }

  Map<String, Object> toJson() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("before", json(before));
    o.put("after", json(after));
    return o;
  }

  private static List<Map<String, Object>> json(List<TrainingLog.Sample> l) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (TrainingLog.Sample s : l) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("step", s.step());
      o.put("problem_id", s.problemId());
      o.put("reward", ReportStage.num(s.reward()));
      o.put("correct", s.correct());
      o.put("reflects", s.reflects());
      o.put("completion", s.completion());
      out.add(o);
    }
    return out;
  }
}
