package aha.teacher;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The tests' own exact check of Countdown answers, independent of the teacher's search: a
 * recursive-descent evaluator over fractions of BigIntegers, and a brute force that decides whether
 * a problem has any solution at all.
 */
final class ExactEvaluator {
  /** A fraction num/den, den > 0, not necessarily reduced. */
  record Q(BigInteger num, BigInteger den) {
    static Q of(long v) {
      return new Q(BigInteger.valueOf(v), BigInteger.ONE);
    }

    Q plus(Q o) {
      return new Q(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
    }

    Q minus(Q o) {
      return new Q(num.multiply(o.den).subtract(o.num.multiply(den)), den.multiply(o.den));
    }

    Q times(Q o) {
      return new Q(num.multiply(o.num), den.multiply(o.den));
    }

    Q div(Q o) {
      if (o.num.signum() == 0) throw new ArithmeticException("division by zero");
      BigInteger n = num.multiply(o.den);
      BigInteger d = den.multiply(o.num);
      return d.signum() < 0 ? new Q(n.negate(), d.negate()) : new Q(n, d);
    }

    boolean equalsInt(long v) {
      return num.equals(den.multiply(BigInteger.valueOf(v)));
    }
  }

  private final String s;
  private int pos;
  final List<Long> numbers = new ArrayList<>();

  private ExactEvaluator(String s) {
    this.s = s.replace(" ", "");
  }

  /** Evaluates {@code + - * /} with parentheses; collects the literal numbers used. */
  static ExactEvaluator parse(String expression) {
    return new ExactEvaluator(expression);
  }

  Q evaluate() {
    Q v = sum();
    if (pos != s.length()) throw new IllegalArgumentException("junk at " + pos + " in " + s);
    return v;
  }

  private Q sum() {
    Q v = product();
    while (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
      char op = s.charAt(pos++);
      Q r = product();
      v = op == '+' ? v.plus(r) : v.minus(r);
    }
    return v;
  }

  private Q product() {
    Q v = atom();
    while (pos < s.length() && (s.charAt(pos) == '*' || s.charAt(pos) == '/')) {
      char op = s.charAt(pos++);
      Q r = atom();
      v = op == '*' ? v.times(r) : v.div(r);
    }
    return v;
  }

  private Q atom() {
    if (s.charAt(pos) == '(') {
      pos++;
      Q v = sum();
      if (s.charAt(pos++) != ')') throw new IllegalArgumentException("missing ) in " + s);
      return v;
    }
    int start = pos;
    while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
    long n = Long.parseLong(s.substring(start, pos));
    numbers.add(n);
    return Q.of(n);
  }

  /** Whether some expression over all the numbers (each once, any order, exact) hits target. */
  static boolean solvable(List<Long> numbers, long target) {
    List<Q> values = new ArrayList<>();
    for (long n : numbers) values.add(Q.of(n));
    return solvableQ(values, target);
  }

  private static boolean solvableQ(List<Q> values, long target) {
    if (values.size() == 1) return values.get(0).equalsInt(target);
    for (int i = 0; i < values.size(); i++) {
      for (int j = 0; j < values.size(); j++) {
        if (i == j) continue;
        Q a = values.get(i);
        Q b = values.get(j);
        List<Q> rest = new ArrayList<>();
        for (int k = 0; k < values.size(); k++) if (k != i && k != j) rest.add(values.get(k));
        List<Q> candidates = new ArrayList<>(List.of(a.plus(b), a.minus(b), a.times(b)));
        if (b.num().signum() != 0) candidates.add(a.div(b));
        for (Q c : candidates) {
          List<Q> next = new ArrayList<>(rest);
          next.add(c);
          if (solvableQ(next, target)) return true;
        }
      }
    }
    return false;
  }
}
