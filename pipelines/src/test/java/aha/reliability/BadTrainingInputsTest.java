package aha.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import aha.model.SafeTensors;
import aha.testing.InProcess;
import aha.testing.InProcess.Outcome;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad names in a GRPO stage, broken checkpoints and mistyped Parquet columns, through the CLI: each
 * is exit code 2 with one sentence naming the file, the key (or tensor, or column) and what was
 * expected, and no stage folder or output file is left behind.
 */
class BadTrainingInputsTest {
  static final String PREPARE = """
      name: bad
      seed: 1
      stages:
        - type: prepare
          source: {generator: countdown, count: 20, style: short}
          eval_holdout: 2
        - type: grpo
          model: {init: tiny}
          num_generations: 4
          learning_rate: 1.0e-4
          max_steps: 2
      """;

  /** The recipe with {@code lines} appended to the grpo stage; runs {@code validate} and {@code run}. */
  static Outcome[] grpoWith(Path tmp, String lines) throws Exception {
    Path r = tmp.resolve("r.yaml");
    Files.writeString(r, PREPARE + lines.indent(4));
    Outcome validate = InProcess.cli("validate", r.toString());
    Outcome run = InProcess.cli("run", r.toString(), "--output-dir", tmp.resolve("out").toString());
    assertThat(tmp.resolve("out/bad/01-prepare")).as("nothing runs before the recipe is valid").doesNotExist();
    return new Outcome[] {validate, run};
  }

  static void assertOneSentence(Outcome o, String... parts) {
    assertThat(o.code()).as(o.err()).isEqualTo(2);
    assertThat(o.err().lines().count()).as(o.err()).isEqualTo(1);
    for (String p : parts) assertThat(o.err()).contains(p);
  }

  @Test
  void anUnknownRewardFunctionNamesFileLineKeyAndTheKnownNames(@TempDir Path tmp) throws Exception {
    for (Outcome o : grpoWith(tmp, "reward_funcs: [accuracy, formt]\nreward_weights: [1.0, 0.1]\nloss_type: dapo\n")) {
      // file:line:column of the bad element, its key path, and the nearest known name
      assertOneSentence(o, "r.yaml:12:30: stages[1].reward_funcs[1] 'formt' is not a reward function",
          "did you mean 'format'?", "(known: [accuracy, format,");
    }
  }

  @Test
  void anUnknownLossTypeNamesTheAllowedValues(@TempDir Path tmp) throws Exception {
    for (Outcome o : grpoWith(tmp, "reward_funcs: [accuracy]\nreward_weights: [1.0]\nloss_type: ppo\n")) {
      assertOneSentence(o, "r.yaml:14:5: stages[1].loss_type must be one of [grpo, bnpo, dr_grpo, dapo], got 'ppo'");
    }
  }

  @Test
  void anUnknownScaleRewardsNamesTheAllowedValues(@TempDir Path tmp) throws Exception {
    for (Outcome o : grpoWith(tmp,
        "reward_funcs: [accuracy]\nreward_weights: [1.0]\nloss_type: dapo\nscale_rewards: std\n")) {
      assertOneSentence(o, "r.yaml:15:5: stages[1].scale_rewards must be one of [group, batch, none], got 'std'");
    }
  }

  /** A tiny checkpoint written by {@code model init}, and a scoring input for it. */
  static Path checkpoint(Path tmp) throws Exception {
    Path dir = tmp.resolve("ckpt");
    Outcome init = InProcess.cli("model", "init", "--output", dir.toString(), "--hidden", "32", "--layers", "2",
        "--heads", "4", "--kv-heads", "2", "--ffn", "64", "--seed", "7");
    assertThat(init.code()).as(init.err()).isZero();
    Files.writeString(tmp.resolve("seqs.jsonl"), "{\"id\": 1, \"input_ids\": [1, 2, 3]}\n");
    return dir;
  }

  static Outcome score(Path tmp, Path ckpt) {
    Outcome o = InProcess.cli("model", "score", "--checkpoint", ckpt.toString(),
        "--input", tmp.resolve("seqs.jsonl").toString(), "--output", tmp.resolve("out.jsonl").toString());
    assertThat(tmp.resolve("out.jsonl")).doesNotExist();
    return o;
  }

  /** Rewrites model.safetensors through {@code edit}. */
  static void editWeights(Path ckpt, java.util.function.BiConsumer<Map<String, NDArray>, NDManager> edit)
      throws Exception {
    Path f = ckpt.resolve("model.safetensors");
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> t = new LinkedHashMap<>(SafeTensors.read(f, m));
      edit.accept(t, m);
      SafeTensors.write(f, t, SafeTensors.Dtype.F32);
    }
  }

  @Test
  void aCheckpointWithAMissingTensorNamesFileAndTensor(@TempDir Path tmp) throws Exception {
    Path ckpt = checkpoint(tmp);
    Outcome intact = InProcess.cli("model", "score", "--checkpoint", ckpt.toString(),
        "--input", tmp.resolve("seqs.jsonl").toString(), "--output", tmp.resolve("intact.jsonl").toString());
    assertThat(intact.code()).as(intact.err()).isZero(); // the untouched checkpoint scores
    String name = "model.layers.1.mlp.down_proj.weight";
    editWeights(ckpt, (t, m) -> assertThat(t.remove(name)).isNotNull());
    assertOneSentence(score(tmp, ckpt), ckpt.resolve("model.safetensors") + ": tensor " + name + " is missing");
  }

  @Test
  void aCheckpointWithAWrongShapeNamesTensorShapeAndExpectedShape(@TempDir Path tmp) throws Exception {
    Path ckpt = checkpoint(tmp);
    String name = "model.layers.0.self_attn.q_proj.weight";
    editWeights(ckpt, (t, m) -> t.put(name, m.zeros(new ai.djl.ndarray.types.Shape(16, 32))));
    assertOneSentence(score(tmp, ckpt), ckpt.resolve("model.safetensors") + ": tensor " + name
        + " has shape (16, 32), expected (32, 32)");
  }

  @Test
  void aConfigMissingKeysNamesTheFileAndTheKey(@TempDir Path tmp) throws Exception {
    Path ckpt = checkpoint(tmp);
    Path config = ckpt.resolve("config.json");
    ObjectMapper json = new ObjectMapper();
    for (String key : List.of("hidden_size", "num_hidden_layers", "vocab_size", "model_type")) {
      ObjectNode n = (ObjectNode) json.readTree(Files.readString(config));
      Files.writeString(tmp.resolve("config.backup"), Files.readString(config));
      n.remove(key);
      Files.writeString(config, json.writeValueAsString(n));
      Outcome o = score(tmp, ckpt);
      assertOneSentence(o, config + ": key '" + key + "' is missing");
      Files.writeString(config, Files.readString(tmp.resolve("config.backup")));
    }
  }

  @Test
  void parquetColumnsOfTheWrongTypeNameFileColumnAndExpectedType(@TempDir Path tmp) throws Exception {
    // 'problem' holds a list of numbers where prepare expects text
    Schema schema = SchemaBuilder.record("R").fields()
        .name("problem").type().array().items().longType().noDefault()
        .requiredString("answer").endRecord();
    GenericData.Record rec = new GenericData.Record(schema);
    rec.put("problem", List.of(2L, 2L));
    rec.put("answer", "4");
    Path f = tmp.resolve("typed.parquet");
    aha.dataset.ParquetFiles.write(f, schema, List.of(rec));
    Path r = tmp.resolve("r.yaml");
    Files.writeString(r, "name: bad\nseed: 1\nstages:\n  - type: prepare\n    source: {path: " + f + "}\n");
    Outcome o = InProcess.cli("run", r.toString(), "--output-dir", tmp.resolve("out").toString());
    assertOneSentence(o, f + ": column 'problem' has type list<long>, expected a string");
    assertThat(tmp.resolve("out/bad/01-prepare")).doesNotExist();

    // the same in JSONL, and Countdown's columns: numbers as text, a fractional target
    Path j = tmp.resolve("typed.jsonl");
    Files.writeString(j, "{\"problem\": \"2+2\", \"answer\": \"4\"}\n{\"problem\": {\"text\": \"3+3\"}, \"answer\": 6}\n");
    Files.writeString(r, "name: bad\nseed: 1\nstages:\n  - type: prepare\n    source: {path: " + j + "}\n");
    assertOneSentence(InProcess.cli("run", r.toString(), "--output-dir", tmp.resolve("out").toString()),
        j + ":2: column 'problem' is object, expected a string");
    Files.writeString(j, "{\"problem\": \"Use 1 2 3 to make 6\", \"nums\": \"1 2 3\", \"target\": 6}\n");
    Files.writeString(r, "name: bad\nseed: 1\nstages:\n  - type: prepare\n    source: {path: " + j + ", task: countdown}\n");
    assertOneSentence(InProcess.cli("run", r.toString(), "--output-dir", tmp.resolve("out").toString()),
        j + ":1: column 'nums' is string, expected a list of integers");
    Files.writeString(j, "{\"problem\": \"Use 1 2 3 to make 6\", \"nums\": [1, 2, 3], \"target\": 6.5}\n");
    assertOneSentence(InProcess.cli("run", r.toString(), "--output-dir", tmp.resolve("out").toString()),
        j + ":1: column 'target' is number, expected an integer");
    assertThat(tmp.resolve("out/bad/01-prepare")).doesNotExist();
  }
}
