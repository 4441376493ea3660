package aha.dataset;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * One row of an SFT dataset, in the layout TRL's SFTTrainer reads: a {@code messages} column of
 * {@code {role, content}} structs (system and user as sent to the teacher, then the assistant turn
 * with the full {@code <think>} trace), plus where it came from.
 */
public record SftExample(String problemId, List<Completion.Message> messages, String answer, int sampleIndex, String source)
    implements Serializable {

  public SftExample {
    messages = List.copyOf(messages);
    answer = answer == null ? "" : answer;
    source = source == null ? "" : source;
  }

  /** The conversation of a completion with its assistant turn appended. */
  public static SftExample of(Completion c) {
    List<Completion.Message> m = new ArrayList<>(c.messages());
    m.add(new Completion.Message("assistant", c.assistantText()));
    return new SftExample(c.problem().id(), m, c.problem().answer(), c.sampleIndex(), c.problem().source());
  }

  public static final Schema SCHEMA =
      SchemaBuilder.record("SftExample").namespace("aha").fields()
          .requiredString("problem_id")
          .name("messages").type().array().items(Completion.MESSAGE).noDefault()
          .requiredString("answer")
          .requiredInt("sample_index")
          .requiredString("source")
          .endRecord();

  public GenericRecord toAvro() {
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("problem_id", problemId);
    r.put("messages", messages.stream().map(m -> {
      GenericRecord g = new GenericData.Record(Completion.MESSAGE);
      g.put("role", m.role());
      g.put("content", m.content());
      return g;
    }).toList());
    r.put("answer", answer);
    r.put("sample_index", sampleIndex);
    r.put("source", source);
    return r;
  }

  public static SftExample fromAvro(GenericRecord r) {
    List<Completion.Message> messages = ((List<?>) r.get("messages")).stream()
        .map(o -> (GenericRecord) o)
        .map(g -> new Completion.Message(Problem.str(g, "role"), Problem.str(g, "content")))
        .toList();
    return new SftExample(Problem.str(r, "problem_id"), messages, Problem.str(r, "answer"),
        ((Number) r.get("sample_index")).intValue(), Problem.str(r, "source"));
  }
}
