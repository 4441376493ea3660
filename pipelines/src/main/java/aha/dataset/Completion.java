package aha.dataset;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * One teacher generation for one problem: the filter's unit of work (it explodes each {@link
 * ProblemGenerations} row of the generate stage into these) and the row of the filter's {@code
 * rejected} split. It carries the problem it answers, the conversation sent, and what came back.
 *
 * @param sampleIndex 0..num_generations-1 for the same problem
 * @param messages the request's messages (system, user), in order
 * @param reasoning the chain of thought ({@code reasoning_content}, or the text of the {@code
 *     <think>} block)
 * @param content the assistant content exactly as the server sent it (it still holds the {@code
 *     <think>} block when the server sends the reasoning inline, malformed or not)
 * @param finishReason {@code stop}, {@code length}, ... as the server reported it
 * @param requestKey the idempotency key of the request (sha256), also the ledger key
 * @param failure why the teacher gave no completion for this sample (then content is empty), or
 *     empty
 */
public record Completion(
    Problem problem,
    int sampleIndex,
    String teacher,
    List<Message> messages,
    String reasoning,
    String content,
    String finishReason,
    long promptTokens,
    long completionTokens,
    String requestKey,
    String failure)
    implements Serializable {

  /** A chat message. */
  public record Message(String role, String content) implements Serializable {
    public Message {
      Objects.requireNonNull(role, "role");
      content = content == null ? "" : content;
    }
  }

  public Completion {
    Objects.requireNonNull(problem, "problem");
    messages = List.copyOf(messages);
    reasoning = reasoning == null ? "" : reasoning;
    content = content == null ? "" : content;
    finishReason = finishReason == null ? "" : finishReason;
    teacher = teacher == null ? "" : teacher;
    requestKey = requestKey == null ? "" : requestKey;
    failure = failure == null ? "" : failure;
  }

  /** A generation that did not fail. */
  public Completion(Problem problem, int sampleIndex, String teacher, List<Message> messages, String reasoning,
      String content, String finishReason, long promptTokens, long completionTokens, String requestKey) {
    this(problem, sampleIndex, teacher, messages, reasoning, content, finishReason, promptTokens, completionTokens,
        requestKey, "");
  }

  /** Whether the teacher gave no completion for this sample. */
  public boolean failed() {
    return !failure.isEmpty();
  }

  /**
   * The full assistant text in R1 form, {@code <think>\nreasoning\n</think>\nanswer}: the content
   * as sent when its own think block holds the reasoning (so a malformed block stays malformed for
   * the filter to see), else the separate reasoning wrapped around the content.
   */
  public String assistantText() {
    if (reasoning.isEmpty() || content.contains("<think>") && content.contains(reasoning)) return content;
    return "<think>\n" + reasoning + "\n</think>\n" + content;
  }

  /** Avro schema of one chat message, {@code struct<role, content>}. */
  public static final Schema MESSAGE =
      SchemaBuilder.record("Message").namespace("aha").fields()
          .requiredString("role").requiredString("content").endRecord();

  /** Avro schema: the problem's columns flattened with a {@code problem_} prefix, then the completion's. */
  public static final Schema SCHEMA =
      ProblemColumns.schema("Completion")
          .requiredInt("sample_index")
          .requiredString("teacher")
          .name("messages").type().array().items(MESSAGE).noDefault()
          .requiredString("reasoning")
          .requiredString("content")
          .requiredString("finish_reason")
          .requiredLong("prompt_tokens")
          .requiredLong("completion_tokens")
          .requiredString("request_key")
          .requiredString("failure")
          .endRecord();

  /** This completion's columns. */
  public GenericRecord toAvro() {
    GenericRecord r = new GenericData.Record(SCHEMA);
    ProblemColumns.put(r, problem);
    r.put("sample_index", sampleIndex);
    r.put("teacher", teacher);
    r.put("messages", ProblemColumns.messagesToAvro(messages));
    r.put("reasoning", reasoning);
    r.put("content", content);
    r.put("finish_reason", finishReason);
    r.put("prompt_tokens", promptTokens);
    r.put("completion_tokens", completionTokens);
    r.put("request_key", requestKey);
    r.put("failure", failure);
    return r;
  }

  public static Completion fromAvro(GenericRecord r) {
    List<Message> messages = ProblemColumns.messages(r);
    return new Completion(ProblemColumns.problem(r), ((Number) r.get("sample_index")).intValue(), Problem.str(r, "teacher"),
        messages, Problem.str(r, "reasoning"), Problem.str(r, "content"), Problem.str(r, "finish_reason"),
        ((Number) r.get("prompt_tokens")).longValue(), ((Number) r.get("completion_tokens")).longValue(),
        Problem.str(r, "request_key"), r.getSchema().getField("failure") == null ? "" : Problem.str(r, "failure"));
  }
}
