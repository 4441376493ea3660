package aha.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.BadInputException;
import aha.model.chat.ChatMlTemplate;
import aha.model.chat.DeepSeekR1Template;
import aha.model.tokenizer.CharTokenizerJson;
import aha.model.tokenizer.TextTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  NDManager m;

  @BeforeEach
  void setUp() {
    m = NDManager.newBaseManager();
  }

  @AfterEach
  void tearDown() {
    m.close();
  }

  static TextTokenizer tokenizer() {
    return TextTokenizer.chars("abc+=0123456789\n ", CharTokenizerJson.REASONING_TAGS, null);
  }

  @Test
  void f32RoundTripIsBitIdenticalWithTokenizerAndConfigs(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("ckpt");
    try (TextTokenizer tok = tokenizer()) {
      ModelConfig c =
          ModelConfig.qwen2(
              tok.vocabSize(), 32, 48, 2, 4, 2, 64, true, 0, tok.tokenId("<|im_end|>"));
      try (CausalLM lm = CausalLM.randomInit(c, 11, m)) {
        Checkpoint.save(dir, lm, tok, new ChatMlTemplate(), Set.of(2, 0), SafeTensors.Dtype.F32);
        // writing again over an existing checkpoint replaces it and leaves no temporary folder
        Checkpoint.save(dir, lm, tok, new ChatMlTemplate(), Set.of(2, 0), SafeTensors.Dtype.F32);
        assertThat(Files.list(tmp).map(p -> p.getFileName().toString()).toList())
            .containsExactly("ckpt");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList())
            .containsExactly(
                "config.json",
                "generation_config.json",
                "model.safetensors",
                "tokenizer.json",
                "tokenizer_config.json");
        try (Checkpoint back = Checkpoint.load(dir, m)) {
          assertThat(back.model().config()).isEqualTo(c);
          // tied: lm_head is not written, the embedding serves as head
          assertThat(back.model().parameters()).doesNotContainKey("lm_head.weight");
          assertThat(back.model().parameters().keySet()).isEqualTo(lm.parameters().keySet());
          for (var e : lm.parameters().entrySet()) {
            assertThat(TinyModels.bitEqual(e.getValue(), back.model().parameters().get(e.getKey())))
                .as(e.getKey())
                .isTrue();
          }
          assertThat(back.eosTokenIds()).containsExactlyInAnyOrder(2, 0);
          assertThat(back.chatTemplate()).isInstanceOf(ChatMlTemplate.class);
          assertThat(back.tokenizer().encode("a+b=c")).containsExactly(tok.encode("a+b=c"));
        }
        JsonNode header = header(dir.resolve("model.safetensors"));
        assertThat(header.get("__metadata__").get("format").asText()).isEqualTo("pt");
        assertThat(header.get("model.layers.1.mlp.down_proj.weight").get("shape").toString())
            .isEqualTo("[32,48]");
        JsonNode cfg = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        assertThat(cfg.get("architectures").get(0).asText()).isEqualTo("Qwen2ForCausalLM");
        assertThat(cfg.get("num_key_value_heads").asInt()).isEqualTo(2);
      }
    }
  }

  @Test
  void bf16RoundTripIsWithinBf16Precision(@TempDir Path tmp) throws Exception {
    ModelConfig c =
        new ModelConfig(
            "llama", 50, 32, 64, 1, 4, 4, 64, 1e-5, 500000.0, false, false, 1, List.of(2));
    try (CausalLM lm = CausalLM.randomInit(c, 3, m)) {
      Checkpoint.save(
          tmp.resolve("b"), lm, null, new DeepSeekR1Template(), Set.of(), SafeTensors.Dtype.BF16);
      assertThat(
              header(tmp.resolve("b/model.safetensors"))
                  .get("lm_head.weight")
                  .get("dtype")
                  .asText())
          .isEqualTo("BF16");
      try (Checkpoint back = Checkpoint.load(tmp.resolve("b"), m)) {
        assertThat(back.model().config()).isEqualTo(c);
        assertThat(back.model().parameters())
            .doesNotContainKey("model.layers.0.self_attn.q_proj.bias");
        for (var e : lm.parameters().entrySet()) {
          float[] a = e.getValue().toFloatArray();
          float[] b = back.model().parameters().get(e.getKey()).toFloatArray();
          boolean anyRounded = false;
          for (int i = 0; i < a.length; i++) {
            // bf16 keeps 8 significant bits: rounding to nearest moves a value by at most 2^-8
            // relative
            assertThat(Math.abs(b[i] - a[i])).isLessThanOrEqualTo(Math.abs(a[i]) * 0x1p-8f);
            anyRounded |= a[i] != b[i];
          }
          if (!e.getKey().endsWith("norm.weight")) assertThat(anyRounded).as(e.getKey()).isTrue();
        }
      }
    }
  }

  @Test
  void readsShardedCheckpointsAndF16(@TempDir Path dir) throws Exception {
    ModelConfig c = ModelConfig.qwen2(20, 16, 32, 2, 2, 1, 32, false, 0, 1);
    try (CausalLM lm = CausalLM.randomInit(c, 5, m)) {
      c.write(dir.resolve("config.json"));
      Map<String, NDArray> first = new LinkedHashMap<>();
      Map<String, NDArray> second = new LinkedHashMap<>();
      StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
      for (var e : lm.parameters().entrySet()) {
        boolean one =
            e.getKey().startsWith("model.layers.0") || e.getKey().startsWith("model.embed");
        (one ? first : second).put(e.getKey(), e.getValue());
        index
            .append('"')
            .append(e.getKey())
            .append("\": \"model-0000")
            .append(one ? 1 : 2)
            .append("-of-00002.safetensors\",");
      }
      index.setLength(index.length() - 1);
      index.append("}}");
      SafeTensors.write(
          dir.resolve("model-00001-of-00002.safetensors"), first, SafeTensors.Dtype.F32);
      SafeTensors.write(
          dir.resolve("model-00002-of-00002.safetensors"), second, SafeTensors.Dtype.F32);
      Files.writeString(dir.resolve("model.safetensors.index.json"), index);
      try (CausalLM back = Checkpoint.loadModel(dir, m)) {
        for (var e : lm.parameters().entrySet()) {
          assertThat(TinyModels.bitEqual(e.getValue(), back.parameters().get(e.getKey()))).isTrue();
        }
      }
    }
    // an F16 file written by hand: 1.0, -2.5, 65504 (max half), 2^-24 (smallest subnormal)
    short[] halves = {0x3C00, (short) 0xC100, 0x7BFF, 0x0001};
    Path f16 = dir.resolve("half.safetensors");
    writeRaw(f16, "{\"x\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]}}", halves);
    NDArray x = SafeTensors.read(f16, m).get("x");
    assertThat(x.toFloatArray()).containsExactly(1f, -2.5f, 65504f, 0x1p-24f);
  }

  @Test
  void missingTensorsAndWrongShapesNameFileAndTensor(@TempDir Path dir) throws Exception {
    ModelConfig c = ModelConfig.qwen2(20, 16, 32, 1, 2, 1, 32, false, 0, 1);
    try (CausalLM lm = CausalLM.randomInit(c, 5, m)) {
      c.write(dir.resolve("config.json"));
      Map<String, NDArray> some = new LinkedHashMap<>(lm.parameters());
      some.remove("model.layers.0.self_attn.k_proj.bias");
      SafeTensors.write(dir.resolve("model.safetensors"), some, SafeTensors.Dtype.F32);
      assertThatThrownBy(() -> Checkpoint.loadModel(dir, m))
          .isInstanceOf(BadInputException.class)
          .hasMessageContaining(dir.resolve("model.safetensors").toString())
          .hasMessageContaining("model.layers.0.self_attn.k_proj.bias is missing");

      Map<String, NDArray> wrong = new LinkedHashMap<>(lm.parameters());
      wrong.put("model.norm.weight", m.ones(new ai.djl.ndarray.types.Shape(17)));
      SafeTensors.write(dir.resolve("model.safetensors"), wrong, SafeTensors.Dtype.F32);
      assertThatThrownBy(() -> Checkpoint.loadModel(dir, m))
          .isInstanceOf(BadInputException.class)
          .hasMessageContaining(
              "model.safetensors: tensor model.norm.weight has shape (17), expected (16)");
    }
    // a folder that is not a checkpoint is never replaced
    Path precious = dir.resolve("precious");
    Files.createDirectories(precious);
    Files.writeString(precious.resolve("notes.txt"), "keep");
    try (CausalLM lm = CausalLM.randomInit(c, 5, m)) {
      assertThatThrownBy(
              () -> Checkpoint.save(precious, lm, null, null, Set.of(), SafeTensors.Dtype.F32))
          .isInstanceOf(BadInputException.class)
          .hasMessageContaining("not a model folder");
    }
    assertThat(precious.resolve("notes.txt")).hasContent("keep");
    Files.writeString(dir.resolve("model.safetensors"), "not safetensors");
    assertThatThrownBy(() -> Checkpoint.loadModel(dir, m)).isInstanceOf(BadInputException.class);
  }

  static JsonNode header(Path file) throws Exception {
    byte[] all = Files.readAllBytes(file);
    long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat((8 + n) % 8).isZero();
    return new ObjectMapper().readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
  }

  static void writeRaw(Path file, String header, short[] data) throws Exception {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b =
        ByteBuffer.allocate(8 + h.length + 2 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    for (short s : data) b.putShort(s);
    Files.write(file, b.array());
  }
}
