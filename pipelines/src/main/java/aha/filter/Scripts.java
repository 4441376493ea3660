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

  /**
   * Letters per script group. Markup carries no language, so tags ({@code <think>}) and LaTeX
   * commands ({@code \\frac}) are skipped, and so are single Latin (or other alphabetic) letters
   * standing alone, which are variables in math text ("设 x = 2"). CJK characters always count.
   */
  public static Map<UnicodeScript, Integer> letters(String text) {
    String plain = text.replaceAll("<[^<>\\s]{1,20}>", " ").replaceAll("\\\\[A-Za-z]+", " ");
    Map<UnicodeScript, Integer> out = new EnumMap<>(UnicodeScript.class);
    UnicodeScript runScript = null;
    int runLength = 0;
    for (int i = 0; i <= plain.length(); ) {
      int cp = i < plain.length() ? plain.codePointAt(i) : ' ';
      i += i < plain.length() ? Character.charCount(cp) : 1;
      UnicodeScript s = Character.isLetter(cp) ? group(UnicodeScript.of(cp)) : null;
      if (s != null && s == runScript) {
        runLength++;
        continue;
      }
      if (runScript != null && (runLength >= 2 || runScript == UnicodeScript.HAN)) out.merge(runScript, runLength, Integer::sum);
      runScript = s;
      runLength = s == null ? 0 : 1;
    }
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
