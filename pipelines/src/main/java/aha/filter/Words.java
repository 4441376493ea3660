package aha.filter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Word n-grams after the decontamination normalisation (s1 / open-r1): lower case, punctuation
 * removed, split on whitespace. Punctuation becomes nothing rather than a space, so "x^2+1" and
 * "x^2 + 1" differ only in spacing as they do in the source text.
 */
public final class Words {
  private Words() {}

  /** Lower-cased words with every character that is not a letter, digit or whitespace removed. */
  public static List<String> normalised(String text) {
    StringBuilder b = new StringBuilder(text.length());
    text.toLowerCase(Locale.ROOT).codePoints().forEach(cp -> {
      if (Character.isLetterOrDigit(cp) || Character.isWhitespace(cp)) b.appendCodePoint(cp);
    });
    List<String> out = new ArrayList<>();
    for (String w : b.toString().split("\\s+")) if (!w.isEmpty()) out.add(w);
    return out;
  }

  /** The distinct word n-grams of a text (none when it has fewer than {@code n} words). */
  public static Set<String> ngrams(String text, int n) {
    List<String> w = normalised(text);
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i + n <= w.size(); i++) out.add(String.join(" ", w.subList(i, i + n)));
    return out;
  }
}
