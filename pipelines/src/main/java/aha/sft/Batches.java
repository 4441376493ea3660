package aha.sft;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * The order of examples: a held-out split, optional packing, and per-epoch batches grouped by
 * length. Everything is a pure function of the seed (and the epoch), so a resumed run finds the
 * same batches from the step number alone.
 */
public final class Batches {
  /** Batches are sorted by length within windows of this many batches, as HF's group_by_length. */
  static final int WINDOW = 50;

  private Batches() {}

  /** Indices into a list of {@code n} items: the held-out ones and the rest, both in order. */
  public record Split(int[] train, int[] eval) {}

  /** Holds out round(n * fraction) items (at most {@code max}, and never all) chosen by a seeded shuffle. */
  public static Split holdOut(int n, double fraction, int max, long seed) {
    int k = (int) Math.min(Math.min(Math.round(n * fraction), max), Math.max(0, n - 1));
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) order.add(i);
    Collections.shuffle(order, new Random(seed ^ 0x5F7EA1L));
    int[] eval = order.subList(0, k).stream().mapToInt(Integer::intValue).sorted().toArray();
    int[] train = order.subList(k, n).stream().mapToInt(Integer::intValue).sorted().toArray();
    return new Split(train, eval);
  }

  /**
   * Packs whole examples into rows of at most {@code capacity} tokens, longest first into the row
   * with the least room that fits (best-fit decreasing); no example is split.
   */
  public static List<Example> pack(List<Example> examples, int capacity) {
    Integer[] order = new Integer[examples.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> -examples.get(i).length()).thenComparingInt(i -> i));
    List<List<Example>> bins = new ArrayList<>();
    // room left -> bins with that much room
    TreeMap<Integer, List<Integer>> byRoom = new TreeMap<>();
    for (int i : order) {
      Example e = examples.get(i);
      var fit = byRoom.ceilingEntry(e.length());
      int bin;
      if (fit == null) {
        bin = bins.size();
        bins.add(new ArrayList<>());
      } else {
        List<Integer> same = fit.getValue();
        bin = same.remove(same.size() - 1);
        if (same.isEmpty()) byRoom.remove(fit.getKey());
      }
      bins.get(bin).add(e);
      int room = capacity - bins.get(bin).stream().mapToInt(Example::length).sum();
      if (room > 0) byRoom.computeIfAbsent(room, r -> new ArrayList<>()).add(bin);
    }
    List<Example> out = new ArrayList<>();
    for (List<Example> bin : bins) {
      int len = bin.stream().mapToInt(Example::length).sum();
      long[] ids = new long[len];
      boolean[] labels = new boolean[len];
      int at = 0;
      boolean truncated = false;
      for (Example e : bin) {
        System.arraycopy(e.ids(), 0, ids, at, e.length());
        System.arraycopy(e.labels(), 0, labels, at, e.length());
        at += e.length();
        truncated |= e.truncated();
      }
      out.add(new Example(ids, labels, truncated));
    }
    return out;
  }

  /** How many batches one epoch of {@code n} examples has. */
  public static int perEpoch(int n, int batchSize) {
    return (n + batchSize - 1) / batchSize;
  }

  /**
   * The batches of one epoch, as lists of example indices: a seeded shuffle, then within each
   * window of {@link #WINDOW} batches the examples are sorted by length (less padding), then the
   * batch order is shuffled again so lengths do not trend through the epoch.
   */
  public static List<int[]> epoch(int[] lengths, int batchSize, long seed, int epoch) {
    Random rng = new Random(seed * 0x9E3779B97F4A7C15L + epoch);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) order.add(i);
    Collections.shuffle(order, rng);
    List<int[]> batches = new ArrayList<>();
    int window = batchSize * WINDOW;
    for (int start = 0; start < order.size(); start += window) {
      List<Integer> w = new ArrayList<>(order.subList(start, Math.min(order.size(), start + window)));
      w.sort(Comparator.comparingInt((Integer i) -> -lengths[i]));
      for (int b = 0; b < w.size(); b += batchSize) {
        batches.add(w.subList(b, Math.min(w.size(), b + batchSize)).stream().mapToInt(Integer::intValue).toArray());
      }
    }
    Collections.shuffle(batches, rng);
    return batches;
  }
}
