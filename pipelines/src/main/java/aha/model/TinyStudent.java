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
 * A freshly initialised tiny Qwen2-style student with a character-level tokenizer and ChatML, the
 * built-in recipe's starting point ({@code model: {init: tiny, tokenizer: chars}}). Embeddings are
 * tied; EOS is {@code <|im_end|>} (and {@code <|endoftext|>}); the reasoning tags are whole tokens.
 *
 * @param alphabet every character the student may read or write, one token each
 * @param maxPositions longest prompt + completion, in characters
 */
public record TinyStudent(
    String alphabet,
    int hidden,
    int layers,
    int heads,
    int kvHeads,
    int intermediate,
    int maxPositions,
    long seed) {

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
              "qwen2",
              tok.vocabSize(),
              hidden,
              intermediate,
              layers,
              heads,
              kvHeads,
              maxPositions,
              1e-6,
              10000.0,
              true,
              true,
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
