package aha.verify;

import aha.verify.Expr.Add;
import aha.verify.Expr.Const;
import aha.verify.Expr.Div;
import aha.verify.Expr.Factorial;
import aha.verify.Expr.Func;
import aha.verify.Expr.Mul;
import aha.verify.Expr.Neg;
import aha.verify.Expr.Num;
import aha.verify.Expr.PlusMinus;
import aha.verify.Expr.Pow;
import aha.verify.Expr.Root;
import aha.verify.Expr.Sym;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Exact (rational) and numeric (double) evaluation of {@link Expr} trees, within a Budget. */
final class Evaluation {
  private Evaluation() {}

  /** The exact rational value, or null when the value is not a rational computable in budget. */
  static Rational exact(Expr e, Budget budget) {
    return exact(e, Map.of(), budget);
  }

  /** The exact value with symbols bound to rationals by {@code env}, or null. */
  static Rational exact(Expr e, Map<String, Rational> env, Budget budget) {
    try {
      return exactOrThrow(e, env, budget);
    } catch (Budget.TooLarge | ArithmeticException notExact) {
      return null;
    }
  }

  private static Rational exactOrThrow(Expr e, Map<String, Rational> env, Budget b) {
    b.check();
    if (e instanceof Num n) return n.value();
    if (e instanceof Sym s) return env.get(s.name());
    if (e instanceof Neg n) {
      Rational r = exactOrThrow(n.arg(), env, b);
      return r == null ? null : r.negate();
    }
    if (e instanceof Add a) {
      Rational sum = Rational.ZERO;
      for (Expr t : a.terms()) {
        Rational r = exactOrThrow(t, env, b);
        if (r == null) return null;
        sum = sum.add(r);
      }
      return sum;
    }
    if (e instanceof Mul m) {
      Rational prod = Rational.ONE;
      for (Expr f : m.factors()) {
        Rational r = exactOrThrow(f, env, b);
        if (r == null) return null;
        prod = prod.mul(r);
      }
      return prod;
    }
    if (e instanceof Div d) {
      Rational n = exactOrThrow(d.num(), env, b);
      if (n == null) return null;
      Rational q = exactOrThrow(d.den(), env, b);
      return q == null ? null : n.div(q);
    }
    if (e instanceof Pow p) {
      Rational base = exactOrThrow(p.base(), env, b);
      if (base == null) return null;
      Rational exp = exactOrThrow(p.exp(), env, b);
      if (exp == null) return null;
      if (exp.num().bitLength() > 31 || exp.den().bitLength() > 31) throw new Budget.TooLarge();
      int k = exp.num().intValueExact();
      int r = exp.den().intValueExact();
      if (base.signum() == 0 && k < 0) throw new ArithmeticException("0 to a negative power");
      Rational powered = base.pow(k);
      return r == 1 ? powered : powered.root(r);
    }
    if (e instanceof Root r) {
      Rational a = exactOrThrow(r.arg(), env, b);
      return a == null ? null : a.root(r.n());
    }
    if (e instanceof Factorial f) {
      Rational a = exactOrThrow(f.arg(), env, b);
      if (a == null || !a.isInteger() || a.signum() < 0) return null;
      if (a.num().bitLength() > 11) throw new Budget.TooLarge(); // n < 2048
      int n = a.num().intValue();
      BigInteger acc = BigInteger.ONE;
      for (int i = 2; i <= n; i++) {
        acc = acc.multiply(BigInteger.valueOf(i));
        if (acc.bitLength() > Budget.MAX_BITS) throw new Budget.TooLarge();
      }
      return Rational.of(acc, BigInteger.ONE);
    }
    if (e instanceof Func f && f.name().equals("abs")) {
      Rational a = exactOrThrow(f.arg(), env, b);
      return a == null ? null : (a.signum() < 0 ? a.negate() : a);
    }
    return null; // symbols, constants, transcendental functions, ±
  }

  /** The double value with symbols bound by {@code env}; NaN where undefined. */
  static double numeric(Expr e, Map<String, Double> env, Budget b) {
    b.check();
    if (e instanceof Num n) return n.value().toDouble();
    if (e instanceof Sym s) {
      Double v = env.get(s.name());
      return v == null ? Double.NaN : v;
    }
    if (e instanceof Const c) {
      switch (c.name()) {
        case "pi":
          return Math.PI;
        case "e":
          return Math.E;
        default:
          return Double.POSITIVE_INFINITY;
      }
    }
    if (e instanceof Neg n) return -numeric(n.arg(), env, b);
    if (e instanceof Add a) {
      double s = 0;
      for (Expr t : a.terms()) s += numeric(t, env, b);
      return s;
    }
    if (e instanceof Mul m) {
      double p = 1;
      for (Expr f : m.factors()) p *= numeric(f, env, b);
      return p;
    }
    if (e instanceof Div d) return numeric(d.num(), env, b) / numeric(d.den(), env, b);
    if (e instanceof Pow p) {
      double base = numeric(p.base(), env, b);
      double exp = numeric(p.exp(), env, b);
      if (base < 0 && exp != Math.rint(exp)) {
        // odd roots of negatives, e.g. x^{1/3}: real when the reduced denominator is odd
        Rational q = exact(p.exp(), b);
        if (q != null && q.den().testBit(0) && q.den().bitLength() < 31) {
          double mag = Math.pow(-base, exp);
          return q.num().testBit(0) ? -mag : mag;
        }
      }
      return Math.pow(base, exp);
    }
    if (e instanceof Root r) {
      double a = numeric(r.arg(), env, b);
      if (r.n() == 2) return Math.sqrt(a);
      if (r.n() == 3) return Math.cbrt(a);
      if (a < 0) return r.n() % 2 == 1 ? -Math.pow(-a, 1.0 / r.n()) : Double.NaN;
      return Math.pow(a, 1.0 / r.n());
    }
    if (e instanceof Factorial f) {
      double a = numeric(f.arg(), env, b);
      if (a < 0 || a != Math.rint(a)) return Double.NaN;
      if (a > 170) return Double.POSITIVE_INFINITY;
      double acc = 1;
      for (int i = 2; i <= a; i++) acc *= i;
      return acc;
    }
    if (e instanceof Func f) return function(f.name(), numeric(f.arg(), env, b));
    if (e instanceof PlusMinus pm) return Double.NaN; // expanded before evaluation
    return Double.NaN;
  }

  private static double function(String name, double x) {
    switch (name) {
      case "sin":
        return Math.sin(x);
      case "cos":
        return Math.cos(x);
      case "tan":
        return Math.tan(x);
      case "cot":
        return 1 / Math.tan(x);
      case "sec":
        return 1 / Math.cos(x);
      case "csc":
        return 1 / Math.sin(x);
      case "arcsin":
        return Math.asin(x);
      case "arccos":
        return Math.acos(x);
      case "arctan":
        return Math.atan(x);
      case "sinh":
        return Math.sinh(x);
      case "cosh":
        return Math.cosh(x);
      case "tanh":
        return Math.tanh(x);
      case "ln":
      case "log":
        return Math.log(x);
      case "exp":
        return Math.exp(x);
      case "abs":
        return Math.abs(x);
      case "floor":
        return Math.floor(x);
      case "ceil":
        return Math.ceil(x);
      default:
        return Double.NaN;
    }
  }

  /** True when a decimal literal occurs: such values compare after rounding. */
  static boolean inexact(Expr e) {
    if (e instanceof Num n) return n.inexact();
    for (Expr c : children(e)) if (inexact(c)) return true;
    return false;
  }

  static boolean hasInfinity(Expr e) {
    if (e instanceof Const c) return c.name().equals("inf");
    for (Expr c : children(e)) if (hasInfinity(c)) return true;
    return false;
  }

  static void symbols(Expr e, Set<String> out) {
    if (e instanceof Sym s) out.add(s.name());
    for (Expr c : children(e)) symbols(c, out);
  }

  static boolean hasPlusMinus(Expr e) {
    if (e instanceof PlusMinus) return true;
    for (Expr c : children(e)) if (hasPlusMinus(c)) return true;
    return false;
  }

  /** Both sign choices of every ± (at most 8 variants). */
  static List<Expr> expandPlusMinus(Expr e) {
    if (e instanceof PlusMinus pm) {
      List<Expr> out = new ArrayList<>();
      for (Expr l : expandPlusMinus(pm.left())) {
        for (Expr r : expandPlusMinus(pm.right())) {
          out.add(new Add(List.of(l, r)));
          out.add(new Add(List.of(l, new Neg(r))));
        }
      }
      return cap(out);
    }
    List<Expr> kids = children(e);
    if (kids.isEmpty() || !hasPlusMinus(e)) return List.of(e);
    List<List<Expr>> combos = List.of(List.of());
    for (Expr k : kids) {
      List<List<Expr>> next = new ArrayList<>();
      for (List<Expr> prefix : combos) {
        for (Expr v : expandPlusMinus(k)) {
          List<Expr> l = new ArrayList<>(prefix);
          l.add(v);
          next.add(l);
        }
      }
      combos = cap(next);
    }
    List<Expr> out = new ArrayList<>();
    for (List<Expr> c : combos) out.add(rebuild(e, c));
    return out;
  }

  private static <T> List<T> cap(List<T> l) {
    return l.size() > 8 ? new ArrayList<>(l.subList(0, 8)) : l;
  }

  static List<Expr> children(Expr e) {
    if (e instanceof Add a) return a.terms();
    if (e instanceof Mul m) return m.factors();
    if (e instanceof Div d) return List.of(d.num(), d.den());
    if (e instanceof Neg n) return List.of(n.arg());
    if (e instanceof Pow p) return List.of(p.base(), p.exp());
    if (e instanceof Root r) return List.of(r.arg());
    if (e instanceof Func f) return List.of(f.arg());
    if (e instanceof Factorial f) return List.of(f.arg());
    if (e instanceof PlusMinus pm) return List.of(pm.left(), pm.right());
    return List.of();
  }

  private static Expr rebuild(Expr e, List<Expr> k) {
    if (e instanceof Add) return new Add(k);
    if (e instanceof Mul) return new Mul(k);
    if (e instanceof Div) return new Div(k.get(0), k.get(1));
    if (e instanceof Neg) return new Neg(k.get(0));
    if (e instanceof Pow) return new Pow(k.get(0), k.get(1));
    if (e instanceof Root r) return new Root(k.get(0), r.n());
    if (e instanceof Func f) return new Func(f.name(), k.get(0));
    if (e instanceof Factorial) return new Factorial(k.get(0));
    if (e instanceof PlusMinus) return new PlusMinus(k.get(0), k.get(1));
    return e;
  }
}
