package aha.prepare;

import aha.dataset.Problem;
import java.util.Map;
import java.util.SplittableRandom;

/** "Solve for x: 3x + 5 = 20." with an integer solution in [-max_solution, max_solution]. */
public final class LinearGenerator implements java.io.Serializable {
  private final LinearSource spec;

  public LinearGenerator(LinearSource spec) {
    this.spec = spec;
  }

  public Problem generate(long seed, long index) {
    SplittableRandom rnd = new SplittableRandom(Seeds.mix(seed, index));
    long a = rnd.nextLong(2, spec.maxCoefficient() + 1);
    long x = rnd.nextLong(-spec.maxSolution(), spec.maxSolution() + 1);
    long b = rnd.nextLong(1, spec.maxSolution() + 1) * (rnd.nextBoolean() ? 1 : -1);
    long c = a * x + b;
    String text = "Solve for x: " + a + "x " + (b < 0 ? "- " + -b : "+ " + b) + " = " + c + ".";
    return new Problem(String.format("linear-%07d", index), text, Long.toString(x), "generator:linear", "math", null,
        Map.of());
  }
}
