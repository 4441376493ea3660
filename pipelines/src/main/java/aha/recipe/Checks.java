package aha.recipe;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Collects validation problems by key path ({@code stages[2].num_generations}); the loader turns
 * each path into a {@code file:line:column} location. Specs call it from their {@code validate}.
 */
public final class Checks {
  /** A problem at a key path. */
  public record Problem(String path, String message) {}

  private final String prefix;
  // shared by every scope made with at(), so nested checks report into one list
  private final List<Problem> problemsSink;

  public Checks() {
    this("", new ArrayList<>());
  }

  private Checks(String prefix, List<Problem> sink) {
    this.prefix = prefix;
    this.problemsSink = sink;
  }

  /** A view whose paths are relative to {@code key} (a field name or {@code [i]}). */
  public Checks at(String key) {
    if (key.isEmpty()) return this;
    String p = prefix.isEmpty() || key.startsWith("[") ? prefix + key : prefix + "." + key;
    return new Checks(p, problemsSink);
  }

  public void fail(String key, String message) {
    problemsSink.add(new Problem(at(key).prefix, message));
  }

  public void require(Object value, String key) {
    if (value == null) fail(key, "is required");
  }

  public void range(Number value, String key, double min, double max) {
    if (value == null) return;
    double v = value.doubleValue();
    if (v < min || v > max) {
      fail(key, "must be within [" + fmt(min) + ", " + fmt(max) + "], got " + value);
    }
  }

  public void positive(Number value, String key) {
    if (value != null && value.doubleValue() <= 0) fail(key, "must be positive, got " + value);
  }

  public void oneOf(String value, String key, Collection<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      String hint = Suggest.nearest(value, allowed).map(s -> "; did you mean '" + s + "'?").orElse("");
      fail(key, "must be one of " + allowed + ", got '" + value + "'" + hint);
    }
  }

  public List<Problem> problems() {
    return List.copyOf(problemsSink);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
