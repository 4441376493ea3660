package aha.grpo.stage;

import aha.grpo.Advantages;
import aha.grpo.reward.RewardTable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one GRPO step writes: a line of {@code metrics.jsonl} (TRL's metric names, plus the aha
 * analytics: completion length, reflection rate, accuracy with and without reflection) and a few
 * completions in {@code samples.jsonl}. A metric with no value (a mean over nothing) is null.
 */
final class StepLog implements AutoCloseable {
  static final String METRICS = "metrics.jsonl";
  static final String SAMPLES = "samples.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BufferedWriter metrics;
  private final BufferedWriter samples;

  StepLog(Path dir) throws IOException {
    this.metrics = append(dir.resolve(METRICS));
    this.samples = append(dir.resolve(SAMPLES));
  }

  private static BufferedWriter append(Path f) throws IOException {
    return Files.newBufferedWriter(
        f, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /**
   * The rollout metrics of a step over every completion sampled in it (with dynamic sampling, the
   * dropped groups too: they describe the policy as much as the kept ones).
   */
  static Map<String, Double> rolloutMetrics(
      List<Rollout> rows, RewardTable rewards, int groupSize, String scale) {
    Map<String, Double> m = new LinkedHashMap<>();
    Advantages adv =
        Advantages.compute(rewards.totals(), groupSize, aha.grpo.ScaleRewards.parse(scale));
    m.putAll(rewards.metrics(adv));
    int n = rows.size();
    double lengthSum = 0;
    int min = Integer.MAX_VALUE;
    int max = 0;
    int truncated = 0;
    int scorable = 0, correct = 0, reflect = 0;
    int scorableReflect = 0, correctReflect = 0, scorablePlain = 0, correctPlain = 0;
    for (Rollout r : rows) {
      int len = r.completionIds().length;
      lengthSum += len;
      min = Math.min(min, len);
      max = Math.max(max, len);
      if (r.truncated()) truncated++;
      if (r.reflects()) reflect++;
      if (r.correct() != null) {
        scorable++;
        boolean ok = r.correct();
        if (ok) correct++;
        if (r.reflects()) {
          scorableReflect++;
          if (ok) correctReflect++;
        } else {
          scorablePlain++;
          if (ok) correctPlain++;
        }
      }
    }
    m.put("accuracy", ratio(correct, scorable));
    m.put("completion_length", n == 0 ? Double.NaN : lengthSum / n);
    m.put("completions/mean_length", n == 0 ? Double.NaN : lengthSum / n);
    m.put("completions/min_length", n == 0 ? Double.NaN : min);
    m.put("completions/max_length", n == 0 ? Double.NaN : max);
    m.put("completions/clipped_ratio", ratio(truncated, n));
    m.put("reflection_rate", ratio(reflect, n));
    m.put("accuracy_reflect", ratio(correctReflect, scorableReflect));
    m.put("accuracy_no_reflect", ratio(correctPlain, scorablePlain));
    m.put("num_completions", (double) n);
    return m;
  }

  private static double ratio(int a, int b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }

  /** Appends the metrics line of {@code step} (1-based). */
  void metrics(int step, Map<String, Double> values) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("step", step);
    values.forEach(
        (k, v) -> {
          if (v == null || !Double.isFinite(v)) o.putNull(k);
          else if (v == Math.rint(v)
              && Math.abs(v) < 1e15
              && (k.startsWith("num_") || k.endsWith("_length"))) o.put(k, v.longValue());
          else o.put(k, v);
        });
    metrics.write(JSON.writeValueAsString(o));
    metrics.newLine();
    metrics.flush();
  }

  /** Appends up to {@code count} completions of a step: one per group, from the first groups. */
  void samples(int step, List<Rollout> rows, double[] rewards, int groupSize, int count)
      throws IOException {
    int groups = rows.size() / groupSize;
    for (int k = 0; k < Math.min(count, rows.size()); k++) {
      // one per group first, then the second completion of each group, ...
      int i = (k % Math.max(1, groups)) * groupSize + k / Math.max(1, groups);
      Rollout r = rows.get(i);
      ObjectNode o = JSON.createObjectNode();
      o.put("step", step);
      o.put("problem_id", r.problem().id());
      o.put("prompt", r.prompt());
      o.put("completion", r.completion());
      if (Double.isFinite(rewards[i])) o.put("reward", rewards[i]);
      else o.putNull("reward");
      if (r.correct() == null) o.putNull("correct");
      else o.put("correct", r.correct());
      o.put("reflects", r.reflects());
      samples.write(JSON.writeValueAsString(o));
      samples.newLine();
    }
    samples.flush();
  }

  @Override
  public void close() throws IOException {
    try {
      metrics.close();
    } finally {
      samples.close();
    }
  }
}
