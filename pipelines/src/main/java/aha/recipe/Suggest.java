package aha.recipe;

import java.util.Collection;
import java.util.Optional;

/** Nearest valid name for a misspelt key or value (Levenshtein distance). */
public final class Suggest {
  private Suggest() {}

  public static Optional<String> nearest(String typo, Collection<?> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Object c : candidates) {
      String s = String.valueOf(c);
      int d = distance(typo.toLowerCase(), s.toLowerCase());
      if (d < bestDistance) {
        best = s;
        bestDistance = d;
      }
    }
    // a suggestion is only useful when the typo is closer to it than to a rewrite
    int allowed = Math.max(2, typo.length() / 3);
    return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
