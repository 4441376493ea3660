package aha.sft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchesTest {
  @Test
  void holdOutIsDisjointSeededAndCapped() {
    Batches.Split a = Batches.holdOut(100, 0.1, 1000, 7);
    assertThat(a.eval()).hasSize(10);
    assertThat(a.train()).hasSize(90);
    assertThat(IntStream.concat(Arrays.stream(a.train()), Arrays.stream(a.eval())).sorted().toArray())
        .isEqualTo(IntStream.range(0, 100).toArray());
    assertThat(Batches.holdOut(100, 0.1, 1000, 7).eval()).isEqualTo(a.eval());
    assertThat(Batches.holdOut(100, 0.1, 1000, 8).eval()).isNotEqualTo(a.eval());
    assertThat(Batches.holdOut(100, 0.1, 4, 7).eval()).hasSize(4);
    assertThat(Batches.holdOut(1, 0.5, 10, 7).train()).hasSize(1);
  }

  @Test
  void epochsCoverEveryExampleOnceInLengthGroupedBatchesAndDifferByEpoch() {
    Random r = new Random(1);
    int[] lengths = IntStream.range(0, 1000).map(i -> 5 + r.nextInt(200)).toArray();
    List<int[]> e0 = Batches.epoch(lengths, 8, 42, 0);
    assertThat(e0).hasSize(Batches.perEpoch(1000, 8));
    assertThat(e0.stream().flatMapToInt(Arrays::stream).sorted().toArray()).isEqualTo(IntStream.range(0, 1000).toArray());
    // grouping by length: far less padding than random batches
    long padGrouped = padding(e0, lengths);
    long padRandom = padding(randomBatches(1000, 8), lengths);
    assertThat(padGrouped * 4).isLessThan(padRandom);
    // the same seed and epoch give the same batches; another epoch another order
    List<int[]> again = Batches.epoch(lengths, 8, 42, 0);
    for (int i = 0; i < e0.size(); i++) assertThat(again.get(i)).isEqualTo(e0.get(i));
    assertThat(Batches.epoch(lengths, 8, 42, 1).get(0)).isNotEqualTo(e0.get(0));
  }

  @Test
  void packingKeepsEveryTokenAndLabelAndNeverExceedsCapacity() {
    List<Example> ex = new ArrayList<>();
    Random r = new Random(3);
    long tokens = 0;
    long labels = 0;
    for (int i = 0; i < 50; i++) {
      int n = 3 + r.nextInt(30);
      long[] ids = new long[n];
      boolean[] lab = new boolean[n];
      for (int t = 0; t < n; t++) {
        ids[t] = r.nextInt(50);
        lab[t] = t > n / 2;
      }
      ex.add(new Example(ids, lab, false));
      tokens += n;
      labels += ex.get(i).labelCount();
    }
    List<Example> packed = Batches.pack(ex, 64);
    assertThat(packed).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(64));
    assertThat(packed.stream().mapToLong(Example::length).sum()).isEqualTo(tokens);
    assertThat(packed.stream().mapToLong(Example::labelCount).sum()).isEqualTo(labels);
    assertThat(packed.size()).isLessThanOrEqualTo((int) Math.ceil(tokens / 64.0) + 2);
  }

  @Test
  void batchPadsRightAndMarksTargetsShiftedByOne() {
    List<Example> ex = List.of(new Example(new long[] {5, 6, 7}, new boolean[] {false, false, true}, false),
        new Example(new long[] {8, 9}, new boolean[] {false, true}, false));
    Batch b = Batch.of(ex, new int[] {0, 1});
    assertThat(b.width()).isEqualTo(3);
    assertThat(b.ids()).containsExactly(5, 6, 7, 8, 9, 0);
    assertThat(b.mask()).containsExactly(1, 1, 1, 1, 1, 0);
    assertThat(b.targets()).containsExactly(0f, 1f, 1f, 0f);
    assertThat(b.targetCount()).isEqualTo(2);
    assertThat(b.tokens()).isEqualTo(5);
  }

  static long padding(List<int[]> batches, int[] lengths) {
    long pad = 0;
    for (int[] b : batches) {
      int max = Arrays.stream(b).map(i -> lengths[i]).max().getAsInt();
      for (int i : b) pad += max - lengths[i];
    }
    return pad;
  }

  static List<int[]> randomBatches(int n, int size) {
    List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
    java.util.Collections.shuffle(order, new Random(9));
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < n; i += size) out.add(order.subList(i, Math.min(n, i + size)).stream().mapToInt(Integer::intValue).toArray());
    return out;
  }
}
