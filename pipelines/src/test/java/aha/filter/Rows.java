package aha.filter;

import aha.dataset.Completion;
import aha.dataset.Problem;
import aha.dataset.ProblemGenerations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-made problems and completions for the filter's tests. */
final class Rows {
  private Rows() {}

  static final String SYSTEM = "You are a helpful assistant. Think in <think> </think>, answer in <answer> </answer>.";

  static Problem countdown(String id, int target, Integer... nums) {
    String text = "Use " + String.join(" ", List.of(nums).stream().map(String::valueOf).toList()) + " to make " + target + ".";
    return new Problem(id, text, String.valueOf(target), "test", "countdown", new Problem.Countdown(List.of(nums), target), Map.of());
  }

  static Problem math(String id, String text, String answer) {
    return new Problem(id, text, answer, "test", "math", null, Map.of());
  }

  /** A finished completion with a reasoning block and {@code content} as the visible answer. */
  static Completion completion(Problem p, int sample, String reasoning, String content) {
    return completion(p, sample, reasoning, content, "stop");
  }

  static Completion completion(Problem p, int sample, String reasoning, String content, String finish) {
    List<Completion.Message> messages = List.of(new Completion.Message("system", SYSTEM), new Completion.Message("user", p.problem()));
    return new Completion(p, sample, "test-teacher", messages, reasoning, content, finish, 20, 40, p.id() + "#" + sample);
  }

  /** The generate stage's rows for these completions: one per problem, in first-seen order. */
  static List<ProblemGenerations> perProblem(List<Completion> completions) {
    Map<String, List<Completion>> byId = new LinkedHashMap<>();
    for (Completion c : completions) byId.computeIfAbsent(c.problem().id(), k -> new java.util.ArrayList<>()).add(c);
    return byId.values().stream().map(ProblemGenerations::of).toList();
  }

  /** A plausible English trace of {@code words} distinct-ish words. */
  static String trace(int words, int seed) {
    StringBuilder b = new StringBuilder("Let me try the numbers one at a time.");
    for (int i = 0; i < words; i++) b.append(' ').append("step").append((i * 7919L + seed * 104729L) % 100003);
    return b.append(". Wait, let me check that again. Yes, it works.").toString();
  }
}
