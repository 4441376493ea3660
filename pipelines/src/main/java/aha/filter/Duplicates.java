package aha.filter;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds duplicates among candidates: of two items with the same normalised key, or (when a
 * threshold is set) with shingle Jaccard similarity at or above it, the one with the larger id is
 * flagged, pointing at the smaller. Decisions depend only on ids and texts, never on row order.
 * Chains are not collapsed: with A~B and B~C (A not ~ C), both B and C are flagged.
 */
public final class Duplicates {
  private Duplicates() {}

  /**
   * One candidate.
   *
   * @param key the exact-duplicate key (normalised text)
   * @param shingles sorted distinct shingle hashes ({@link MinHash#shingles})
   */
  public record Item(String id, String key, long[] shingles) implements Serializable {}

  /** A flagged item: a duplicate of {@code of}. */
  public record Flag(String id, Reason reason, String of) implements Serializable {
    /** The flag that wins when an item is flagged in several blocks: exact first, then smallest id. */
    static final Comparator<Flag> PREFERRED = Comparator.comparing(Flag::reason).thenComparing(Flag::of);
  }

  /**
   * Flags within one block of candidates.
   *
   * @param exact the reason for an exact duplicate ({@link Reason#DUPLICATE_PROBLEM} or
   *     {@link Reason#DUPLICATE_TRACE}); {@code near} the reason for a near one
   * @param nearThreshold Jaccard similarity from which two items are near-duplicates, or null for
   *     exact only
   */
  public static List<Flag> flag(List<Item> block, Double nearThreshold, Reason exact, Reason near) {
    List<Item> items = new ArrayList<>(block);
    items.sort(Comparator.comparing(Item::id));
    Map<String, Flag> flags = new TreeMap<>();
    for (int j = 1; j < items.size(); j++) {
      Item b = items.get(j);
      for (int i = 0; i < j; i++) {
        Item a = items.get(i);
        if (a.id().equals(b.id())) continue;
        Flag f = null;
        if (a.key().equals(b.key())) {
          f = new Flag(b.id(), exact, a.id());
        } else if (nearThreshold != null && a.shingles().length > 0 && b.shingles().length > 0
            && MinHash.jaccard(a.shingles(), b.shingles()) >= nearThreshold) {
          f = new Flag(b.id(), near, a.id());
        }
        if (f != null) flags.merge(b.id(), f, Duplicates::preferred);
      }
    }
    return List.copyOf(flags.values());
  }

  /**
   * The keys of the blocks an item joins: its exact key's hash, and with near-duplicate detection
   * its MinHash band keys. Only items sharing a block are compared.
   */
  public static List<String> blockKeys(Item item, boolean near) {
    List<String> keys = new ArrayList<>();
    keys.add("x" + Long.toHexString(MinHash.hash(item.key())));
    if (near && item.shingles().length > 0) {
      long[] bands = MinHash.bandKeys(item.shingles());
      for (int b = 0; b < bands.length; b++) keys.add("b" + b + ":" + Long.toHexString(bands[b]));
    }
    return keys;
  }

  static Flag preferred(Flag a, Flag b) {
    return Flag.PREFERRED.compare(a, b) <= 0 ? a : b;
  }
}
