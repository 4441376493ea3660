package aha.filter;

import java.util.Arrays;
import java.util.List;

/**
 * Near-duplicate detection by MinHash with banding (locality-sensitive hashing). A text becomes a
 * set of word shingles (hashed to 64 bits); its signature holds, for each of {@code BANDS * ROWS}
 * seeded hash functions, the smallest hash over the set. Two texts share a band (all {@code ROWS}
 * minima equal) with probability {@code J^ROWS} for Jaccard similarity J, so with 16 bands of 8
 * rows a pair at J = 0.9 becomes a candidate with probability 0.9999 and a pair at J = 0.5 with
 * probability 0.06. Candidates are then confirmed with the exact Jaccard similarity.
 */
public final class MinHash {
  public static final int BANDS = 16;
  public static final int ROWS = 8;
  /** Words per shingle. */
  public static final int SHINGLE = 3;

  private MinHash() {}

  /** Sorted distinct 64-bit hashes of the text's word shingles (normalised as for decontamination). */
  public static long[] shingles(String text) {
    List<String> w = Words.normalised(text);
    int n = Math.min(SHINGLE, Math.max(1, w.size()));
    long[] out = new long[Math.max(0, w.size() - n + 1)];
    for (int i = 0; i < out.length; i++) out[i] = hash(String.join(" ", w.subList(i, i + n)));
    return Arrays.stream(out).sorted().distinct().toArray();
  }

  /** {@code |a ∩ b| / |a ∪ b|} of two sorted distinct arrays; 1 for two empty sets. */
  public static double jaccard(long[] a, long[] b) {
    if (a.length == 0 && b.length == 0) return 1.0;
    int i = 0, j = 0, both = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) {
        both++;
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return (double) both / (a.length + b.length - both);
  }

  /** One key per band: texts that share any band key are candidate near-duplicates. */
  public static long[] bandKeys(long[] shingles) {
    long[] sig = new long[BANDS * ROWS];
    Arrays.fill(sig, Long.MAX_VALUE);
    for (long s : shingles) {
      for (int k = 0; k < sig.length; k++) sig[k] = Math.min(sig[k], mix(s + 0x9E3779B97F4A7C15L * (k + 1)));
    }
    long[] keys = new long[BANDS];
    for (int b = 0; b < BANDS; b++) {
      long h = mix(b + 1);
      for (int r = 0; r < ROWS; r++) h = mix(h ^ sig[b * ROWS + r]);
      keys[b] = h;
    }
    return keys;
  }

  /** A 64-bit FNV-1a hash of the UTF-16 chars, mixed; stable across JVMs (unlike String.hashCode's 32 bits). */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  /** SplitMix64's finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
