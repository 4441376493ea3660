package aha.filter;

import java.lang.Character.UnicodeScript;
import java.util.EnumMap;
import java.util.Map;

/**
 * Which writing systems a text's letters come from, for R1's language-consistency filter (its
 * cold-start data dropped chains of thought that switch language, e.g. English to Chinese).
 * Greek is ignored because math text uses Greek letters as symbols; digits and punctuation
 * (script COMMON) carry no language. Chinese, Japanese and Korean scripts count as one group, CJK.
 */
public final class Scripts {
  private Scripts() {}

  /** Letters per script group. */
  public static Map<UnicodeScript, Integer> letters(String text) {
    Map<UnicodeScript, Integer> out = new EnumMap<>(UnicodeScript.class);
    text.codePoints().filter(Character::isLetter).forEach(cp -> {
      UnicodeScript s = group(UnicodeScript.of(cp));
      if (s != null) out.merge(s, 1, Integer::sum);
    });
    return out;
  }

  /** The script with the most letters, or null for a text without letters. */
  public static UnicodeScript dominant(Map<UnicodeScript, Integer> letters) {
    UnicodeScript best = null;
    for (Map.Entry<UnicodeScript, Integer> e : letters.entrySet()) {
      if (best == null || e.getValue() > letters.get(best)) best = e.getKey();
    }
    return best;
  }

  /**
   * Whether a trace mixes languages: letters of scripts other than its dominant one make up more
   * than {@code maxMinorShare} of its letters, or its dominant script differs from the prompt's.
   */
  public static boolean mixed(String prompt, String trace, double maxMinorShare) {
    Map<UnicodeScript, Integer> t = letters(trace);
    UnicodeScript main = dominant(t);
    if (main == null) return false;
    int total = t.values().stream().mapToInt(Integer::intValue).sum();
    int minor = total - t.get(main);
    if (minor > maxMinorShare * total) return true;
    UnicodeScript promptMain = dominant(letters(prompt));
    return promptMain != null && promptMain != main;
  }

  private static UnicodeScript group(UnicodeScript s) {
    switch (s) {
      case COMMON:
      case INHERITED:
      case GREEK:
      case UNKNOWN:
        return null;
      case HIRAGANA:
      case KATAKANA:
      case HANGUL:
      case BOPOMOFO:
        return UnicodeScript.HAN;
      default:
        return s;
    }
  }
}
