package aha.teacher;

/**
 * Linear equations {@code a x + b = c}: move the constant, divide by the coefficient, check by
 * substituting. A slip is a wrong subtraction; a caught one fails the substitution check.
 */
final class LinearSolver {
  private LinearSolver() {}

  static Narration solve(Task.Linear task, Narration.Style style) {
    long a = task.a();
    long b = task.b();
    long c = task.c();
    Slip slip = style.slip();
    boolean slipped = (slip == Slip.CAUGHT || slip == Slip.UNCAUGHT) && b != 0;
    StringBuilder r = new StringBuilder();
    if (style.verbosity() >= 2) {
      r.append("The equation is ").append(lhs(a, b)).append(" = ").append(c).append(". ");
    }
    long delta = style.rng().nextBoolean() ? 1 : -1;
    Rational x = steps(r, a, b, c, slipped ? delta : 0);
    if (slipped && slip == Slip.CAUGHT) {
      r.append(" Check: ")
          .append(substitute(a, b, x))
          .append(", not ")
          .append(c)
          .append(". Wait, that's wrong. Let me redo it. ");
      x = steps(r, a, b, c, 0);
    }
    if (style.verbosity() >= 1 && !(slipped && slip == Slip.UNCAUGHT)) {
      r.append(" Check: ").append(substitute(a, b, x)).append(". Yes.");
    }
    if (slip == Slip.WRONG_FINAL) x = x.plus(Rational.of(style.rng().nextBoolean() ? 1 : -1));
    return new Narration(r.toString().strip(), x.toString());
  }

  /** Narrates the two steps; {@code slip} is added to the moved constant's result. */
  private static Rational steps(StringBuilder r, long a, long b, long c, long slip) {
    long rhs = c - b + slip;
    if (b > 0) {
      r.append("Subtract ")
          .append(b)
          .append(" from both sides: ")
          .append(coef(a))
          .append("x = ")
          .append(c)
          .append('-')
          .append(b)
          .append(" = ")
          .append(rhs)
          .append(". ");
    } else if (b < 0) {
      r.append("Add ")
          .append(-b)
          .append(" to both sides: ")
          .append(coef(a))
          .append("x = ")
          .append(c)
          .append('+')
          .append(-b)
          .append(" = ")
          .append(rhs)
          .append(". ");
    }
    Rational x = new Rational(rhs, a);
    if (a != 1) {
      r.append("Divide by ").append(a).append(": x = ").append(rhs).append('/').append(a);
      if (x.isInteger() || x.den() != Math.abs(a)) r.append(" = ").append(x);
      r.append('.');
    } else {
      r.append("So x = ").append(x).append('.');
    }
    return x;
  }

  private static String substitute(long a, long b, Rational x) {
    Rational v = Rational.of(a).times(x).plus(Rational.of(b));
    String xs = x.isInteger() && x.num() >= 0 ? x.toString() : "(" + x + ")";
    String s = (a == 1 ? "" : a == -1 ? "-" : a + "*") + xs;
    if (b > 0) s += "+" + b;
    if (b < 0) s += "-" + (-b);
    return s + "=" + v;
  }

  private static String coef(long a) {
    return a == 1 ? "" : a == -1 ? "-" : Long.toString(a);
  }

  private static String lhs(long a, long b) {
    String s = coef(a) + "x";
    if (b > 0) s += " + " + b;
    if (b < 0) s += " - " + (-b);
    return s;
  }
}
