package aha.dataset;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * One row of the generate stage: a problem and all its teacher generations, in the layout of
 * OpenR1-Math-220k (the problem's columns, then list columns with one entry per sample). Failed
 * samples stay in the lists, with an empty generation and their reason in {@code failures}.
 *
 * @param model the teacher model that answered (as the server named it)
 * @param messages the request's messages (system, user), in order: the same for every sample
 * @param samples in sample order
 */
public record ProblemGenerations(Problem problem, String model, List<Completion.Message> messages, List<Sample> samples)
    implements Serializable {

  /**
   * One sample.
   *
   * @param content the assistant content exactly as the server sent it
   * @param reasoning the chain of thought where the server sends it apart ({@code
   *     reasoning_content}), or the text of the content's {@code <think>} block
   * @param requestKey the idempotency (and ledger) key of the request that carried this sample
   * @param failure why there is no completion (retries exhausted, budget spent), or empty
   */
  public record Sample(int index, String content, String reasoning, String finishReason, long promptTokens,
      long completionTokens, String requestKey, String failure) implements Serializable {
    public Sample {
      content = content == null ? "" : content;
      reasoning = reasoning == null ? "" : reasoning;
      finishReason = finishReason == null ? "" : finishReason;
      requestKey = requestKey == null ? "" : requestKey;
      failure = failure == null ? "" : failure;
    }

    public boolean failed() {
      return !failure.isEmpty();
    }
  }

  public ProblemGenerations {
    Objects.requireNonNull(problem, "problem");
    model = model == null ? "" : model;
    messages = List.copyOf(messages);
    samples = List.copyOf(samples);
  }

  /** Whether any sample failed. */
  public boolean anyFailed() {
    return samples.stream().anyMatch(Sample::failed);
  }

  /** The first failed sample's reason, or null. */
  public String firstFailure() {
    return samples.stream().filter(Sample::failed).map(Sample::failure).findFirst().orElse(null);
  }

  /** One {@link Completion} per sample (failed ones included), in sample order: what the filter checks. */
  public List<Completion> completions() {
    List<Completion> out = new ArrayList<>(samples.size());
    for (Sample s : samples) {
      out.add(new Completion(problem, s.index(), model, messages, s.reasoning(), s.content(), s.finishReason(),
          s.promptTokens(), s.completionTokens(), s.requestKey(), s.failure()));
    }
    return out;
  }

  /** The row of one problem's generations (the inverse of {@link #completions()}). */
  public static ProblemGenerations of(List<Completion> generations) {
    Completion first = generations.get(0);
    List<Sample> samples = new ArrayList<>();
    for (Completion c : generations) {
      if (!c.problem().id().equals(first.problem().id())) {
        throw new IllegalArgumentException("generations of " + first.problem().id() + " and " + c.problem().id() + " in one row");
      }
      samples.add(new Sample(c.sampleIndex(), c.content(), c.reasoning(), c.finishReason(), c.promptTokens(),
          c.completionTokens(), c.requestKey(), c.failure()));
    }
    return new ProblemGenerations(first.problem(), first.teacher(), first.messages(), samples);
  }

  /** Token counts of one sample. */
  public static final Schema USAGE =
      SchemaBuilder.record("Usage").namespace("aha").fields()
          .requiredLong("prompt_tokens").requiredLong("completion_tokens").endRecord();

  /**
   * Avro schema: the problem's columns ({@code problem_id} for its id), {@code model}, {@code
   * messages}, then one list per sample field, all of the same length.
   */
  public static final Schema SCHEMA =
      ProblemColumns.schema("ProblemGenerations")
          .requiredString("model")
          .name("messages").type().array().items(Completion.MESSAGE).noDefault()
          .name("generations").type().array().items().stringType().noDefault()
          .name("reasoning").type().array().items().stringType().noDefault()
          .name("finish_reasons").type().array().items().stringType().noDefault()
          .name("usage").type().array().items(USAGE).noDefault()
          .name("sample_indices").type().array().items().intType().noDefault()
          .name("request_keys").type().array().items().stringType().noDefault()
          .name("failures").type().array().items().stringType().noDefault()
          .endRecord();

  /** Columns the filter needs to recognise a generate stage's output. */
  public static final List<String> REQUIRED_COLUMNS = List.of("problem_id", "messages", "generations", "finish_reasons");

  public GenericRecord toAvro() {
    GenericRecord r = new GenericData.Record(SCHEMA);
    ProblemColumns.put(r, problem);
    r.put("model", model);
    r.put("messages", ProblemColumns.messagesToAvro(messages));
    r.put("generations", samples.stream().map(Sample::content).toList());
    r.put("reasoning", samples.stream().map(Sample::reasoning).toList());
    r.put("finish_reasons", samples.stream().map(Sample::finishReason).toList());
    r.put("usage", samples.stream().map(s -> {
      GenericRecord u = new GenericData.Record(USAGE);
      u.put("prompt_tokens", s.promptTokens());
      u.put("completion_tokens", s.completionTokens());
      return u;
    }).toList());
    r.put("sample_indices", samples.stream().map(Sample::index).toList());
    r.put("request_keys", samples.stream().map(Sample::requestKey).toList());
    r.put("failures", samples.stream().map(Sample::failure).toList());
    return r;
  }

  public static ProblemGenerations fromAvro(GenericRecord r) {
    List<Completion.Message> messages = ProblemColumns.messages(r);
    List<?> generations = list(r, "generations");
    int n = generations.size();
    List<?> reasoning = list(r, "reasoning", n);
    List<?> finish = list(r, "finish_reasons", n);
    List<?> usage = list(r, "usage", n);
    List<?> indices = list(r, "sample_indices", n);
    List<?> keys = list(r, "request_keys", n);
    List<?> failures = list(r, "failures", n);
    List<Sample> samples = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      GenericRecord u = (GenericRecord) usage.get(i);
      samples.add(new Sample(((Number) indices.get(i)).intValue(), String.valueOf(generations.get(i)),
          String.valueOf(reasoning.get(i)), String.valueOf(finish.get(i)), ((Number) u.get("prompt_tokens")).longValue(),
          ((Number) u.get("completion_tokens")).longValue(), String.valueOf(keys.get(i)), String.valueOf(failures.get(i))));
    }
    return new ProblemGenerations(ProblemColumns.problem(r), Problem.str(r, "model"), messages, samples);
  }

  private static List<?> list(GenericRecord r, String field) {
    return (List<?>) r.get(field);
  }

  private static List<?> list(GenericRecord r, String field, int size) {
    List<?> l = list(r, field);
    if (l.size() != size) {
      throw new IllegalArgumentException("row " + r.get("problem_id") + " has " + l.size() + " " + field
          + " but " + size + " generations: the list columns must have one entry per sample");
    }
    return l;
  }
}
