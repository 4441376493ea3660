package aha.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {
  @Test
  void readsALlamaConfigWithItsRealKeysAndWritesItBack(@TempDir Path dir) throws Exception {
    // the keys of a Llama-3.2-style config.json (values shrunk)
    Files.writeString(
        dir.resolve("config.json"),
        "{\"architectures\": [\"LlamaForCausalLM\"], \"attention_bias\": false, \"bos_token_id\": 128000,"
            + " \"eos_token_id\": [128001, 128008, 128009], \"hidden_act\": \"silu\", \"hidden_size\": 64,"
            + " \"intermediate_size\": 128, \"max_position_embeddings\": 256, \"mlp_bias\": false,"
            + " \"model_type\": \"llama\", \"num_attention_heads\": 8, \"num_hidden_layers\": 2,"
            + " \"num_key_value_heads\": 2, \"rms_norm_eps\": 1e-05, \"rope_scaling\": null,"
            + " \"rope_theta\": 500000.0, \"tie_word_embeddings\": true, \"torch_dtype\": \"bfloat16\","
            + " \"vocab_size\": 1000}");
    ModelConfig c = ModelConfig.read(dir.resolve("config.json"));
    assertThat(c)
        .isEqualTo(
            new ModelConfig(
                "llama",
                1000,
                64,
                128,
                2,
                8,
                2,
                256,
                1e-5,
                500000.0,
                true,
                false,
                128000,
                List.of(128001, 128008, 128009)));
    assertThat(c.headDim()).isEqualTo(8);
    c.write(dir.resolve("again.json"));
    assertThat(ModelConfig.read(dir.resolve("again.json"))).isEqualTo(c);
    assertThat(Files.readString(dir.resolve("again.json"))).contains("\"LlamaForCausalLM\"");
  }

  @Test
  void qwen2AlwaysHasQkvBiases(@TempDir Path dir) throws Exception {
    Path fixtureLike = dir.resolve("config.json");
    ModelConfig.qwen2(97, 64, 160, 2, 4, 2, 128, false, 1, 2).write(fixtureLike);
    ModelConfig c = ModelConfig.read(fixtureLike);
    assertThat(c.attentionBias()).isTrue();
    assertThat(CausalLM.expectedShapes(c)).containsKey("model.layers.1.self_attn.v_proj.bias");
    assertThat(c.parameterCount()).isEqualTo(99_008); // the qwen2-tiny fixture's count
  }

  @Test
  void badConfigsNameTheFileAndKey(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("config.json");
    Files.writeString(f, "{\"model_type\": \"qwen2\", \"hidden_size\": 64}");
    assertThatThrownBy(() -> ModelConfig.read(f))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("'num_attention_heads'");
    Files.writeString(f, "{\"model_type\": \"gpt2\", \"hidden_size\": 64}");
    assertThatThrownBy(() -> ModelConfig.read(f))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("model_type 'gpt2' is not supported");
    Files.writeString(f, "{\"model_type\": \"qwen2\", \"hidden_size\": \"64\"}");
    assertThatThrownBy(() -> ModelConfig.read(f))
        .hasMessageContaining("'hidden_size' is missing or not an integer");
    Files.writeString(f, "not json");
    assertThatThrownBy(() -> ModelConfig.read(f)).isInstanceOf(BadInputException.class);
  }
}
