package aha.teacher;

/**
 * Multi-digit arithmetic narrated column by column (addition with carries, subtraction with
 * borrows, multiplication by partial products), then checked by the inverse operation. A slip is
 * one wrong column or partial product; a caught slip fails the check and is redone.
 */
final class ArithmeticSolver {
  private ArithmeticSolver() {}

  /**
   * The narrated working and its result. The methods that make one take {@code fault}, the column
   * (or partial product) that slips by {@code delta}; a negative fault means no slip.
   */
  private record Work(String text, long result) {}

  static Narration solve(Task.Arithmetic task, Narration.Style style) {
    long a = task.a();
    long b = task.b();
    char op = task.op();
    long right = exact(a, op, b);
    StringBuilder r = new StringBuilder();
    if (style.verbosity() >= 2) r.append("I need ").append(a).append(op).append(b).append(". ");
    if (a < 0 || b < 0) {
      // signed operands: no column narration, just the result and its check
      r.append(a).append(op).append(b).append('=').append(right).append('.');
      return new Narration(r.toString(), Long.toString(right));
    }
    Slip slip = style.slip();
    boolean slipped = slip == Slip.CAUGHT || slip == Slip.UNCAUGHT;
    int columns = Math.max(digits(a), digits(b));
    int fault = slipped ? style.rng().nextInt(op == '*' ? Math.max(1, digits(b)) : columns) : -1;
    int delta = style.rng().nextBoolean() ? 1 : -1;
    Work first = work(a, op, b, fault, delta);
    if (first.result() == right) { // the slip cancelled out (rare): treat as no slip
      slipped = false;
      first = work(a, op, b, -1, 0);
    }
    r.append(first.text());
    long answer = first.result();
    if (slipped && slip == Slip.CAUGHT) {
      r.append(" Check: ")
          .append(check(a, op, b, answer))
          .append(", not ")
          .append(op == '*' ? answer : a)
          .append(". Wait, that's wrong. Let me redo it. ");
      Work again = work(a, op, b, -1, 0);
      r.append(again.text());
      answer = again.result();
    }
    if (style.verbosity() >= 1 && !(slipped && slip == Slip.UNCAUGHT)) {
      r.append(" Check: ").append(check(a, op, b, answer)).append(". Yes.");
    }
    if (slip == Slip.WRONG_FINAL) answer = answer + (style.rng().nextBoolean() ? 10 : -10);
    return new Narration(r.toString().strip(), Long.toString(answer));
  }

  static long exact(long a, char op, long b) {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      default:
        return a * b;
    }
  }

  /** The inverse-operation check as narrated, e.g. {@code 936-589=347}. */
  private static String check(long a, char op, long b, long result) {
    switch (op) {
      case '+':
        return result + "-" + b + "=" + (result - b);
      case '-':
        return result + "+" + b + "=" + (result + b);
      default:
        return b + "*" + a + "=" + (a * b);
    }
  }

  private static Work work(long a, char op, long b, int fault, int delta) {
    switch (op) {
      case '+':
        return add(a, b, fault, delta);
      case '-':
        if (a < b) {
          Work w = subtract(b, a, fault, delta);
          return new Work(
              a
                  + " is smaller than "
                  + b
                  + ", so I compute "
                  + b
                  + "-"
                  + a
                  + " and make it negative. "
                  + w.text()
                  + " So "
                  + a
                  + "-"
                  + b
                  + "="
                  + (-w.result())
                  + ".",
              -w.result());
        }
        Work w = subtract(a, b, fault, delta);
        return new Work(w.text() + " So " + a + "-" + b + "=" + w.result() + ".", w.result());
      default:
        return multiply(a, b, fault, delta);
    }
  }

  private static Work add(long a, long b, int fault, int delta) {
    StringBuilder t = new StringBuilder();
    int columns = Math.max(digits(a), digits(b));
    long carry = 0;
    long result = 0;
    long place = 1;
    for (int i = 0; i < columns; i++) {
      long da = digit(a, i);
      long db = digit(b, i);
      long s = da + db + carry;
      if (i == fault) s = Math.max(0, s + delta);
      t.append(da).append('+').append(db);
      if (carry > 0) t.append('+').append(carry);
      t.append('=').append(s);
      if (i < columns - 1) {
        t.append(", write ").append(s % 10);
        if (s >= 10) t.append(" carry ").append(s / 10);
        t.append(". ");
        result += (s % 10) * place;
        carry = s / 10;
      } else {
        t.append(". ");
        result += s * place;
      }
      place *= 10;
    }
    t.append("So ").append(a).append('+').append(b).append('=').append(result).append('.');
    return new Work(t.toString(), result);
  }

  /** {@code a - b} with {@code a >= b >= 0}. */
  private static Work subtract(long a, long b, int fault, int delta) {
    StringBuilder t = new StringBuilder();
    int columns = digits(a);
    long borrow = 0;
    long result = 0;
    long place = 1;
    for (int i = 0; i < columns; i++) {
      long da = digit(a, i) - borrow;
      long db = digit(b, i);
      long d;
      if (da < db) {
        d = da + 10 - db;
        t.append(da)
            .append('-')
            .append(db)
            .append(" needs a borrow: ")
            .append(da + 10)
            .append('-')
            .append(db)
            .append('=');
        borrow = 1;
      } else {
        d = da - db;
        t.append(da).append('-').append(db).append('=');
        borrow = 0;
      }
      if (i == fault) d = Math.floorMod(d + delta, 10);
      t.append(d).append(i < columns - 1 ? ". " : ".");
      result += d * place;
      place *= 10;
    }
    return new Work(t.toString(), result);
  }

  private static Work multiply(long a, long b, int fault, int delta) {
    StringBuilder t = new StringBuilder();
    long sum = 0;
    long place = 1;
    boolean firstPartial = true;
    String sums = "";
    for (int i = 0; i < Math.max(1, digits(b)); i++, place *= 10) {
      long d = digit(b, i);
      if (d == 0 && digits(b) > 1) continue;
      long partial = a * d * place;
      if (i == fault) partial = Math.max(0, partial + delta * place);
      t.append(a).append('*').append(d * place).append('=').append(partial).append(". ");
      if (firstPartial) {
        sum = partial;
        firstPartial = false;
      } else {
        sums += sum + "+" + partial + "=" + (sum + partial) + ". ";
        sum += partial;
      }
    }
    t.append(sums);
    t.append("So ").append(a).append('*').append(b).append('=').append(sum).append('.');
    return new Work(t.toString(), sum);
  }

  static int digits(long v) {
    return Long.toString(Math.abs(v)).length();
  }

  static long digit(long v, int i) {
    for (int k = 0; k < i; k++) v /= 10;
    return v % 10;
  }
}
