package aha.dataset;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * A row that carries its problem flattened (the problem's columns, its id as {@code problem_id})
 * and the chat messages sent to the teacher, so later stages need no join: the generate stage's
 * {@link ProblemGenerations} and the filter's per-completion {@link Completion} share these.
 */
final class ProblemColumns {
  private static final List<String> COPIED = List.of("problem", "answer", "source", "task", "countdown", "extra");

  private ProblemColumns() {}

  /** A record schema that starts with the problem's columns; the caller adds its own and ends it. */
  static SchemaBuilder.FieldAssembler<Schema> schema(String record) {
    return SchemaBuilder.record(record).namespace("aha").fields()
        .requiredString("problem_id")
        .requiredString("problem")
        .requiredString("answer")
        .requiredString("source")
        .requiredString("task")
        .name("countdown").type().optional().type(Problem.SCHEMA.getField("countdown").schema().getTypes().get(1))
        .name("extra").type().map().values().stringType().noDefault();
  }

  static void put(GenericRecord row, Problem problem) {
    GenericRecord p = problem.toAvro();
    row.put("problem_id", problem.id());
    for (String f : COPIED) row.put(f, p.get(f));
  }

  static Problem problem(GenericRecord row) {
    GenericRecord p = new GenericData.Record(Problem.SCHEMA);
    p.put("id", row.get("problem_id"));
    for (String f : COPIED) p.put(f, row.get(f));
    return Problem.fromAvro(p);
  }

  static List<GenericRecord> messagesToAvro(List<Completion.Message> messages) {
    return messages.stream().map(m -> {
      GenericRecord g = new GenericData.Record(Completion.MESSAGE);
      g.put("role", m.role());
      g.put("content", m.content());
      return g;
    }).toList();
  }

  static List<Completion.Message> messages(GenericRecord row) {
    return ((List<?>) row.get("messages")).stream()
        .map(o -> (GenericRecord) o)
        .map(g -> new Completion.Message(Problem.str(g, "role"), Problem.str(g, "content")))
        .toList();
  }
}
