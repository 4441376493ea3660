package aha.filter;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The word n-grams of evaluation sets, and which sets each belongs to. A text is contaminated by a
 * set when any of its n-grams appears in any of that set's problems (open-r1's rule). Built in the
 * driver from the (small) eval sets and shipped to the workers inside the filter's DoFn.
 */
public final class Contamination implements Serializable {
  private final int ngramSize;
  private final Map<String, Set<String>> setsByNgram = new HashMap<>();
  private final Map<String, Integer> problemsBySet = new java.util.TreeMap<>();

  public Contamination(int ngramSize) {
    if (ngramSize < 1) throw new IllegalArgumentException("ngram size must be positive");
    this.ngramSize = ngramSize;
  }

  /** Adds one problem of the set named {@code set}. */
  public Contamination add(String set, String text) {
    problemsBySet.merge(set, 1, Integer::sum);
    for (String g : Words.ngrams(text, ngramSize)) setsByNgram.computeIfAbsent(g, k -> new TreeSet<>()).add(set);
    return this;
  }

  /** The names of the sets sharing an n-gram with {@code text}, sorted; empty when clean. */
  public Set<String> setsHit(String text) {
    Set<String> hit = new TreeSet<>();
    if (setsByNgram.isEmpty()) return hit;
    for (String g : Words.ngrams(text, ngramSize)) {
      Set<String> s = setsByNgram.get(g);
      if (s != null) hit.addAll(s);
    }
    return hit;
  }

  public boolean isEmpty() {
    return setsByNgram.isEmpty();
  }

  /** Problems added per set. */
  public Map<String, Integer> problemsBySet() {
    return Map.copyOf(problemsBySet);
  }

  public int ngramSize() {
    return ngramSize;
  }
}
