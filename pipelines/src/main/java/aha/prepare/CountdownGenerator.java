package aha.prepare;

import aha.dataset.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Countdown problems with a guaranteed solution: draw numbers, enumerate every expression that
 * uses each number once, and pick a target among the integers they reach.
 */
public final class CountdownGenerator implements java.io.Serializable {
  private final CountdownSource spec;

  public CountdownGenerator(CountdownSource spec) {
    this.spec = spec;
  }

  /** Problem {@code index} of the run with {@code seed}; the same inputs give the same problem. */
  public Problem generate(long seed, long index) {
    SplittableRandom rnd = new SplittableRandom(Seeds.mix(seed, index));
    for (int attempt = 0; attempt < 1000; attempt++) {
      List<Integer> nums = new ArrayList<>();
      for (int i = 0; i < spec.numbers(); i++) nums.add(rnd.nextInt(spec.minNumber(), spec.maxNumber() + 1));
      TreeMap<Long, String> reachable = new TreeMap<>();
      for (Map.Entry<Long, String> e : Expressions.reachableIntegers(nums).entrySet()) {
        if (e.getKey() >= spec.minTarget() && e.getKey() <= spec.maxTarget()) reachable.put(e.getKey(), e.getValue());
      }
      if (reachable.isEmpty()) continue;
      List<Long> targets = new ArrayList<>(reachable.keySet());
      long target = targets.get(rnd.nextInt(targets.size()));
      String text = spec.style().equals("short")
          ? "Use " + nums.stream().map(String::valueOf).collect(Collectors.joining(" ")) + " to make " + target + "."
          : "Using the numbers " + nums + ", create an equation that equals " + target
              + ". You can use basic arithmetic operations (+, -, *, /) and each number can only be used once.";
      return new Problem(String.format("countdown-%07d", index), text, Long.toString(target), "generator:countdown",
          "countdown", new Problem.Countdown(nums, (int) target), Map.of("solution", reachable.get(target)));
    }
    throw new aha.BadInputException("countdown: no target in [" + spec.minTarget() + ", " + spec.maxTarget()
        + "] is reachable with " + spec.numbers() + " numbers in [" + spec.minNumber() + ", " + spec.maxNumber()
        + "]; widen max_target or the number range");
  }
}
