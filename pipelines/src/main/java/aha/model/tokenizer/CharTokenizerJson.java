package aha.model.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Builds a character-level {@code tokenizer.json} for tiny recipes: one token per character of a
 * given alphabet, plus whole-string tokens (chat and reasoning tags) that Hugging Face tokenizers
 * match before splitting.
 *
 * <p>It is written as a Qwen2-style byte-level BPE (NFC, Qwen's split regex, ByteLevel pre-tokenizer
 * and decoder) because transformers 5 loads every {@code model_type: qwen2} folder with {@code
 * Qwen2Tokenizer}, which keeps only the vocabulary and merges of tokenizer.json and rebuilds that
 * exact pipeline around them; any other pipeline (the WordLevel one this class used to write) then
 * encodes differently in Python than in DJL. Vocabulary keys are the byte-level spelling of each
 * character ({@code ' '} is {@code Ġ}, newline {@code Ċ}); a character of several UTF-8 bytes gets
 * its bytes, the partial merges and itself as tokens, so it is still one token after BPE. There are
 * no merges between characters, so BPE never joins two of them. A byte outside the alphabet is
 * dropped, as Qwen2Tokenizer (no unk token) does; {@code <unk>} stays in the vocabulary only so
 * that ids stay where older checkpoints have them.
 *
 * <p>Ids: the special tokens first (in the given order, then {@code <unk>}), then the plain added
 * tokens, then the alphabet, then the byte pieces of multi-byte characters. Special tokens are
 * dropped by {@code decode(ids, true)}; the plain added tokens ({@code <think>}, {@code <answer>},
 * ...) are kept in decoded text, as in Qwen and DeepSeek tokenizers, so reward functions can see
 * them.
 */
public final class CharTokenizerJson {
  /** Control tokens of the Qwen ChatML format. */
  public static final List<String> CHATML_SPECIALS =
      List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>");

  /** Reasoning and answer tags of the R1 format. */
  public static final List<String> REASONING_TAGS =
      List.of("<think>", "</think>", "<answer>", "</answer>");

  public static final String UNK = "<unk>";

  /** Qwen2's pre-tokenizer split (transformers' tokenization_qwen2.PRETOKENIZE_REGEX). */
  static final String QWEN2_SPLIT =
      "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}|"
          + " ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  /** GPT-2's byte-to-character table of ByteLevel: printable bytes are themselves, others 256+. */
  private static final char[] BYTE_CHARS = byteChars();

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
    Map<String, Integer> chars = vocabulary(alphabet, specialTokens, addedTokens);
    LinkedHashSet<String> specials = new LinkedHashSet<>(specialTokens);
    specials.add(UNK);
    // added tokens are matched on the raw text, so they keep their plain spelling
    Map<String, Integer> vocab = new LinkedHashMap<>();
    List<String> merges = new ArrayList<>();
    List<String> multiByte = new ArrayList<>();
    chars.forEach(
        (token, id) -> {
          boolean added = specials.contains(token) || addedTokens.contains(token);
          String key = added ? token : byteLevel(token);
          vocab.put(key, id);
          if (!added && key.length() > 1) multiByte.add(key);
        });
    for (String key : multiByte) {
      // bytes, then each longer prefix as the merge of the shorter one and the next byte
      for (int i = 0; i < key.length(); i++) vocab.putIfAbsent(key.substring(i, i + 1), vocab.size());
      for (int n = 2; n <= key.length(); n++) {
        vocab.putIfAbsent(key.substring(0, n), vocab.size());
        String merge = key.substring(0, n - 1) + " " + key.charAt(n - 1);
        if (!merges.contains(merge)) merges.add(merge);
      }
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String s : specials) addedToken(added, vocab.get(s), s, true);
    for (String s : addedTokens) {
      if (!specials.contains(s)) addedToken(added, vocab.get(s), s, false);
    }
    root.putObject("normalizer").put("type", "NFC");
    ObjectNode pre = root.putObject("pre_tokenizer");
    pre.put("type", "Sequence");
    ArrayNode steps = pre.putArray("pretokenizers");
    ObjectNode split = steps.addObject();
    split.put("type", "Split");
    split.putObject("pattern").put("Regex", QWEN2_SPLIT);
    split.put("behavior", "Isolated");
    split.put("invert", false);
    ObjectNode bytes = steps.addObject();
    bytes.put("type", "ByteLevel");
    bytes.put("add_prefix_space", false);
    bytes.put("trim_offsets", true);
    bytes.put("use_regex", false);
    root.putNull("post_processor");
    ObjectNode decoder = root.putObject("decoder");
    decoder.put("type", "ByteLevel");
    decoder.put("add_prefix_space", true);
    decoder.put("trim_offsets", true);
    decoder.put("use_regex", true);
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.put("continuing_subword_prefix", "");
    model.put("end_of_word_suffix", "");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    ObjectNode v = model.putObject("vocab");
    vocab.forEach(v::put);
    ArrayNode m = model.putArray("merges");
    merges.forEach(m::add);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The ByteLevel spelling of a string: one table character per UTF-8 byte. */
  static String byteLevel(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) sb.append(BYTE_CHARS[b & 0xff]);
    return sb.toString();
  }

  private static char[] byteChars() {
    char[] table = new char[256];
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
      table[b] = (char) (printable ? b : next++);
    }
    return table;
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
