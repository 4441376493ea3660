package aha.model;

import aha.model.chat.ChatMlTemplate;
import aha.model.tokenizer.CharTokenizerJson;
import aha.model.tokenizer.TextTokenizer;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A freshly initialised tiny student with a character-level tokenizer and ChatML, the built-in
 * recipe's starting point ({@code model: {init: tiny, tokenizer: chars}}). Qwen2-style with tied
 * embeddings unless asked otherwise; EOS is {@code <|im_end|>} (and {@code <|endoftext|>}); the
 * reasoning tags are whole tokens.
 *
 * @param alphabet every character the student may read or write, one token each
 * @param maxPositions longest prompt + completion, in characters
 * @param modelType {@code qwen2} (q/k/v biases) or {@code llama} (no biases)
 * @param tied whether the output head shares the embedding matrix
 */
public record TinyStudent(
    String alphabet,
    int hidden,
    int layers,
    int heads,
    int kvHeads,
    int intermediate,
    int maxPositions,
    long seed,
    String modelType,
    boolean tied) {

  /** The built-in recipe's kind: Qwen2-style, tied head. */
  public TinyStudent(
      String alphabet,
      int hidden,
      int layers,
      int heads,
      int kvHeads,
      int intermediate,
      int maxPositions,
      long seed) {
    this(alphabet, hidden, layers, heads, kvHeads, intermediate, maxPositions, seed, "qwen2", true);
  }

  /** Digits, arithmetic, letters and punctuation for the built-in task families. */
  public static final String DEFAULT_ALPHABET =
      "0123456789+-*/=()<>.,:;!?' \nabcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  /** The tiny recipe's size: d=128, 4 layers, 4 heads, 2 KV heads, SwiGLU 352. */
  public static TinyStudent defaults(long seed) {
    return new TinyStudent(DEFAULT_ALPHABET, 128, 4, 4, 2, 352, 1024, seed);
  }

  /** The tokenizer of this student (close it after use). */
  public TextTokenizer tokenizer() {
    return TextTokenizer.chars(alphabet, CharTokenizerJson.REASONING_TAGS, ChatMlTemplate.JINJA);
  }

  /** Writes the checkpoint folder and returns its config. */
  public ModelConfig write(Path dir, SafeTensors.Dtype dtype) throws IOException {
    try (TextTokenizer tok = tokenizer();
        NDManager m = NDManager.newBaseManager()) {
      int imEnd = tok.tokenId("<|im_end|>");
      int endOfText = tok.tokenId("<|endoftext|>");
      ModelConfig c =
          new ModelConfig(
              modelType,
              tok.vocabSize(),
              hidden,
              intermediate,
              layers,
              heads,
              kvHeads,
              maxPositions,
              1e-6,
              10000.0,
              tied,
              modelType.equals("qwen2"), // llama's attention_bias is false in every real release
              null,
              List.of(imEnd));
      Set<Integer> eos = new LinkedHashSet<>(List.of(imEnd, endOfText));
      try (CausalLM lm = CausalLM.randomInit(c, seed, m)) {
        Checkpoint.save(dir, lm, tok, new ChatMlTemplate(), eos, dtype);
      }
      return c;
    }
  }
}
