package aha.model.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Builds a character-level {@code tokenizer.json} for tiny recipes: one token per character of a
 * given alphabet, plus whole-string tokens (chat and reasoning tags) that Hugging Face tokenizers
 * match before splitting. It is a WordLevel model behind a pre-tokenizer that isolates every
 * character, with a Fuse decoder so decoding concatenates without spaces; transformers' {@code
 * PreTrainedTokenizerFast} and DJL both load it.
 *
 * <p>Ids: the special tokens first (in the given order, then {@code <unk>}), then the plain added
 * tokens, then the alphabet. Special tokens are dropped by {@code decode(ids, true)}; the plain
 * added tokens ({@code <think>}, {@code <answer>}, ...) are kept in decoded text, as in Qwen and
 * DeepSeek tokenizers, so reward functions can see them.
 */
public final class CharTokenizerJson {
  /** Control tokens of the Qwen ChatML format. */
  public static final List<String> CHATML_SPECIALS =
      List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>");

  /** Reasoning and answer tags of the R1 format. */
  public static final List<String> REASONING_TAGS =
      List.of("<think>", "</think>", "<answer>", "</answer>");

  public static final String UNK = "<unk>";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CharTokenizerJson() {}

  /** Token to id, in id order, for the given parts (duplicate characters are kept once). */
  public static Map<String, Integer> vocabulary(
      String alphabet, List<String> specialTokens, List<String> addedTokens) {
    Map<String, Integer> vocab = new LinkedHashMap<>();
    LinkedHashSet<String> specials = new LinkedHashSet<>(specialTokens);
    specials.add(UNK);
    for (String s : specials) vocab.putIfAbsent(s, vocab.size());
    for (String s : addedTokens) vocab.putIfAbsent(s, vocab.size());
    alphabet
        .codePoints()
        .forEach(cp -> vocab.putIfAbsent(new String(Character.toChars(cp)), vocab.size()));
    return vocab;
  }

  /** The tokenizer.json text. */
  public static String build(
      String alphabet, List<String> specialTokens, List<String> addedTokens) {
    Map<String, Integer> vocab = vocabulary(alphabet, specialTokens, addedTokens);
    LinkedHashSet<String> specials = new LinkedHashSet<>(specialTokens);
    specials.add(UNK);
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String s : specials) addedToken(added, vocab.get(s), s, true);
    for (String s : addedTokens) {
      if (!specials.contains(s)) addedToken(added, vocab.get(s), s, false);
    }
    root.putNull("normalizer");
    ObjectNode pre = root.putObject("pre_tokenizer");
    pre.put("type", "Split");
    pre.putObject("pattern").put("Regex", "[\\s\\S]");
    pre.put("behavior", "Isolated");
    pre.put("invert", false);
    root.putNull("post_processor");
    root.putObject("decoder").put("type", "Fuse");
    ObjectNode model = root.putObject("model");
    model.put("type", "WordLevel");
    ObjectNode v = model.putObject("vocab");
    vocab.forEach(v::put);
    model.put("unk_token", UNK);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void addedToken(ArrayNode added, int id, String content, boolean special) {
    ObjectNode t = added.addObject();
    t.put("id", id);
    t.put("content", content);
    t.put("single_word", false);
    t.put("lstrip", false);
    t.put("rstrip", false);
    t.put("normalized", false);
    t.put("special", special);
  }
}
