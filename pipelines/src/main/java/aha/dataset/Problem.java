package aha.dataset;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * A problem row, as written by the prepare stage.
 *
 * @param task {@code countdown} or {@code math}: which verifier can check an answer
 * @param countdown the numbers and target of a Countdown problem, null for other tasks
 * @param extra pass-through columns from the input dataset, as strings (JSON for non-strings)
 */
public record Problem(
    String id, String problem, String answer, String source, String task, Countdown countdown, Map<String, String> extra)
    implements Serializable {

  /** The numbers to combine and the target to reach. */
  public record Countdown(List<Integer> nums, int target) implements Serializable {
    public Countdown {
      nums = List.copyOf(nums);
    }
  }

  public Problem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(problem, "problem");
    answer = answer == null ? "" : answer;
    source = source == null ? "" : source;
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  private static final Schema COUNTDOWN =
      SchemaBuilder.record("Countdown").namespace("aha")
          .fields()
          .name("nums").type().array().items().intType().noDefault()
          .requiredInt("target")
          .endRecord();

  /** Avro schema of the Parquet files; {@code countdown} is a nullable struct holding a list. */
  public static final Schema SCHEMA =
      SchemaBuilder.record("Problem").namespace("aha")
          .fields()
          .requiredString("id")
          .requiredString("problem")
          .requiredString("answer")
          .requiredString("source")
          .requiredString("task")
          .name("countdown").type().optional().type(COUNTDOWN)
          .name("extra").type().map().values().stringType().noDefault()
          .endRecord();

  public GenericRecord toAvro() {
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("id", id);
    r.put("problem", problem);
    r.put("answer", answer);
    r.put("source", source);
    r.put("task", task);
    if (countdown != null) {
      GenericRecord c = new GenericData.Record(COUNTDOWN);
      c.put("nums", countdown.nums());
      c.put("target", countdown.target());
      r.put("countdown", c);
    }
    r.put("extra", extra);
    return r;
  }

  public static Problem fromAvro(GenericRecord r) {
    Countdown countdown = null;
    if (r.get("countdown") instanceof GenericRecord c) {
      List<Integer> nums = ((List<?>) c.get("nums")).stream().map(n -> ((Number) n).intValue()).toList();
      countdown = new Countdown(nums, ((Number) c.get("target")).intValue());
    }
    Map<String, String> extra = new java.util.TreeMap<>();
    if (r.get("extra") instanceof Map<?, ?> m) m.forEach((k, v) -> extra.put(k.toString(), String.valueOf(v)));
    return new Problem(
        str(r, "id"), str(r, "problem"), str(r, "answer"), str(r, "source"), str(r, "task"), countdown, extra);
  }

  static String str(GenericRecord r, String field) {
    Object v = r.get(field);
    return v == null ? null : v.toString();
  }
}
