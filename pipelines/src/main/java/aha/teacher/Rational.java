package aha.teacher;

/**
 * An exact fraction in lowest terms with a positive denominator (Countdown needs exact division).
 */
record Rational(long num, long den) implements Comparable<Rational> {
  Rational {
    if (den == 0) throw new ArithmeticException("zero denominator");
    if (den < 0) {
      num = -num;
      den = -den;
    }
    long g = gcd(Math.abs(num), den);
    if (g > 1) {
      num /= g;
      den /= g;
    }
  }

  static Rational of(long n) {
    return new Rational(n, 1);
  }

  static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a == 0 ? 1 : a;
  }

  boolean isInteger() {
    return den == 1;
  }

  boolean isZero() {
    return num == 0;
  }

  Rational plus(Rational o) {
    return new Rational(
        Math.addExact(Math.multiplyExact(num, o.den), Math.multiplyExact(o.num, den)),
        Math.multiplyExact(den, o.den));
  }

  Rational minus(Rational o) {
    return plus(new Rational(-o.num, o.den));
  }

  Rational times(Rational o) {
    return new Rational(Math.multiplyExact(num, o.num), Math.multiplyExact(den, o.den));
  }

  Rational dividedBy(Rational o) {
    return new Rational(Math.multiplyExact(num, o.den), Math.multiplyExact(den, o.num));
  }

  double toDouble() {
    return (double) num / den;
  }

  @Override
  public int compareTo(Rational o) {
    return Long.compare(Math.multiplyExact(num, o.den), Math.multiplyExact(o.num, den));
  }

  @Override
  public String toString() {
    return den == 1 ? Long.toString(num) : num + "/" + den;
  }
}
