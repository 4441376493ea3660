package aha.verify;

import aha.verify.Expr.Add;
import aha.verify.Expr.Div;
import aha.verify.Expr.Mul;
import aha.verify.Expr.Neg;
import aha.verify.Expr.Num;
import aha.verify.Expr.Pow;
import aha.verify.Expr.Sym;
import java.util.Map;

/**
 * Exact complex rationals {@code re + im i}: answers that use {@code i} as the imaginary unit
 * ({@code (1+i)^2} equals {@code 2i}) are compared in Q(i) when they are rational in i and the
 * other symbols.
 */
record Gaussian(Rational re, Rational im) {
  static final Gaussian I = new Gaussian(Rational.ZERO, Rational.ONE);

  static Gaussian real(Rational r) {
    return new Gaussian(r, Rational.ZERO);
  }

  Gaussian add(Gaussian o) {
    return new Gaussian(re.add(o.re), im.add(o.im));
  }

  Gaussian negate() {
    return new Gaussian(re.negate(), im.negate());
  }

  Gaussian mul(Gaussian o) {
    return new Gaussian(re.mul(o.re).sub(im.mul(o.im)), re.mul(o.im).add(im.mul(o.re)));
  }

  Gaussian div(Gaussian o) {
    Rational norm = o.re.mul(o.re).add(o.im.mul(o.im)); // throws on division by zero
    Gaussian num = mul(new Gaussian(o.re, o.im.negate()));
    return new Gaussian(num.re.div(norm), num.im.div(norm));
  }

  Gaussian pow(int e) {
    if (Math.abs(e) > 256) throw new Budget.TooLarge();
    Gaussian r = real(Rational.ONE);
    for (int k = 0; k < Math.abs(e); k++) r = r.mul(this);
    return e >= 0 ? r : real(Rational.ONE).div(r);
  }

  /**
   * The value of {@code e} with {@code i} the imaginary unit and other symbols from env; null when
   * {@code e} is not rational in them (roots, functions, non-integer powers).
   */
  static Gaussian evaluate(Expr e, Map<String, Rational> env, Budget budget) {
    try {
      return eval(e, env, budget);
    } catch (Budget.TooLarge | ArithmeticException notExact) {
      return null;
    }
  }

  private static Gaussian eval(Expr e, Map<String, Rational> env, Budget b) {
    b.check();
    if (e instanceof Num n) return real(n.value());
    if (e instanceof Sym s) {
      if (s.name().equals("i")) return I;
      Rational v = env.get(s.name());
      return v == null ? null : real(v);
    }
    if (e instanceof Neg n) {
      Gaussian a = eval(n.arg(), env, b);
      return a == null ? null : a.negate();
    }
    if (e instanceof Add a) {
      Gaussian sum = real(Rational.ZERO);
      for (Expr t : a.terms()) {
        Gaussian v = eval(t, env, b);
        if (v == null) return null;
        sum = sum.add(v);
      }
      return sum;
    }
    if (e instanceof Mul m) {
      Gaussian prod = real(Rational.ONE);
      for (Expr f : m.factors()) {
        Gaussian v = eval(f, env, b);
        if (v == null) return null;
        prod = prod.mul(v);
      }
      return prod;
    }
    if (e instanceof Div d) {
      Gaussian n = eval(d.num(), env, b);
      Gaussian q = n == null ? null : eval(d.den(), env, b);
      return q == null ? null : n.div(q);
    }
    if (e instanceof Pow p) {
      Gaussian base = eval(p.base(), env, b);
      Rational exp = base == null ? null : Evaluation.exact(p.exp(), env, b);
      if (exp == null || !exp.isInteger() || exp.num().bitLength() > 31) return null;
      return base.pow(exp.num().intValue());
    }
    return null;
  }
}
