package aha.filter;

import java.io.Serializable;

/**
 * Counts tokens of a text for the length bounds. The built-in counters approximate; a real
 * tokenizer (the student's) can be plugged in through {@link FilterStage}'s constructor.
 */
@FunctionalInterface
public interface TokenCounter extends Serializable {
  int count(String text);

  /** Whitespace-separated words: a rough stand-in for a BPE tokenizer on English text. */
  TokenCounter WORDS = text -> {
    int n = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean ws = Character.isWhitespace(text.charAt(i));
      if (!ws && !inWord) n++;
      inWord = !ws;
    }
    return n;
  };

  /** Unicode code points: exact for the tiny recipe's character-level tokenizer. */
  TokenCounter CHARS = text -> text.codePointCount(0, text.length());

  /** The counter named in a recipe ({@code words} or {@code chars}). */
  static TokenCounter named(String name) {
    return switch (name) {
      case "words" -> WORDS;
      case "chars" -> CHARS;
      default -> throw new IllegalArgumentException("unknown token counter " + name);
    };
  }
}
