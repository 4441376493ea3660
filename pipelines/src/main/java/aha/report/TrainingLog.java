package aha.report;

import aha.BadInputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A training stage's {@code metrics.jsonl} (one object per optimizer step, with a 1-based {@code
 * step}) and, for GRPO, {@code samples.jsonl} (a few completions per step).
 */
public final class TrainingLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One logged completion: {@code {"step", "problem_id", "prompt", "completion", "reward",
   * "correct", "reflects"}}.
   */
  public record Sample(
      int step,
      String problemId,
      String completion,
      double reward,
      Boolean correct,
      boolean reflects) {}

  private final Path dir;
  private final List<JsonNode> steps;
  private final List<Sample> samples;

  private TrainingLog(Path dir, List<JsonNode> steps, List<Sample> samples) {
    this.dir = dir;
    this.steps = steps;
    this.samples = samples;
  }

  /** Reads {@code dir/metrics.jsonl} (required) and {@code dir/samples.jsonl} (when present). */
  public static TrainingLog read(Path dir) {
    Path metrics = dir.resolve("metrics.jsonl");
    if (!Files.isRegularFile(metrics)) throw new BadInputException(dir + " has no metrics.jsonl");
    List<JsonNode> steps = new ArrayList<>();
    int last = 0;
    for (Line l : lines(metrics)) {
      JsonNode step = l.node().get("step");
      if (step == null || !step.canConvertToInt() || step.asInt() < 1) {
        throw new BadInputException(
            metrics + ":" + l.number() + ": key 'step' must be a positive integer");
      }
      if (step.asInt() <= last) {
        throw new BadInputException(
            metrics
                + ":"
                + l.number()
                + ": step "
                + step.asInt()
                + " does not follow step "
                + last);
      }
      last = step.asInt();
      steps.add(l.node());
    }
    List<Sample> samples = new ArrayList<>();
    Path sfile = dir.resolve("samples.jsonl");
    if (Files.isRegularFile(sfile)) {
      for (Line l : lines(sfile)) {
        JsonNode n = l.node();
        if (!n.path("step").canConvertToInt() || !n.path("completion").isTextual()) {
          throw new BadInputException(
              sfile + ":" + l.number() + ": expected integer 'step' and string 'completion'");
        }
        JsonNode correct = n.get("correct");
        samples.add(
            new Sample(
                n.get("step").asInt(),
                n.path("problem_id").asText(""),
                n.get("completion").asText(),
                n.path("reward").asDouble(Double.NaN),
                correct == null || correct.isNull() ? null : correct.asBoolean(),
                n.path("reflects").asBoolean(false)));
      }
    }
    return new TrainingLog(dir, steps, samples);
  }

  private record Line(int number, JsonNode node) {}

  private static List<Line> lines(Path file) {
    List<Line> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file)) {
      String s;
      for (int n = 1; (s = r.readLine()) != null; n++) {
        if (s.isBlank()) continue;
        try {
          JsonNode node = JSON.readTree(s);
          if (!node.isObject()) throw new IOException("not an object");
          out.add(new Line(n, node));
        } catch (IOException e) {
          throw new BadInputException(file + ":" + n + " is not a JSON object");
        }
      }
    } catch (IOException e) {
      throw new BadInputException("cannot read " + file + ": " + e.getMessage());
    }
    return out;
  }

  public Path dir() {
    return dir;
  }

  public int size() {
    return steps.size();
  }

  public double[] steps() {
    return steps.stream().mapToDouble(n -> n.get("step").asDouble()).toArray();
  }

  /** Whether any step logged {@code key}. */
  public boolean has(String key) {
    return steps.stream().anyMatch(n -> n.path(key).isNumber());
  }

  /** The value of {@code key} per step, NaN where a step did not log it. */
  public double[] series(String key) {
    return steps.stream()
        .mapToDouble(n -> n.path(key).isNumber() ? n.get(key).asDouble() : Double.NaN)
        .toArray();
  }

  public List<Sample> samples() {
    return samples;
  }
}
