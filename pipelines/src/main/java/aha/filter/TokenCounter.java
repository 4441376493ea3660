package aha.filter;

import java.io.Serializable;

/**
 * Counts tokens of a text for the length bounds. The built-in counters approximate; a real
 * tokenizer (the student's) can be plugged in through {@link FilterStage}'s constructor.
 */
@FunctionalInterface
public interface TokenCounter extends Serializable {
  int count(String text);

  /**
   * Whitespace-separated words, with each Chinese, Japanese or Korean character a token of its own
   * (those scripts put no spaces between words): a rough stand-in for a BPE tokenizer.
   */
  TokenCounter WORDS = text -> {
    int n = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isWhitespace(cp)) {
        inWord = false;
      } else if (isCjk(cp)) {
        n++;
        inWord = false;
      } else if (!inWord) {
        n++;
        inWord = true;
      }
    }
    return n;
  };

  private static boolean isCjk(int cp) {
    Character.UnicodeScript s = Character.UnicodeScript.of(cp);
    return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
        || s == Character.UnicodeScript.KATAKANA || s == Character.UnicodeScript.HANGUL;
  }

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
