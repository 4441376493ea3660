package aha.model.tokenizer;

import aha.BadInputException;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face tokenizer ({@code tokenizer.json} run by DJL's native tokenizers) with what its
 * {@code tokenizer_config.json} says: BOS/EOS/PAD tokens and the chat template. Encoding never adds
 * special tokens by itself: chat templates write BOS where the model wants it.
 */
public final class TextTokenizer implements AutoCloseable {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final HuggingFaceTokenizer hf;
  private final String tokenizerJson;
  private final ObjectNode config;
  private final Map<String, Integer> tokenIds;

  private TextTokenizer(String tokenizerJson, ObjectNode config) {
    this.tokenizerJson = tokenizerJson;
    this.config = config;
    this.tokenIds = tokenIds(tokenizerJson);
    Map<String, String> options = new HashMap<>();
    options.put("addSpecialTokens", "false");
    options.put("modelMaxLength", String.valueOf(Integer.MAX_VALUE));
    try {
      this.hf =
          HuggingFaceTokenizer.newInstance(
              new ByteArrayInputStream(tokenizerJson.getBytes(StandardCharsets.UTF_8)), options);
    } catch (IOException | RuntimeException e) {
      throw new BadInputException("tokenizer.json could not be loaded: " + e.getMessage(), e);
    }
  }

  /** Loads {@code tokenizer.json} and, if present, {@code tokenizer_config.json} from a folder. */
  public static TextTokenizer load(Path dir) {
    Path json = dir.resolve("tokenizer.json");
    if (!Files.isRegularFile(json)) {
      throw new BadInputException(dir + " has no tokenizer.json");
    }
    Path cfg = dir.resolve("tokenizer_config.json");
    try {
      ObjectNode config = JSON.createObjectNode();
      if (Files.isRegularFile(cfg)) {
        JsonNode n = JSON.readTree(cfg.toFile());
        if (!(n instanceof ObjectNode)) throw new BadInputException(cfg + " is not a JSON object");
        config = (ObjectNode) n;
      }
      return new TextTokenizer(Files.readString(json), config);
    } catch (IOException e) {
      throw new BadInputException("Cannot read " + dir + " tokenizer files: " + e.getMessage(), e);
    }
  }

  /**
   * A tokenizer from the text of a {@code tokenizer.json} alone (no tokenizer_config.json: no
   * BOS/EOS/PAD, no chat template), for code that only encodes, such as counting tokens on a
   * worker that got the file's text shipped with its task.
   */
  public static TextTokenizer fromJson(String tokenizerJson) {
    return new TextTokenizer(tokenizerJson, JSON.createObjectNode());
  }

  /**
   * A character-level tokenizer for tiny recipes (see {@link CharTokenizerJson}): ChatML control
   * tokens are special, EOS is {@code <|im_end|>} and PAD {@code <|endoftext|>}, and {@code
   * chatTemplate} (Jinja source, may be null) goes into its tokenizer_config.json.
   */
  public static TextTokenizer chars(
      String alphabet, List<String> addedTokens, String chatTemplate) {
    String json = CharTokenizerJson.build(alphabet, CharTokenizerJson.CHATML_SPECIALS, addedTokens);
    ObjectNode config = JSON.createObjectNode();
    config.put("tokenizer_class", "PreTrainedTokenizerFast");
    config.put("add_bos_token", false);
    config.put("add_eos_token", false);
    config.putNull("bos_token");
    config.put("eos_token", "<|im_end|>");
    config.put("pad_token", "<|endoftext|>");
    config.put("unk_token", CharTokenizerJson.UNK);
    config.put("clean_up_tokenization_spaces", false);
    config.put("model_max_length", 1 << 20);
    if (chatTemplate != null) config.put("chat_template", chatTemplate);
    return new TextTokenizer(json, config);
  }

  /** Token ids of the text, with no special tokens added. */
  public long[] encode(String text) {
    return hf.encode(text, false, false).getIds();
  }

  /** Text of the ids; {@code skipSpecialTokens} drops BOS/EOS/PAD and other special tokens. */
  public String decode(long[] ids, boolean skipSpecialTokens) {
    return hf.decode(ids, skipSpecialTokens);
  }

  /** Id of a token string from the vocabulary or the added tokens, or null. */
  public Integer tokenId(String token) {
    return token == null ? null : tokenIds.get(token);
  }

  /** Vocabulary size including added tokens (the largest id + 1). */
  public int vocabSize() {
    return tokenIds.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
  }

  /** BOS token text from tokenizer_config.json, or null. */
  public String bosToken() {
    return specialToken("bos_token");
  }

  /** EOS token text from tokenizer_config.json, or null. */
  public String eosToken() {
    return specialToken("eos_token");
  }

  /** PAD token text from tokenizer_config.json, or null. */
  public String padToken() {
    return specialToken("pad_token");
  }

  /**
   * The Jinja chat template from tokenizer_config.json: a string, or the entry named "default" of a
   * list of named templates; null when there is none.
   */
  public String chatTemplate() {
    JsonNode t = config.get("chat_template");
    if (t == null || t.isNull()) return null;
    if (t.isTextual()) return t.asText();
    if (t.isArray()) {
      for (JsonNode e : t) {
        if ("default".equals(e.path("name").asText())) return e.path("template").asText();
      }
    }
    return null;
  }

  /** tokenizer_config.json's token entries may be a string or an object with "content". */
  private String specialToken(String key) {
    JsonNode n = config.get(key);
    if (n == null || n.isNull()) return null;
    if (n.isTextual()) return n.asText();
    JsonNode c = n.get("content");
    return c != null && c.isTextual() ? c.asText() : null;
  }

  /** Writes tokenizer.json and tokenizer_config.json (with {@code chatTemplate} if not null). */
  public void save(Path dir, String chatTemplate) throws IOException {
    Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson);
    ObjectNode c = config.deepCopy();
    if (chatTemplate != null) c.put("chat_template", chatTemplate);
    Files.writeString(dir.resolve("tokenizer_config.json"), JSON.writeValueAsString(c) + "\n");
  }

  private static Map<String, Integer> tokenIds(String tokenizerJson) {
    Map<String, Integer> ids = new HashMap<>();
    JsonNode root;
    try {
      root = JSON.readTree(tokenizerJson);
    } catch (IOException e) {
      throw new BadInputException("tokenizer.json is not valid JSON: " + e.getMessage(), e);
    }
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
        var e = it.next();
        ids.put(e.getKey(), e.getValue().asInt());
      }
    } else if (vocab.isArray()) { // Unigram: [[piece, score], ...]
      for (int i = 0; i < vocab.size(); i++) ids.put(vocab.get(i).get(0).asText(), i);
    }
    for (JsonNode t : root.path("added_tokens")) {
      ids.put(t.get("content").asText(), t.get("id").asInt());
    }
    return ids;
  }

  @Override
  public void close() {
    hf.close();
  }
}
