package aha.teacher;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Solves Countdown by a search a small student can imitate: combine a pair of numbers in a fixed
 * order (pairs left to right; operations {@code + - * /}, larger number first for {@code -} and
 * {@code /}), then try the last step with what is left, and stop at the first hit. Every pair is
 * narrated as one short line with the nearest result ("15+44=59, 79-59=20, too small."), so the
 * trace is the search itself rather than random guesses followed by an oracle answer. Exact integer
 * steps are tried first; only when none works does a second pass allow fractions.
 */
final class CountdownSolver {
  /** Lines narrated before the teacher stops listing failures (a 4+ number search is long). */
  static final int MAX_NARRATED_FAILURES = 12;

  private static final char[] OPS = {'+', '-', '*', '/'};

  private CountdownSolver() {}

  /** A number with the expression that made it. */
  record Item(Rational value, String expr, boolean compound) {
    String wrapped() {
      return compound ? "(" + expr + ")" : expr;
    }
  }

  /** One narrated attempt: the steps down to two numbers, then the best last step. */
  record Line(List<String> steps, Item left, Item right, char op, Rational result, boolean hit) {}

  /** All attempts in search order up to and including the first hit (or all of them). */
  static List<Line> search(List<Integer> numbers, int target, boolean fractions) {
    List<Item> items = new ArrayList<>();
    for (int n : numbers) items.add(new Item(Rational.of(n), Integer.toString(n), false));
    List<Line> out = new ArrayList<>();
    walk(items, new ArrayList<>(), Rational.of(target), fractions, out);
    return out;
  }

  private static boolean walk(
      List<Item> items, List<String> steps, Rational target, boolean fractions, List<Line> out) {
    if (out.size() > 20_000) return true; // enough: give up quietly on absurd inputs
    if (items.size() == 1) {
      boolean hit = items.get(0).value().equals(target);
      out.add(new Line(steps, items.get(0), items.get(0), '=', items.get(0).value(), hit));
      return hit;
    }
    if (items.size() == 2) {
      Line best = null;
      for (char op : ops(fractions)) {
        Item r = combine(items.get(0), items.get(1), op, fractions);
        if (r == null) continue;
        boolean hit = r.value().equals(target);
        Line line = lineFor(steps, items.get(0), items.get(1), op, r.value(), hit);
        if (hit) {
          out.add(line);
          return true;
        }
        if (best == null || distance(r.value(), target) < distance(best.result(), target)) {
          best = line;
        }
      }
      if (best != null) out.add(best);
      return false;
    }
    java.util.Set<String> triedPairs = new java.util.HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      for (int j = i + 1; j < items.size(); j++) {
        // equal values make equal attempts (8 15 15): narrate each pair of values once
        Rational vi = items.get(i).value();
        Rational vj = items.get(j).value();
        String pairKey = vi.compareTo(vj) <= 0 ? vi + "," + vj : vj + "," + vi;
        if (!triedPairs.add(pairKey)) continue;
        for (char op : ops(fractions)) {
          Item r = combine(items.get(i), items.get(j), op, fractions);
          if (r == null) continue;
          List<Item> rest = new ArrayList<>(items);
          rest.remove(j);
          rest.set(i, r);
          List<String> next = new ArrayList<>(steps);
          next.add(stepText(items.get(i), items.get(j), op, r.value()));
          if (walk(rest, next, target, fractions, out)) return true;
        }
      }
    }
    return false;
  }

  private static Line lineFor(
      List<String> steps, Item x, Item y, char op, Rational result, boolean hit) {
    Item[] ab = operands(x, y, op);
    return new Line(steps, ab[0], ab[1], printed(op), result, hit);
  }

  private static double distance(Rational a, Rational b) {
    return Math.abs(a.toDouble() - b.toDouble());
  }

  /** Operations to try: the fraction pass adds "smaller / larger" (written with '/'). */
  private static char[] ops(boolean fractions) {
    return fractions ? new char[] {'+', '-', '*', '/', SMALL_OVER_LARGE} : OPS;
  }

  private static final char SMALL_OVER_LARGE = '\\';

  private static char printed(char op) {
    return op == SMALL_OVER_LARGE ? '/' : op;
  }

  /** The operands in written order: larger first for - and /, smaller first for small/large. */
  private static Item[] operands(Item x, Item y, char op) {
    int cmp = x.value().compareTo(y.value());
    boolean swap = ((op == '-' || op == '/') && cmp < 0) || (op == SMALL_OVER_LARGE && cmp > 0);
    return swap ? new Item[] {y, x} : new Item[] {x, y};
  }

  /** {@code x op y} in written order; null when not allowed in this pass. */
  static Item combine(Item x, Item y, char op, boolean fractions) {
    Item[] ab = operands(x, y, op);
    Item a = ab[0];
    Item b = ab[1];
    Rational v;
    switch (op) {
      case '+':
        v = a.value().plus(b.value());
        break;
      case '-':
        v = a.value().minus(b.value());
        break;
      case '*':
        v = a.value().times(b.value());
        break;
      default:
        if (b.value().isZero()) return null;
        v = a.value().dividedBy(b.value());
        if (!v.isInteger() && !fractions) return null;
    }
    return new Item(v, a.wrapped() + printed(op) + b.wrapped(), true);
  }

  static String stepText(Item x, Item y, char op, Rational v) {
    Item[] ab = operands(x, y, op);
    return ab[0].value() + String.valueOf(printed(op)) + ab[1].value() + "=" + v;
  }

  static String expression(Line line) {
    if (line.op() == '=') return line.left().expr();
    return line.left().wrapped() + line.op() + line.right().wrapped();
  }

  static String verdict(Line line, int target) {
    if (line.hit()) return ". Yes!";
    return line.result().compareTo(Rational.of(target)) > 0 ? ", too big." : ", too small.";
  }

  static String lastStep(Line line) {
    if (line.op() == '=') return "";
    return line.left().value()
        + String.valueOf(line.op())
        + line.right().value()
        + "="
        + line.result();
  }

  static String text(Line line, int target) {
    List<String> parts = new ArrayList<>(line.steps());
    String last = lastStep(line);
    if (!last.isEmpty()) parts.add(last);
    String body = String.join(", ", parts);
    return body + verdict(line, target);
  }

  /** Narrates the search for one completion. */
  static Narration solve(Task.Countdown task, Narration.Style style) {
    List<Integer> numbers = new ArrayList<>(task.numbers());
    // a warmer sample may start from another order of the numbers: a different, equally honest path
    if (style.temperature() > 0 && style.rng().nextDouble() < Math.min(1.0, style.temperature())) {
      Collections.shuffle(numbers, style.rng());
    }
    int target = task.target();
    boolean fractions = false;
    List<Line> lines = search(numbers, target, false);
    if (lines.isEmpty() || !lines.get(lines.size() - 1).hit()) {
      List<Line> second = search(numbers, target, true);
      if (!second.isEmpty() && second.get(second.size() - 1).hit()) {
        fractions = true;
        lines = second;
      }
    }
    boolean solved = !lines.isEmpty() && lines.get(lines.size() - 1).hit();
    StringBuilder r = new StringBuilder();
    if (style.verbosity() >= 2) {
      r.append("Numbers ").append(joined(numbers)).append(", target ").append(target).append(". ");
    }
    if (!solved) {
      appendFailures(r, lines, lines.size(), target, style);
      r.append("Nothing works, so I cannot make ").append(target).append(" with these numbers.");
      return new Narration(r.toString().strip(), "no solution");
    }
    int hitIndex = lines.size() - 1;
    Line hit = lines.get(hitIndex);
    Slip slip = style.slip();
    if (slip == Slip.UNCAUGHT && hitIndex == 0) slip = Slip.WRONG_FINAL;
    if (slip == Slip.UNCAUGHT) {
      // believe a near miss: a wrong last step claimed to hit the target
      int m = style.verbosity() == 0 ? hitIndex - 1 : style.rng().nextInt(hitIndex);
      Line wrong = lines.get(m);
      if (style.verbosity() > 0) appendFailures(r, lines, m, target, style);
      List<String> parts = new ArrayList<>(wrong.steps());
      if (wrong.op() != '=') {
        parts.add(
            wrong.left().value()
                + String.valueOf(wrong.op())
                + wrong.right().value()
                + "="
                + target);
      }
      r.append(String.join(", ", parts)).append(". Yes!");
      return new Narration(r.toString().strip(), expression(wrong));
    }
    if (style.verbosity() > 0) {
      if (fractions) {
        appendFailures(r, search(numbers, target, false), Integer.MAX_VALUE, target, style);
        r.append("Wait, maybe a fraction helps. ");
      }
      appendFailures(r, lines, hitIndex, target, style);
      if (hitIndex > 0) r.append("Wait, ");
    }
    String hitText = text(hit, target);
    if (slip == Slip.CAUGHT && !hit.steps().isEmpty()) {
      // miscompute the first step, then notice it
      String first = hit.steps().get(0);
      String value = first.substring(first.indexOf('=') + 1);
      String wrongValue = offByOne(value, style);
      r.append(first, 0, first.indexOf('=') + 1).append(wrongValue).append("? No, ");
    } else if (slip == Slip.CAUGHT) {
      String last = lastStep(hit);
      r.append(last, 0, last.indexOf('=') + 1)
          .append(offByOne(hit.result().toString(), style))
          .append("? No, ");
    }
    r.append(hitText);
    String answer = expression(hit);
    if (style.verbosity() >= 2) {
      r.append(" Check: ").append(answer).append("=").append(target).append(", each number once.");
    }
    if (slip == Slip.WRONG_FINAL) answer = wrongFinal(hit, target, answer);
    return new Narration(r.toString().strip(), answer);
  }

  private static void appendFailures(
      StringBuilder r, List<Line> lines, int count, int target, Narration.Style style) {
    int shown = 0;
    int limit = Math.min(count, lines.size());
    for (int i = 0; i < limit; i++) {
      if (lines.get(i).hit()) break;
      if (shown == MAX_NARRATED_FAILURES) {
        r.append("None of these work, let me keep going. ");
        // the rest of the failures are searched but not narrated, to keep the trace short
        break;
      }
      r.append(text(lines.get(i), target)).append(' ');
      shown++;
    }
  }

  private static String offByOne(String value, Narration.Style style) {
    if (value.contains("/")) return value + "+1";
    long v = Long.parseLong(value);
    long w = style.rng().nextBoolean() || v == 0 ? v + 1 : v - 1;
    return Long.toString(w);
  }

  /** The right line with its last operation swapped: the answer written down wrongly. */
  private static String wrongFinal(Line hit, int target, String answer) {
    if (hit.op() == '=') return answer + "+1";
    for (char op : OPS) {
      if (op == hit.op()) continue;
      Rational v = apply(hit.left().value(), op, hit.right().value());
      if (v != null && !v.equals(Rational.of(target))) {
        return hit.left().wrapped() + op + hit.right().wrapped();
      }
    }
    return answer + "+1";
  }

  /** {@code x op y} as written (no reordering); null for a division by zero. */
  static Rational apply(Rational x, char op, Rational y) {
    switch (op) {
      case '+':
        return x.plus(y);
      case '-':
        return x.minus(y);
      case '*':
        return x.times(y);
      default:
        return y.isZero() ? null : x.dividedBy(y);
    }
  }

  private static String joined(List<Integer> numbers) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < numbers.size(); i++) {
      if (i > 0) s.append(i == numbers.size() - 1 ? " and " : ", ");
      s.append(numbers.get(i));
    }
    return s.toString();
  }
}
