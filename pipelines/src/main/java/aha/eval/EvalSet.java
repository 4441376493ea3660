package aha.eval;

import aha.recipe.Checks;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One eval set: an earlier stage's problem split ({@code prepare.eval}, the short form) or a local
 * JSONL file ({@code {label, path, task: math|countdown}}) with fields {@code id} (optional),
 * {@code problem}, {@code answer}, and for Countdown {@code nums} and {@code target}, as in the
 * shared MATH-500/GSM8K/AIME/Countdown files.
 *
 * @param limit evaluate only the first {@code limit} problems (in file order; by id for a stage
 *     split)
 */
public record EvalSet(String label, String from, String path, String task, Integer limit) {
  static final List<String> TASKS = List.of("math", "countdown");

  @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
  public EvalSet(
      @JsonProperty("label") String label,
      @JsonProperty("from") String from,
      @JsonProperty("path") String path,
      @JsonProperty("task") String task,
      @JsonProperty("limit") Integer limit) {
    this.from = from;
    this.path = path;
    this.task = task;
    this.limit = limit;
    this.label = label != null ? label : from;
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static EvalSet ofSplit(String from) {
    return new EvalSet(null, from, null, null, null);
  }

  /** The split of {@code from} to read ({@code eval} when none is named). */
  String fromSplit() {
    return from.contains(".") ? from.substring(from.indexOf('.') + 1) : "eval";
  }

  void validate(Checks c) {
    if ((from == null) == (path == null))
      c.fail("", "needs exactly one of a stage split (prepare.eval) or path");
    if (path != null) {
      c.require(task, "task");
      c.oneOf(task, "task", TASKS);
    }
    if (from != null && task != null)
      c.fail("task", "comes from the problems of " + from + "; remove it");
    if (label == null) c.require(label, "label");
    if (label != null && !label.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      c.fail("label", "must be letters, digits, '.', '_' or '-', got '" + label + "'");
    }
    c.range(limit, "limit", 1, Integer.MAX_VALUE);
  }
}
