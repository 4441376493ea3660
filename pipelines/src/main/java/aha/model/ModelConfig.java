package aha.model;

import aha.BadInputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The architecture of a Qwen2 or Llama decoder, as Hugging Face's {@code config.json} states it
 * (same key names). Keys that do not change the computation (dropout, sliding window off, ...) are
 * not kept; {@link #toJson} writes the ones transformers needs to load the folder.
 *
 * @param modelType {@code qwen2} or {@code llama}
 * @param attentionBias whether q/k/v projections have biases (always for qwen2; llama's {@code
 *     attention_bias}, default false; o_proj never has one here)
 * @param eosTokenIds one or more end-of-sequence ids ({@code eos_token_id} may be a list)
 */
public record ModelConfig(
    String modelType,
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numKeyValueHeads,
    int maxPositionEmbeddings,
    double rmsNormEps,
    double ropeTheta,
    boolean tieWordEmbeddings,
    boolean attentionBias,
    Integer bosTokenId,
    List<Integer> eosTokenIds) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public ModelConfig {
    if (!modelType.equals("qwen2") && !modelType.equals("llama")) {
      throw new BadInputException(
          "model_type '" + modelType + "' is not supported; expected qwen2 or llama");
    }
    if (hiddenSize % numAttentionHeads != 0) {
      throw new BadInputException(
          "hidden_size "
              + hiddenSize
              + " is not a multiple of num_attention_heads "
              + numAttentionHeads);
    }
    if (numAttentionHeads % numKeyValueHeads != 0) {
      throw new BadInputException(
          "num_attention_heads "
              + numAttentionHeads
              + " is not a multiple of num_key_value_heads "
              + numKeyValueHeads);
    }
    eosTokenIds = List.copyOf(eosTokenIds);
  }

  /** A Qwen2-style config (q/k/v biases) for tiny recipes and tests. */
  public static ModelConfig qwen2(
      int vocab,
      int hidden,
      int ffn,
      int layers,
      int heads,
      int kvHeads,
      int maxPositions,
      boolean tied,
      int bos,
      int eos) {
    return new ModelConfig(
        "qwen2",
        vocab,
        hidden,
        ffn,
        layers,
        heads,
        kvHeads,
        maxPositions,
        1e-6,
        10000.0,
        tied,
        true,
        bos,
        List.of(eos));
  }

  public int headDim() {
    return hiddenSize / numAttentionHeads;
  }

  /** Parameters in the model, counting a tied head once. */
  public long parameterCount() {
    long d = hiddenSize;
    long kv = (long) numKeyValueHeads * headDim();
    long attn = d * d + 2 * kv * d + d * d + (attentionBias ? d + 2 * kv : 0);
    long mlp = 3 * d * intermediateSize;
    long layer = attn + mlp + 2 * d;
    long emb = (long) vocabSize * d;
    return emb + numHiddenLayers * layer + d + (tieWordEmbeddings ? 0 : emb);
  }

  /** Reads {@code config.json}; a missing key or a wrong type names the file and the key. */
  public static ModelConfig read(Path file) {
    JsonNode n;
    try {
      n = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new BadInputException("Cannot read " + file + " as JSON: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new BadInputException(file + " is not a JSON object");
    }
    String type = text(n, "model_type", file);
    if (!type.equals("qwen2") && !type.equals("llama")) {
      throw new BadInputException(
          file + ": model_type '" + type + "' is not supported; expected qwen2 or llama");
    }
    int hidden = integer(n, "hidden_size", file);
    int heads = integer(n, "num_attention_heads", file);
    int kvHeads = n.has("num_key_value_heads") ? integer(n, "num_key_value_heads", file) : heads;
    if (n.has("head_dim") && n.get("head_dim").asInt() != hidden / heads) {
      throw new BadInputException(
          file + ": head_dim different from hidden_size/num_attention_heads is not supported");
    }
    if (n.hasNonNull("rope_scaling")) {
      throw new BadInputException(file + ": rope_scaling is not supported; expected null");
    }
    List<Integer> eos = new ArrayList<>();
    JsonNode e = n.get("eos_token_id");
    if (e != null && e.isArray()) e.forEach(x -> eos.add(x.asInt()));
    else if (e != null && e.isNumber()) eos.add(e.asInt());
    boolean qwen = type.equals("qwen2");
    return new ModelConfig(
        type,
        integer(n, "vocab_size", file),
        hidden,
        integer(n, "intermediate_size", file),
        integer(n, "num_hidden_layers", file),
        heads,
        kvHeads,
        n.has("max_position_embeddings") ? integer(n, "max_position_embeddings", file) : 2048,
        n.has("rms_norm_eps") ? n.get("rms_norm_eps").asDouble() : 1e-6,
        n.has("rope_theta") ? n.get("rope_theta").asDouble() : 10000.0,
        n.has("tie_word_embeddings") && n.get("tie_word_embeddings").asBoolean(),
        qwen || (n.has("attention_bias") && n.get("attention_bias").asBoolean()),
        n.hasNonNull("bos_token_id") ? n.get("bos_token_id").asInt() : null,
        eos);
  }

  /** The config.json content transformers expects for this architecture. */
  public ObjectNode toJson() {
    ObjectNode n = JSON.createObjectNode();
    boolean qwen = modelType.equals("qwen2");
    n.putArray("architectures").add(qwen ? "Qwen2ForCausalLM" : "LlamaForCausalLM");
    n.put("model_type", modelType);
    n.put("vocab_size", vocabSize);
    n.put("hidden_size", hiddenSize);
    n.put("intermediate_size", intermediateSize);
    n.put("num_hidden_layers", numHiddenLayers);
    n.put("num_attention_heads", numAttentionHeads);
    n.put("num_key_value_heads", numKeyValueHeads);
    n.put("max_position_embeddings", maxPositionEmbeddings);
    n.put("rms_norm_eps", rmsNormEps);
    n.put("rope_theta", ropeTheta);
    n.put("tie_word_embeddings", tieWordEmbeddings);
    n.put("hidden_act", "silu");
    n.put("attention_dropout", 0.0);
    n.put("initializer_range", 0.02);
    n.put("use_cache", true);
    n.putNull("rope_scaling");
    if (qwen) {
      n.put("use_sliding_window", false);
      n.put("sliding_window", maxPositionEmbeddings);
      n.put("max_window_layers", numHiddenLayers);
    } else {
      n.put("attention_bias", attentionBias);
      n.put("mlp_bias", false);
      // LlamaConfig takes head_dim as given (hidden/heads only when absent); say it outright
      n.put("head_dim", headDim());
      n.put("pretraining_tp", 1);
    }
    if (bosTokenId != null) n.put("bos_token_id", bosTokenId);
    if (eosTokenIds.size() == 1) n.put("eos_token_id", eosTokenIds.get(0));
    else if (!eosTokenIds.isEmpty()) {
      ArrayNode a = n.putArray("eos_token_id");
      eosTokenIds.forEach(a::add);
    }
    n.put("torch_dtype", "float32");
    return n;
  }

  /** Writes {@link #toJson} to {@code file}. */
  public void write(Path file) throws IOException {
    Files.writeString(file, JSON.writeValueAsString(toJson()) + "\n");
  }

  private static String text(JsonNode n, String key, Path file) {
    JsonNode v = n.get(key);
    if (v == null || !v.isTextual()) {
      throw new BadInputException(file + ": key '" + key + "' is missing or not a string");
    }
    return v.asText();
  }

  private static int integer(JsonNode n, String key, Path file) {
    JsonNode v = n.get(key);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new BadInputException(file + ": key '" + key + "' is missing or not an integer");
    }
    return v.asInt();
  }
}
