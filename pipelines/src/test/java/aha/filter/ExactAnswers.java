package aha.filter;

import aha.dataset.Completion;
import aha.dataset.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * A small exact answer checker for tests (the real ones are aha.verify's): Countdown answers are
 * evaluated with exact fractions and must use every number once; other answers must be the same
 * integer as the reference. The answer is the last {@code <answer>} block, else the last
 * {@code \boxed{}}; no answer gives null.
 */
final class ExactAnswers implements AnswerCheck {
  @Override
  public Boolean check(Completion c) {
    String a = answer(c.content());
    if (a == null) return null;
    Problem p = c.problem();
    try {
      if (p.countdown() != null) {
        Expr e = new Expr(a);
        long[] v = e.parse();
        List<Integer> used = new ArrayList<>(e.numbers);
        List<Integer> given = new ArrayList<>(p.countdown().nums());
        used.sort(null);
        given.sort(null);
        return used.equals(given) && v[1] != 0 && v[0] == (long) p.countdown().target() * v[1];
      }
      return Long.parseLong(a.strip()) == Long.parseLong(p.answer().strip());
    } catch (RuntimeException e) {
      return null;
    }
  }

  static String answer(String text) {
    int close = text.lastIndexOf("</answer>");
    int open = close < 0 ? -1 : text.lastIndexOf("<answer>", close);
    if (open >= 0) return text.substring(open + "<answer>".length(), close).strip();
    int boxed = text.lastIndexOf("\\boxed{");
    if (boxed < 0) return null;
    int end = text.indexOf('}', boxed);
    return end < 0 ? null : text.substring(boxed + "\\boxed{".length(), end);
  }

  /** Recursive descent over + - * / and parentheses; values are fractions {num, den} (den > 0 not enforced). */
  private static final class Expr {
    private final String s;
    private int i;
    final List<Integer> numbers = new ArrayList<>();

    Expr(String s) {
      this.s = s.replace(" ", "");
    }

    long[] parse() {
      long[] v = sum();
      if (i != s.length()) throw new IllegalArgumentException("trailing " + s.substring(i));
      return v;
    }

    private long[] sum() {
      long[] v = product();
      while (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        char op = s.charAt(i++);
        long[] w = product();
        v = new long[] {v[0] * w[1] + (op == '+' ? 1 : -1) * w[0] * v[1], v[1] * w[1]};
      }
      return v;
    }

    private long[] product() {
      long[] v = atom();
      while (i < s.length() && (s.charAt(i) == '*' || s.charAt(i) == '/')) {
        char op = s.charAt(i++);
        long[] w = atom();
        v = op == '*' ? new long[] {v[0] * w[0], v[1] * w[1]} : new long[] {v[0] * w[1], v[1] * w[0]};
      }
      return v;
    }

    private long[] atom() {
      if (s.charAt(i) == '(') {
        i++;
        long[] v = sum();
        if (s.charAt(i++) != ')') throw new IllegalArgumentException("expected )");
        return v;
      }
      int start = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
      int n = Integer.parseInt(s.substring(start, i));
      numbers.add(n);
      return new long[] {n, 1};
    }
  }
}
