package aha.verify;

import java.util.List;

/**
 * A scalar math expression as parsed from LaTeX or plain text. Exact and numeric evaluation live in
 * {@link Evaluation}; non-scalar answers (tuples, sets, intervals, ...) are {@link Answer}s.
 */
sealed interface Expr {
  /** A literal; {@code inexact} marks decimals, which compare by Math-Verify's rounding rule. */
  record Num(Rational value, boolean inexact) implements Expr {
    @Override
    public String toString() {
      return value.toString();
    }
  }

  record Sym(String name) implements Expr {
    @Override
    public String toString() {
      return name;
    }
  }

  /** {@code pi}, {@code e} or {@code inf}. */
  record Const(String name) implements Expr {
    @Override
    public String toString() {
      return name;
    }
  }

  record Add(List<Expr> terms) implements Expr {
    @Override
    public String toString() {
      return "(" + String.join(" + ", terms.stream().map(String::valueOf).toList()) + ")";
    }
  }

  record Mul(List<Expr> factors) implements Expr {
    @Override
    public String toString() {
      return "(" + String.join(" * ", factors.stream().map(String::valueOf).toList()) + ")";
    }
  }

  record Div(Expr num, Expr den) implements Expr {
    @Override
    public String toString() {
      return "(" + num + " / " + den + ")";
    }
  }

  record Neg(Expr arg) implements Expr {
    @Override
    public String toString() {
      return "-" + arg;
    }
  }

  record Pow(Expr base, Expr exp) implements Expr {
    @Override
    public String toString() {
      return "(" + base + ")^(" + exp + ")";
    }
  }

  /** The real {@code n}-th root (odd roots of negatives are negative). */
  record Root(Expr arg, int n) implements Expr {
    @Override
    public String toString() {
      return "root" + n + "(" + arg + ")";
    }
  }

  /** sin, cos, ..., ln, log, exp, abs, floor, ceil. */
  record Func(String name, Expr arg) implements Expr {
    @Override
    public String toString() {
      return name + "(" + arg + ")";
    }
  }

  record Factorial(Expr arg) implements Expr {
    @Override
    public String toString() {
      return "(" + arg + ")!";
    }
  }

  /** {@code a ± b}; an answer holding one stands for the set of both signs. */
  record PlusMinus(Expr left, Expr right) implements Expr {
    @Override
    public String toString() {
      return "(" + left + " ± " + right + ")";
    }
  }

  static Expr num(long n) {
    return new Num(Rational.of(n), false);
  }
}
