package aha.prepare;

import aha.dataset.Problem;
import java.util.Map;
import java.util.SplittableRandom;

/** "Calculate 347 + 589." with operands of 1 to {@code digits} digits; exact long arithmetic. */
public final class ArithmeticGenerator implements java.io.Serializable {
  private final ArithmeticSource spec;

  public ArithmeticGenerator(ArithmeticSource spec) {
    this.spec = spec;
  }

  public Problem generate(long seed, long index) {
    SplittableRandom rnd = new SplittableRandom(Seeds.mix(seed, index));
    long max = (long) Math.pow(10, spec.digits());
    long a = rnd.nextLong(1, max);
    long b = rnd.nextLong(1, max);
    String op = spec.operations().get(rnd.nextInt(spec.operations().size()));
    long answer = switch (op) {
      case "+" -> a + b;
      case "-" -> a - b;
      default -> a * b;
    };
    return new Problem(String.format("arithmetic-%07d", index), "Calculate " + a + " " + op + " " + b + ".",
        Long.toString(answer), "generator:arithmetic", "math", null, Map.of());
  }
}
