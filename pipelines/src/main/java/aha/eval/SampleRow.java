package aha.eval;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * One scored completion, a row of {@code data/samples-*.parquet}.
 *
 * @param greedy true for the one greedy completion per problem (sample_index 0), false for samples
 * @param answer the extracted answer (math: the parsed final answer; countdown: the equation), null
 *     when none was found
 * @param correct the verdict, null when the gold answer cannot be scored
 * @param length completion tokens, including the token that ended it
 */
public record SampleRow(
    String model,
    String set,
    String problemId,
    int sampleIndex,
    boolean greedy,
    String completion,
    String answer,
    Boolean correct,
    int length,
    boolean reflects,
    String finishReason) {

  public static final Schema SCHEMA =
      SchemaBuilder.record("EvalSample")
          .namespace("aha")
          .fields()
          .requiredString("model")
          .requiredString("set")
          .requiredString("problem_id")
          .requiredInt("sample_index")
          .requiredBoolean("greedy")
          .requiredString("completion")
          .optionalString("answer")
          .optionalBoolean("correct")
          .requiredInt("length")
          .requiredBoolean("reflects")
          .requiredString("finish_reason")
          .endRecord();

  /** True when the model ended the completion itself (EOS or a stop string), not max_new_tokens. */
  public boolean finishedByEos() {
    return "stop".equals(finishReason);
  }

  public GenericRecord toAvro() {
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("model", model);
    r.put("set", set);
    r.put("problem_id", problemId);
    r.put("sample_index", sampleIndex);
    r.put("greedy", greedy);
    r.put("completion", completion);
    r.put("answer", answer);
    r.put("correct", correct);
    r.put("length", length);
    r.put("reflects", reflects);
    r.put("finish_reason", finishReason);
    return r;
  }

  public static SampleRow fromAvro(GenericRecord r) {
    Object answer = r.get("answer");
    return new SampleRow(
        r.get("model").toString(),
        r.get("set").toString(),
        r.get("problem_id").toString(),
        (Integer) r.get("sample_index"),
        (Boolean) r.get("greedy"),
        r.get("completion").toString(),
        answer == null ? null : answer.toString(),
        (Boolean) r.get("correct"),
        (Integer) r.get("length"),
        (Boolean) r.get("reflects"),
        r.get("finish_reason").toString());
  }
}
