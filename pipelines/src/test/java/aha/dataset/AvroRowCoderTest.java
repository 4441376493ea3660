package aha.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

class AvroRowCoderTest {
  static final Problem COUNTDOWN = new Problem("c1", "Use 3 5 2 to make 16.", "16", "gen", "countdown",
      new Problem.Countdown(List.of(3, 5, 2), 16), Map.of("k", "v"));
  static final Problem MATH = new Problem("m1", "What is 6*7? 答案", "42", "", "math", null, Map.of());
  static final Completion COMPLETION = new Completion(COUNTDOWN, 3, "r1", List.of(new Completion.Message("user", "Use 3 5 2 to make 16.")),
      "Let me think…", "<answer>(3+5)*2</answer>", "stop", 12, 34, "abc");

  @Test
  void roundTripsRowsAloneAndNested() throws Exception {
    var problems = AvroRowCoder.of(Problem.SCHEMA, Problem::toAvro, Problem::fromAvro);
    var completions = AvroRowCoder.of(Completion.SCHEMA, Completion::toAvro, Completion::fromAvro);
    CoderProperties.coderDecodeEncodeEqual(problems, COUNTDOWN);
    CoderProperties.coderDecodeEncodeEqual(problems, MATH);
    CoderProperties.coderDecodeEncodeEqual(completions, COMPLETION);
    // nested: the next value must start where this one ends
    var kv = KvCoder.of(completions, StringUtf8Coder.of());
    CoderProperties.coderDecodeEncodeEqual(kv, KV.of(COMPLETION, "after"));
    // survives being shipped to a worker
    var rows = AvroRowCoder.of(ProblemGenerations.SCHEMA, ProblemGenerations::toAvro, ProblemGenerations::fromAvro);
    CoderProperties.coderDecodeEncodeEqual(rows, ProblemGenerations.of(List.of(COMPLETION)));
    var shipped = SerializableUtils.clone(completions);
    assertThat(CoderUtils.decodeFromByteArray(shipped, CoderUtils.encodeToByteArray(completions, COMPLETION))).isEqualTo(COMPLETION);
  }
}
