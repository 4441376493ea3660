package aha.grpo.stage;

import aha.BadInputException;
import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The problems GRPO draws prompts from, in a seeded order: epoch e is a shuffle (of the problems
 * sorted by id) seeded from {@code seed} and e, and the k-th prompt ever drawn is a pure function
 * of k. So a resumed run needs only the count of prompts drawn so far to continue with the same
 * prompts.
 */
final class PromptSet {
  private final List<Problem> problems;
  private final long seed;
  private int cachedEpoch = -1;
  private List<Integer> cachedOrder;

  PromptSet(List<Problem> problems, long seed) {
    if (problems.isEmpty()) throw new IllegalArgumentException("no problems");
    // Beam writes rows in no fixed order: sort by id so the seeded order is the same every run
    List<Problem> sorted = new ArrayList<>(problems);
    sorted.sort(java.util.Comparator.comparing(Problem::id));
    this.problems = List.copyOf(sorted);
    this.seed = seed;
  }

  /** The problems of one split of a stage folder's {@code data/}. */
  static PromptSet read(Path stageDir, String split, long seed) {
    Path data = stageDir.resolve("data");
    List<Path> files = ParquetFiles.split(data, split);
    List<Problem> rows = ParquetFiles.readAll(files, Problem::fromAvro);
    if (rows.isEmpty()) {
      throw new BadInputException(data + " has no '" + split + "' problems to train on");
    }
    return new PromptSet(rows, seed);
  }

  int size() {
    return problems.size();
  }

  /** The {@code index}-th prompt ever drawn (0-based). */
  Problem get(long index) {
    int epoch = Math.toIntExact(index / problems.size());
    if (epoch != cachedEpoch) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < problems.size(); i++) order.add(i);
      Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
      cachedOrder = order;
      cachedEpoch = epoch;
    }
    return problems.get(cachedOrder.get((int) (index % problems.size())));
  }

  /** {@code count} prompts starting at the {@code start}-th. */
  List<Problem> take(long start, int count) {
    List<Problem> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) out.add(get(start + i));
    return out;
  }
}
