package aha.prepare;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every value reachable by combining all given numbers once each with + - * / and parentheses,
 * computed with exact fractions. Enumeration order is fixed, so the first expression found for a
 * value is always the same one.
 */
final class Expressions {
  private Expressions() {}

  /** An exact fraction {@code num/den} (den > 0, lowest terms) with its expression text. */
  private record Term(long num, long den, String text, boolean atom) {}

  /** Integer values to the first expression reaching them. */
  static Map<Long, String> reachableIntegers(List<Integer> nums) {
    List<Term> terms = new ArrayList<>();
    for (int n : nums) terms.add(new Term(n, 1, Integer.toString(n), true));
    Map<Long, String> out = new TreeMap<>();
    search(terms, out);
    return out;
  }

  private static void search(List<Term> terms, Map<Long, String> out) {
    if (terms.size() == 1) {
      Term t = terms.get(0);
      if (t.den() == 1) out.putIfAbsent(t.num(), t.text());
      return;
    }
    for (int i = 0; i < terms.size(); i++) {
      for (int j = 0; j < terms.size(); j++) {
        if (i == j) continue;
        Term a = terms.get(i);
        Term b = terms.get(j);
        List<Term> rest = new ArrayList<>(terms.size() - 1);
        for (int k = 0; k < terms.size(); k++) if (k != i && k != j) rest.add(terms.get(k));
        for (char op : new char[] {'+', '-', '*', '/'}) {
          if ((op == '+' || op == '*') && i > j) continue; // commutative: one order is enough
          Term c = combine(a, b, op);
          if (c == null) continue;
          rest.add(c);
          search(rest, out);
          rest.remove(rest.size() - 1);
        }
      }
    }
  }

  private static Term combine(Term a, Term b, char op) {
    long n;
    long d;
    switch (op) {
      case '+' -> { n = a.num() * b.den() + b.num() * a.den(); d = a.den() * b.den(); }
      case '-' -> { n = a.num() * b.den() - b.num() * a.den(); d = a.den() * b.den(); }
      case '*' -> { n = a.num() * b.num(); d = a.den() * b.den(); }
      default -> {
        if (b.num() == 0) return null;
        n = a.num() * b.den();
        d = a.den() * b.num();
      }
    }
    if (d < 0) { n = -n; d = -d; }
    long g = gcd(Math.abs(n), d);
    String text = wrap(a) + op + wrap(b);
    return new Term(n / g, d / g, text, false);
  }

  private static String wrap(Term t) {
    return t.atom() ? t.text() : "(" + t.text() + ")";
  }

  private static long gcd(long a, long b) {
    while (b != 0) { long t = a % b; a = b; b = t; }
    return a == 0 ? 1 : a;
  }
}
