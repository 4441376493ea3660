package aha.verify;

import aha.verify.Answer.Chain;
import aha.verify.Answer.FiniteSet;
import aha.verify.Answer.Interval;
import aha.verify.Answer.Matrix;
import aha.verify.Answer.Percent;
import aha.verify.Answer.Relation;
import aha.verify.Answer.Scalar;
import aha.verify.Answer.Text;
import aha.verify.Answer.Tuple;
import aha.verify.Answer.Union;
import aha.verify.Expr.Add;
import aha.verify.Expr.Div;
import aha.verify.Expr.Mul;
import aha.verify.Expr.Neg;
import aha.verify.Expr.Sym;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Decides whether two parsed answers are the same mathematical object.
 *
 * <p>Scalars: exact rational arithmetic first; a decimal on either side compares after rounding
 * both to {@code floatRounding} places (Math-Verify's rule, so 1/3 equals 0.333333 but not 0.333);
 * otherwise the two are evaluated at random points and must agree at every point where both are
 * defined (the domain care: points where either side is undefined are skipped).
 */
final class Equivalence {
  private static final int MIN_AGREEING_POINTS = 3;
  private static final int MAX_TRIALS = 16;

  private final int floatRounding;
  private final Budget budget;

  Equivalence(int floatRounding, Budget budget) {
    this.floatRounding = floatRounding;
    this.budget = budget;
  }

  boolean equal(Answer g, Answer p) {
    budget.check();
    g = unwrap(g);
    p = unwrap(p);
    if (g instanceof FiniteSet s) g = distinct(s);
    if (p instanceof FiniteSet s) p = distinct(s);
    if (g instanceof Chain c && asInterval(c) != null) g = asInterval(c);
    if (p instanceof Chain c && asInterval(c) != null) p = asInterval(c);
    // Math-Verify's asymmetry: a predicted equation stands for its right side when the gold is
    // not an equation ("k = 1" against 1); a gold equation only when it is an assignment (left
    // side made of symbols), so "2x + z = 1" is not 1. x \in S stands for S on either side, but
    // only for a symbol x: -x \in [-2, 7] is another set (Math-Verify cannot read it at all).
    if (p instanceof Relation rp && !isEquation(g) && (rp.op().equals("=") || isMembership(rp))) {
      return equal(g, rp.rhs());
    }
    if (g instanceof Relation rg && !isEquation(p) && reducible(rg)) return equal(rg.rhs(), p);
    if (g instanceof Scalar a && p instanceof Scalar b) return scalars(a.expr(), b.expr());
    if (g instanceof Percent a && p instanceof Percent b) return scalars(a.expr(), b.expr());
    if (g instanceof Percent a && p instanceof Scalar b) return percentMatches(a.expr(), b.expr());
    // a plain gold matches a percentage only by its value: 0.28 = 28%, but 28 != 28%
    if (g instanceof Scalar a && p instanceof Percent b) {
      return scalars(a.expr(), new Div(b.expr(), Expr.num(100)));
    }
    if (g instanceof Relation a && p instanceof Relation b) return relations(a, b);
    if (g instanceof Tuple a && p instanceof Tuple b) return ordered(a.items(), b.items());
    if (g instanceof Interval a && p instanceof Interval b) return intervals(a, b);
    if (g instanceof Interval a && p instanceof Tuple b) return intervalTuple(a, b);
    if (g instanceof Tuple a && p instanceof Interval b) return intervalTuple(b, a);
    if (g instanceof FiniteSet a && p instanceof FiniteSet b)
      return unordered(a.items(), b.items());
    // a gold set against a predicted tuple ignores order; a gold tuple keeps the written order
    if (g instanceof FiniteSet a && p instanceof Tuple b) return unordered(a.items(), b.items());
    if (g instanceof Tuple a && p instanceof FiniteSet b) return ordered(a.items(), b.items());
    if (g instanceof Union a && p instanceof Union b) return unordered(a.parts(), b.parts());
    if (g instanceof Matrix a && p instanceof Matrix b) return matrices(a, b);
    if (g instanceof Chain a && p instanceof Chain b) return chains(a, b);
    if (g instanceof Chain a && p instanceof Relation b) return chainRelation(a, b);
    if (g instanceof Relation a && p instanceof Chain b) return chainRelation(b, a);
    if (g instanceof Text a && p instanceof Text b) return sameText(a.text(), b.text());
    if (g instanceof Text a && p instanceof Scalar b) return sameText(a.text(), textual(b.expr()));
    if (g instanceof Scalar a && p instanceof Text b) return sameText(b.text(), textual(a.expr()));
    return false;
  }

  private static Answer unwrap(Answer a) {
    if (a instanceof FiniteSet s && s.items().size() == 1) return unwrap(s.items().get(0));
    if (a instanceof FiniteSet s) {
      List<Answer> flat = new ArrayList<>();
      for (Answer x : s.items()) {
        Answer u = unwrap(x);
        if (u instanceof FiniteSet inner && x instanceof Scalar) flat.addAll(inner.items());
        else flat.add(x);
      }
      return new FiniteSet(flat);
    }
    if (a instanceof Union u && u.parts().size() == 1) return u.parts().get(0);
    if (a instanceof Scalar s && Evaluation.hasPlusMinus(s.expr())) {
      List<Answer> items = new ArrayList<>();
      for (Expr e : Evaluation.expandPlusMinus(s.expr())) items.add(new Scalar(e));
      return new FiniteSet(items);
    }
    return a;
  }

  /**
   * A set without repeated elements ({@code \boxed{15\frac{39}{40}}, or \boxed{\frac{639}{40}}}).
   */
  private Answer distinct(FiniteSet s) {
    if (s.items().size() < 2 || s.items().size() > 64) return s;
    List<Answer> kept = new ArrayList<>();
    for (Answer x : s.items()) {
      boolean seen = false;
      for (Answer k : kept) {
        if (equal(k, x)) {
          seen = true;
          break;
        }
      }
      if (!seen) kept.add(x);
    }
    return kept.size() == 1
        ? kept.get(0)
        : kept.size() == s.items().size() ? s : new FiniteSet(kept);
  }

  private static boolean isEquation(Answer a) {
    return a instanceof Relation r && r.op().equals("=");
  }

  /** An assignment ({@code x = 5}, {@code xy = 5}) or a membership ({@code x \in S}). */
  private static boolean reducible(Relation r) {
    if (isMembership(r)) return true;
    return r.op().equals("=") && r.lhs() instanceof Scalar s && onlySymbols(s.expr());
  }

  /** {@code x \in S} for a symbol (or product of symbols) x, which stands for S. */
  private static boolean isMembership(Relation r) {
    return r.op().equals("in") && r.lhs() instanceof Scalar s && onlySymbols(s.expr());
  }

  static boolean onlySymbols(Expr e) {
    if (e instanceof Sym) return true;
    if (e instanceof Mul m) return m.factors().stream().allMatch(Equivalence::onlySymbols);
    return false;
  }

  /** {@code a <= x < b} as the interval it describes, or null. */
  private static Interval asInterval(Chain c) {
    if (c.parts().size() != 3
        || !(c.parts().get(1) instanceof Scalar mid)
        || !(mid.expr() instanceof Sym)) {
      return null;
    }
    if (!(c.parts().get(0) instanceof Scalar lo) || !(c.parts().get(2) instanceof Scalar hi))
      return null;
    String o1 = c.ops().get(0);
    String o2 = c.ops().get(1);
    if (!(o1.startsWith("<") && o2.startsWith("<"))) return null;
    return new Interval(lo.expr(), hi.expr(), o1.equals("<="), o2.equals("<="));
  }

  private boolean percentMatches(Expr pct, Expr plain) {
    return scalars(pct, plain) || scalars(new Div(pct, Expr.num(100)), plain);
  }

  // ---- scalars

  boolean scalars(Expr a, Expr b) {
    boolean inexact = Evaluation.inexact(a) || Evaluation.inexact(b);
    Rational ra = Evaluation.exact(a, budget);
    Rational rb = ra == null ? null : Evaluation.exact(b, budget);
    if (ra != null && rb != null) {
      if (ra.compareTo(rb) == 0) return true;
      return inexact && ra.round(floatRounding).compareTo(rb.round(floatRounding)) == 0;
    }
    TreeSet<String> syms = new TreeSet<>();
    Evaluation.symbols(a, syms);
    Evaluation.symbols(b, syms);
    if (syms.isEmpty()) {
      double da = Evaluation.numeric(a, Map.of(), budget);
      double db = Evaluation.numeric(b, Map.of(), budget);
      return numbersAgree(a, b, da, db, inexact);
    }
    return agreeAtRandomPoints(a, b, syms, inexact);
  }

  private boolean numbersAgree(Expr a, Expr b, double da, double db, boolean inexact) {
    if (Double.isNaN(da) || Double.isNaN(db)) return false;
    if (Double.isInfinite(da) || Double.isInfinite(db)) {
      // a real infinity equals only itself; an overflow (10^{10^{10}}) proves nothing
      if (Evaluation.hasInfinity(a) && Evaluation.hasInfinity(b)) return da == db;
      return a.toString().equals(b.toString());
    }
    if (inexact && round(da).compareTo(round(db)) == 0) return true;
    return close(da, db, 1e-9);
  }

  private BigDecimal round(double d) {
    return new BigDecimal(d).setScale(floatRounding, RoundingMode.HALF_UP);
  }

  private static boolean close(double x, double y, double rel) {
    return Math.abs(x - y) <= rel * Math.max(1.0, Math.max(Math.abs(x), Math.abs(y)));
  }

  private boolean agreeAtRandomPoints(Expr a, Expr b, TreeSet<String> syms, boolean inexact) {
    SplittableRandom rnd = new SplittableRandom(0x5eed ^ syms.hashCode());
    if (!inexact && syms.contains("i")) {
      // i as the imaginary unit, as Math-Verify does when an answer has a standalone i
      Boolean complex = agreeInGaussianRationals(a, b, syms, new SplittableRandom(rnd.nextLong()));
      if (complex != null) return complex;
    }
    if (!inexact) {
      // rational functions evaluate exactly at rational points: no tolerance needed
      Boolean exact = agreeAtRationalPoints(a, b, syms, rnd);
      if (exact != null) return exact;
    }
    int agreeing = 0;
    double tol = inexact ? 1e-6 : 1e-8;
    Map<String, Double> env = new HashMap<>();
    for (int trial = 0; trial < MAX_TRIALS; trial++) { // all trials: both signs too
      budget.check();
      for (String s : syms) {
        // positive points first (square roots, logarithms), then both signs
        double v =
            trial < MAX_TRIALS / 2 ? 0.25 + 2.5 * rnd.nextDouble() : 6 * rnd.nextDouble() - 3;
        env.put(s, v);
      }
      double va = Evaluation.numeric(a, env, budget);
      double vb = Evaluation.numeric(b, env, budget);
      if (!Double.isFinite(va) || !Double.isFinite(vb)) continue;
      if (!close(va, vb, tol)) return false;
      agreeing++;
    }
    if (agreeing > 0) return true;
    return a.toString().equals(b.toString());
  }

  /** TRUE/FALSE when both sides evaluate exactly in Q(i) at a few rational points, else null. */
  private Boolean agreeInGaussianRationals(
      Expr a, Expr b, TreeSet<String> syms, SplittableRandom rnd) {
    Map<String, Rational> env = new HashMap<>();
    for (int point = 0; point < MIN_AGREEING_POINTS; point++) {
      for (String s : syms) {
        env.put(
            s,
            Rational.of(
                java.math.BigInteger.valueOf(rnd.nextInt(-400, 400)),
                java.math.BigInteger.valueOf(rnd.nextInt(1, 97))));
      }
      Gaussian va = Gaussian.evaluate(a, env, budget);
      Gaussian vb = va == null ? null : Gaussian.evaluate(b, env, budget);
      if (vb == null) return null;
      if (!va.equals(vb)) return false;
      if (syms.size() == 1) return true; // only i: one evaluation decides
    }
    return true;
  }

  /** TRUE/FALSE when both sides evaluate exactly at a few rational points, else null. */
  private Boolean agreeAtRationalPoints(
      Expr a, Expr b, TreeSet<String> syms, SplittableRandom rnd) {
    Map<String, Rational> env = new HashMap<>();
    for (int point = 0; point < MIN_AGREEING_POINTS; point++) {
      for (String s : syms) {
        // both signs: sqrt(x^2) is |x|, not x
        int sign = rnd.nextBoolean() ? 1 : -1;
        env.put(
            s,
            Rational.of(
                java.math.BigInteger.valueOf(sign * rnd.nextInt(1, 400)),
                java.math.BigInteger.valueOf(rnd.nextInt(1, 97))));
      }
      Rational va = Evaluation.exact(a, env, budget);
      if (va == null) return null;
      Rational vb = Evaluation.exact(b, env, budget);
      if (vb == null) return null;
      if (va.compareTo(vb) != 0) return false;
    }
    return true;
  }

  // ---- relations

  private boolean relations(Relation a, Relation b) {
    if (!a.op().equals(b.op())) return false;
    if (a.op().equals("in")) return equal(a.lhs(), b.lhs()) && equal(a.rhs(), b.rhs());
    if (!(a.lhs() instanceof Scalar)
        || !(a.rhs() instanceof Scalar)
        || !(b.lhs() instanceof Scalar)
        || !(b.rhs() instanceof Scalar)) {
      return equal(a.lhs(), b.lhs()) && equal(a.rhs(), b.rhs());
    }
    Expr al = ((Scalar) a.lhs()).expr();
    Expr ar = ((Scalar) a.rhs()).expr();
    Expr bl = ((Scalar) b.lhs()).expr();
    Expr br = ((Scalar) b.rhs()).expr();
    if (scalars(al, bl) && scalars(ar, br)) return true;
    boolean symmetric = a.op().equals("=") || a.op().equals("!=");
    if (symmetric && scalars(al, br) && scalars(ar, bl)) return true;
    // same solution set: (al - ar) = c (bl - br), c != 0, and c > 0 for inequalities
    Expr da = new Add(List.of(al, new Neg(ar)));
    Expr db = new Add(List.of(bl, new Neg(br)));
    return proportional(da, db, !symmetric);
  }

  private boolean proportional(Expr a, Expr b, boolean positive) {
    TreeSet<String> syms = new TreeSet<>();
    Evaluation.symbols(a, syms);
    Evaluation.symbols(b, syms);
    if (syms.isEmpty()) return false;
    SplittableRandom rnd = new SplittableRandom(0xbeef ^ syms.hashCode());
    Map<String, Double> env = new HashMap<>();
    Double ratio = null;
    int agreeing = 0;
    for (int trial = 0; trial < MAX_TRIALS && agreeing < MIN_AGREEING_POINTS + 1; trial++) {
      budget.check();
      for (String s : syms) env.put(s, 6 * rnd.nextDouble() - 3);
      double va = Evaluation.numeric(a, env, budget);
      double vb = Evaluation.numeric(b, env, budget);
      if (!Double.isFinite(va) || !Double.isFinite(vb) || Math.abs(vb) < 1e-9) continue;
      double r = va / vb;
      if (ratio == null) ratio = r;
      else if (!close(r, ratio, 1e-8)) return false;
      agreeing++;
    }
    return ratio != null && Math.abs(ratio) > 1e-12 && (!positive || ratio > 0) && agreeing >= 2;
  }

  private boolean chains(Chain a, Chain b) {
    if (a.ops().equals(b.ops())) return ordered(a.parts(), b.parts());
    return false;
  }

  /** {@code -2 \le x \le 7} against {@code x \in [-2, 7]}. */
  private boolean chainRelation(Chain c, Relation r) {
    if (!r.op().equals("in") || c.parts().size() != 3 || !(r.rhs() instanceof Interval iv))
      return false;
    if (!equal(c.parts().get(1), r.lhs())) return false;
    if (!(c.parts().get(0) instanceof Scalar lo) || !(c.parts().get(2) instanceof Scalar hi))
      return false;
    String o1 = c.ops().get(0);
    String o2 = c.ops().get(1);
    if (!(o1.startsWith("<") && o2.startsWith("<"))) return false;
    return intervals(new Interval(lo.expr(), hi.expr(), o1.equals("<="), o2.equals("<=")), iv);
  }

  // ---- structures

  private boolean ordered(List<Answer> a, List<Answer> b) {
    if (a.size() != b.size()) return false;
    for (int i = 0; i < a.size(); i++) if (!equal(a.get(i), b.get(i))) return false;
    return true;
  }

  private boolean unordered(List<Answer> a, List<Answer> b) {
    if (a.size() != b.size()) return false;
    boolean[] used = new boolean[b.size()];
    outer:
    for (Answer x : a) {
      for (int j = 0; j < b.size(); j++) {
        if (!used[j] && equal(x, b.get(j))) {
          used[j] = true;
          continue outer;
        }
      }
      return false;
    }
    return true;
  }

  private boolean intervals(Interval a, Interval b) {
    return a.loClosed() == b.loClosed()
        && a.hiClosed() == b.hiClosed()
        && scalars(a.lo(), b.lo())
        && scalars(a.hi(), b.hi());
  }

  /** {@code (a, b)} is both a point and an open interval. */
  private boolean intervalTuple(Interval iv, Tuple t) {
    return !iv.loClosed()
        && !iv.hiClosed()
        && t.items().size() == 2
        && t.items().get(0) instanceof Scalar lo
        && t.items().get(1) instanceof Scalar hi
        && scalars(iv.lo(), lo.expr())
        && scalars(iv.hi(), hi.expr());
  }

  private boolean matrices(Matrix a, Matrix b) {
    if (a.rows().size() != b.rows().size()) return false;
    for (int i = 0; i < a.rows().size(); i++) {
      List<Expr> ra = a.rows().get(i);
      List<Expr> rb = b.rows().get(i);
      if (ra.size() != rb.size()) return false;
      for (int j = 0; j < ra.size(); j++) if (!scalars(ra.get(j), rb.get(j))) return false;
    }
    return true;
  }

  // ---- words

  /**
   * How a scalar reads as text: symbols as their letters ({@code abc} is {@code \text{abc}}), an
   * integer as its digits ({@code \text{9}} is 9, as Math-Verify compares a text symbol with a
   * number by their printed forms).
   */
  private static String textual(Expr e) {
    if (e instanceof Expr.Num n && !n.inexact() && n.value().isInteger())
      return n.value().toString();
    return letters(e);
  }

  private static String letters(Expr e) {
    if (e instanceof Sym s) return s.name();
    if (e instanceof Expr.Const c && c.name().equals("e")) return "e";
    if (e instanceof Mul m) {
      StringBuilder sb = new StringBuilder();
      for (Expr f : m.factors()) {
        String l = letters(f);
        if (l == null) return null;
        sb.append(l);
      }
      return sb.toString();
    }
    return null;
  }

  static boolean sameText(String a, String b) {
    if (a == null || b == null) return false;
    if (a.length() > Budget.MAX_ANSWER_CHARS || b.length() > Budget.MAX_ANSWER_CHARS) return false;
    return normText(a).equals(normText(b));
  }

  private static String normText(String s) {
    String t = s.replaceAll("\\s+", "").replace("\\", "");
    int from = 0;
    int to = t.length();
    while (to - from > 2 && t.charAt(from) == '(' && t.charAt(to - 1) == ')') {
      from++;
      to--;
    }
    return t.substring(from, to).toLowerCase(Locale.ROOT);
  }
}
