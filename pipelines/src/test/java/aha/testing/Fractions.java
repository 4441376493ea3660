package aha.testing;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A small exact evaluator for + - * / and parentheses over integers, independent of the code under
 * test, for checking Countdown solutions in tests. Values are reduced fractions "num/den".
 */
public final class Fractions {
  private final String s;
  private int i;

  private Fractions(String s) {
    this.s = s.replace(" ", "");
  }

  public static String of(long n) {
    return n + "/1";
  }

  public static String eval(String expr) {
    Fractions f = new Fractions(expr);
    BigInteger[] v = f.sum();
    if (f.i != f.s.length()) throw new IllegalArgumentException("trailing input in " + expr);
    return v[0] + "/" + v[1];
  }

  public static List<Integer> numbersIn(String expr) {
    List<Integer> out = new ArrayList<>();
    for (String t : expr.split("[^0-9]+")) if (!t.isEmpty()) out.add(Integer.parseInt(t));
    return out;
  }

  private BigInteger[] sum() {
    BigInteger[] a = product();
    while (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      char op = s.charAt(i++);
      BigInteger[] b = product();
      a = norm(a[0].multiply(b[1]).add((op == '+' ? b[0] : b[0].negate()).multiply(a[1])), a[1].multiply(b[1]));
    }
    return a;
  }

  private BigInteger[] product() {
    BigInteger[] a = atom();
    while (i < s.length() && (s.charAt(i) == '*' || s.charAt(i) == '/')) {
      char op = s.charAt(i++);
      BigInteger[] b = atom();
      a = op == '*' ? norm(a[0].multiply(b[0]), a[1].multiply(b[1])) : norm(a[0].multiply(b[1]), a[1].multiply(b[0]));
    }
    return a;
  }

  private BigInteger[] atom() {
    if (s.charAt(i) == '(') {
      i++;
      BigInteger[] v = sum();
      if (s.charAt(i++) != ')') throw new IllegalArgumentException("missing ) in " + s);
      return v;
    }
    int start = i;
    while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
    return new BigInteger[] {new BigInteger(s.substring(start, i)), BigInteger.ONE};
  }

  private static BigInteger[] norm(BigInteger n, BigInteger d) {
    if (d.signum() == 0) throw new ArithmeticException("division by zero");
    if (d.signum() < 0) { n = n.negate(); d = d.negate(); }
    BigInteger g = n.gcd(d);
    return new BigInteger[] {n.divide(g), d.divide(g)};
  }
}
