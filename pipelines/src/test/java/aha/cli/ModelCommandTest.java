package aha.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import aha.model.CausalLM;
import aha.model.Checkpoint;
import aha.model.ModelConfig;
import aha.model.SafeTensors;
import aha.model.chat.ChatMlTemplate;
import aha.model.tokenizer.CharTokenizerJson;
import aha.model.tokenizer.TextTokenizer;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandTest {
  static final Path FIXTURE =
      Path.of(System.getProperty("aha.shared.dir", "../../shared"), "fixtures", "qwen2-tiny");

  @Test
  @Tag("shared")
  void scoresTheSharedFixtureLikePyTorch(@TempDir Path tmp) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> expected = Files.readAllLines(FIXTURE.resolve("expected_logprobs.jsonl"));
    StringBuilder in = new StringBuilder();
    for (String line : expected) {
      if (line.isBlank()) continue;
      JsonNode row = json.readTree(line);
      in.append("{\"id\": ")
          .append(row.get("id"))
          .append(", \"input_ids\": ")
          .append(row.get("input_ids"))
          .append("}\n");
    }
    Files.writeString(tmp.resolve("seqs.jsonl"), in);
    Path out = tmp.resolve("out.jsonl");
    int rc =
        Main.execute(
            "model",
            "score",
            "--checkpoint",
            FIXTURE.toString(),
            "--input",
            tmp.resolve("seqs.jsonl").toString(),
            "--output",
            out.toString(),
            "--batch-size",
            "2");
    assertThat(rc).isZero();
    List<String> got = Files.readAllLines(out);
    assertThat(got).hasSize(5);
    for (int i = 0; i < 5; i++) {
      JsonNode want = json.readTree(expected.get(i));
      JsonNode row = json.readTree(got.get(i));
      assertThat(row.get("id")).isEqualTo(want.get("id"));
      assertThat(row.get("logprobs").size()).isEqualTo(want.get("logprobs").size());
      for (int t = 0; t < want.get("logprobs").size(); t++) {
        assertThat(row.get("logprobs").get(t).asDouble())
            .isCloseTo(want.get("logprobs").get(t).asDouble(), within(1e-4));
      }
    }
  }

  @Test
  void badInputIsExitTwoWithTheLineAndNoOutput(@TempDir Path tmp) throws Exception {
    Path ckpt = tinyCheckpoint(tmp);
    Files.writeString(
        tmp.resolve("seqs.jsonl"), "{\"id\": 1, \"input_ids\": [1, 2]}\n{\"id\": 2}\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int rc;
    try {
      System.setErr(new PrintStream(err, true));
      rc =
          Main.execute(
              "model",
              "score",
              "--checkpoint",
              ckpt.toString(),
              "--input",
              tmp.resolve("seqs.jsonl").toString(),
              "--output",
              tmp.resolve("o.jsonl").toString());
    } finally {
      System.setErr(old);
    }
    assertThat(rc).isEqualTo(2);
    assertThat(err.toString()).contains("seqs.jsonl:2").contains("input_ids");
    assertThat(tmp.resolve("o.jsonl")).doesNotExist();

    // a token id outside the vocabulary
    Files.writeString(tmp.resolve("seqs.jsonl"), "{\"id\": \"a\", \"input_ids\": [1, 999]}\n");
    assertThat(
            Main.execute(
                "model",
                "score",
                "--checkpoint",
                ckpt.toString(),
                "--input",
                tmp.resolve("seqs.jsonl").toString(),
                "--output",
                tmp.resolve("o.jsonl").toString()))
        .isEqualTo(2);
    assertThat(tmp.resolve("o.jsonl")).doesNotExist();
  }

  @Test
  void generatesFromACharCheckpoint(@TempDir Path tmp) throws Exception {
    Path ckpt = tinyCheckpoint(tmp);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.out;
    int rc;
    try {
      System.setOut(new PrintStream(out, true));
      rc =
          Main.execute(
              "model",
              "generate",
              "--checkpoint",
              ckpt.toString(),
              "--chat",
              "--prompt",
              "1+2=",
              "-n",
              "2",
              "--temperature",
              "1",
              "--max-new-tokens",
              "5",
              "--seed",
              "3");
    } finally {
      System.setOut(old);
    }
    assertThat(rc).isZero();
    assertThat(out.toString()).contains("--- 0 (").contains("--- 1 (");
  }

  @Test
  void initWritesATinyStudentThatLoadsAndChats(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("student");
    int rc =
        Main.execute(
            "model",
            "init",
            "--output",
            dir.toString(),
            "--hidden",
            "32",
            "--layers",
            "2",
            "--heads",
            "4",
            "--kv-heads",
            "2",
            "--ffn",
            "64",
            "--seed",
            "7");
    assertThat(rc).isZero();
    try (NDManager m = NDManager.newBaseManager();
        Checkpoint ckpt = Checkpoint.load(dir, m)) {
      assertThat(ckpt.model().config().tieWordEmbeddings()).isTrue();
      assertThat(ckpt.model().config().vocabSize()).isEqualTo(ckpt.tokenizer().vocabSize());
      assertThat(ckpt.chatTemplate()).isInstanceOf(ChatMlTemplate.class);
      int imEnd = ckpt.tokenizer().tokenId("<|im_end|>");
      assertThat(ckpt.eosTokenIds()).contains(imEnd, ckpt.tokenizer().tokenId("<|endoftext|>"));
      String prompt =
          ckpt.chatTemplate()
              .render(List.of(aha.model.chat.ChatMessage.user("Using 3, 5, 7 make 22.")), true);
      long[] ids = ckpt.tokenizer().encode(prompt);
      assertThat(ckpt.tokenizer().decode(ids, false)).isEqualTo(prompt); // every char known
      var g = new aha.model.Generator(ckpt.model(), ckpt.tokenizer(), ckpt.eosTokenIds());
      var c = g.generateText(List.of(prompt), aha.model.SamplingParams.sample(1.0, 1.0, 20, 1));
      assertThat(c.get(0).tokenIds().length).isBetween(1, 20);
    }
    // the same seed writes the same weights
    Path again = tmp.resolve("again");
    Main.execute(
        "model",
        "init",
        "--output",
        again.toString(),
        "--hidden",
        "32",
        "--layers",
        "2",
        "--heads",
        "4",
        "--kv-heads",
        "2",
        "--ffn",
        "64",
        "--seed",
        "7");
    assertThat(Files.readAllBytes(again.resolve("model.safetensors")))
        .isEqualTo(Files.readAllBytes(dir.resolve("model.safetensors")));
    assertThat(
            Main.execute(
                "model",
                "init",
                "--output",
                tmp.resolve("x").toString(),
                "--hidden",
                "30",
                "--heads",
                "4"))
        .isEqualTo(2);
  }

  @Test
  void initWritesALlamaStudentWithoutBiasesAndAnUntiedHead(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("llama");
    int rc =
        Main.execute(
            "model", "init", "--output", dir.toString(), "--arch", "llama", "--untied",
            "--hidden", "32", "--layers", "2", "--heads", "4", "--kv-heads", "2", "--ffn", "64",
            "--dtype", "BF16", "--seed", "3");
    assertThat(rc).isZero();
    JsonNode cfg = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
    assertThat(cfg.get("model_type").asText()).isEqualTo("llama");
    assertThat(cfg.get("architectures").get(0).asText()).isEqualTo("LlamaForCausalLM");
    assertThat(cfg.get("attention_bias").asBoolean()).isFalse();
    assertThat(cfg.get("mlp_bias").asBoolean()).isFalse();
    assertThat(cfg.get("head_dim").asInt()).isEqualTo(8);
    assertThat(cfg.get("tie_word_embeddings").asBoolean()).isFalse();
    assertThat(cfg.get("torch_dtype").asText()).isEqualTo("bfloat16");
    try (NDManager m = NDManager.newBaseManager();
        Checkpoint ckpt = Checkpoint.load(dir, m)) {
      ModelConfig c = ckpt.model().config();
      assertThat(c.modelType()).isEqualTo("llama");
      assertThat(c.attentionBias()).isFalse();
      assertThat(c.tieWordEmbeddings()).isFalse();
      assertThat(ckpt.model().parameters().keySet())
          .contains("lm_head.weight")
          .noneMatch(name -> name.endsWith(".bias"));
      assertThat(ckpt.model().parameters()).hasSize(CausalLM.expectedShapes(c).size());
    }
    try (NDManager m = NDManager.newBaseManager()) {
      var stored = SafeTensors.read(dir.resolve("model.safetensors"), m).keySet();
      assertThat(stored).contains("lm_head.weight").noneMatch(name -> name.endsWith(".bias"));
    }
    assertThat(
            Main.execute(
                "model", "init", "--output", tmp.resolve("x").toString(), "--arch", "gpt2"))
        .isEqualTo(2);
  }

  @Test
  void tokenizeWritesTheIdsAndTheRenderedConversation(@TempDir Path tmp) throws Exception {
    Path dir = tinyCheckpoint(tmp);
    Path in = tmp.resolve("in.jsonl");
    Files.writeString(
        in,
        "{\"id\": \"a\", \"text\": \"12+3\"}\n"
            + "{\"id\": 2, \"messages\": [{\"role\": \"user\", \"content\": \"1+1\"}],"
            + " \"add_generation_prompt\": true}\n");
    Path out = tmp.resolve("out.jsonl");
    assertThat(
            Main.execute(
                "model", "tokenize", "--checkpoint", dir.toString(), "--input", in.toString(),
                "--output", out.toString()))
        .isZero();
    List<String> lines = Files.readAllLines(out);
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    JsonNode second = json.readTree(lines.get(1));
    try (TextTokenizer tok = TextTokenizer.load(dir)) {
      assertThat(first.get("id").asText()).isEqualTo("a");
      assertThat(json.convertValue(first.get("input_ids"), long[].class))
          .containsExactly(tok.encode("12+3"));
      String rendered = new ChatMlTemplate().render(List.of(aha.model.chat.ChatMessage.user("1+1")), true);
      assertThat(second.get("text").asText()).isEqualTo(rendered);
      assertThat(json.convertValue(second.get("input_ids"), long[].class))
          .containsExactly(tok.encode(rendered));
    }
  }

  static Path tinyCheckpoint(Path tmp) throws Exception {
    Path dir = tmp.resolve("ckpt");
    try (NDManager m = NDManager.newBaseManager();
        TextTokenizer tok =
            TextTokenizer.chars("0123456789+=", CharTokenizerJson.REASONING_TAGS, null)) {
      ModelConfig c = ModelConfig.qwen2(tok.vocabSize(), 16, 32, 1, 2, 1, 64, true, 0, 2);
      try (CausalLM lm = CausalLM.randomInit(c, 1, m)) {
        Checkpoint.save(dir, lm, tok, new ChatMlTemplate(), Set.of(2), SafeTensors.Dtype.F32);
      }
    }
    return dir;
  }
}
