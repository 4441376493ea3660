package aha.verify;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/** Exact rational number in lowest terms with a positive denominator; sizes bounded by Budget. */
record Rational(BigInteger num, BigInteger den) implements Comparable<Rational> {
  static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
  static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);
  static final Rational HUNDRED = of(100);

  static Rational of(long n) {
    return new Rational(BigInteger.valueOf(n), BigInteger.ONE);
  }

  static Rational of(BigInteger n, BigInteger d) {
    if (d.signum() == 0) throw new ArithmeticException("division by zero");
    if (d.signum() < 0) {
      n = n.negate();
      d = d.negate();
    }
    BigInteger g = n.gcd(d);
    if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
      n = n.divide(g);
      d = d.divide(g);
    }
    if (n.bitLength() > Budget.MAX_BITS || d.bitLength() > Budget.MAX_BITS) {
      throw new Budget.TooLarge();
    }
    return new Rational(n, d);
  }

  /** Parses a plain decimal such as {@code 12}, {@code -0.25}, {@code .5} or {@code 1.5e-3}. */
  static Rational parseDecimal(String s) {
    BigDecimal d = new BigDecimal(s);
    if (Math.abs((long) d.scale()) > 400) throw new Budget.TooLarge();
    if (d.scale() <= 0) return of(d.toBigIntegerExact(), BigInteger.ONE);
    return of(d.unscaledValue(), BigInteger.TEN.pow(d.scale()));
  }

  boolean isInteger() {
    return den.equals(BigInteger.ONE);
  }

  int signum() {
    return num.signum();
  }

  Rational add(Rational o) {
    return of(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
  }

  Rational sub(Rational o) {
    return add(o.negate());
  }

  Rational mul(Rational o) {
    return of(num.multiply(o.num), den.multiply(o.den));
  }

  Rational div(Rational o) {
    return of(num.multiply(o.den), den.multiply(o.num));
  }

  Rational negate() {
    return new Rational(num.negate(), den);
  }

  /** Integer power; refuses exponents whose result would exceed the bit budget. */
  Rational pow(int e) {
    if (e == 0) return ONE;
    long bits = (long) Math.max(num.bitLength(), den.bitLength()) * Math.abs((long) e);
    if (bits > Budget.MAX_BITS) throw new Budget.TooLarge();
    Rational r = of(num.pow(Math.abs(e)), den.pow(Math.abs(e)));
    return e > 0 ? r : ONE.div(r);
  }

  /** Exact n-th root when it exists (e.g. sqrt(9/4) = 3/2), else null. */
  Rational root(int n) {
    if (n <= 0 || (num.signum() < 0 && n % 2 == 0)) return null;
    if (n == 1) return this;
    if (n > 64) return num.abs().equals(den) || num.signum() == 0 ? this : null; // only 0, ±1
    BigInteger a = iroot(num.abs(), n);
    BigInteger b = iroot(den, n);
    if (a == null || b == null) return null;
    return of(num.signum() < 0 ? a.negate() : a, b);
  }

  private static BigInteger iroot(BigInteger x, int n) {
    if (x.signum() == 0) return x;
    if (n == 2) {
      BigInteger r = x.sqrt();
      return r.multiply(r).equals(x) ? r : null;
    }
    BigInteger r = BigInteger.valueOf(Math.round(Math.pow(x.doubleValue(), 1.0 / n)));
    for (int d = -1; d <= 1; d++) {
      BigInteger c = r.add(BigInteger.valueOf(d));
      if (c.signum() >= 0 && c.pow(n).equals(x)) return c;
    }
    return null;
  }

  double toDouble() {
    if (num.bitLength() < 1000 && den.bitLength() < 1000) {
      return num.doubleValue() / den.doubleValue();
    }
    return new BigDecimal(num).divide(new BigDecimal(den), MathContext.DECIMAL64).doubleValue();
  }

  /** Rounds to {@code places} decimals, half-up, as Math-Verify's float rounding does. */
  BigDecimal round(int places) {
    return new BigDecimal(num).divide(new BigDecimal(den), places, RoundingMode.HALF_UP);
  }

  @Override
  public int compareTo(Rational o) {
    return num.multiply(o.den).compareTo(o.num.multiply(den));
  }

  @Override
  public String toString() {
    return isInteger() ? num.toString() : num + "/" + den;
  }
}
