package aha.verify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Countdown: the answer is an equation over the given numbers, each used exactly once, with only
 * {@code + - * /} and parentheses, whose exact rational value equals the target.
 *
 * <p>The equation is the content of the last {@code <answer>...</answer>}, else of the last {@code
 * \boxed{}}, else the whole completion. A trailing {@code = target} is allowed ({@code (6+4)*5 =
 * 50}). {@code \times}, {@code \cdot}, {@code ×} and {@code ÷} count as {@code *} and {@code /}.
 * Division is exact: {@code 7/2} is 7/2, not 3.
 */
public final class CountdownVerifier {
  private static final int MAX_EQUATION_CHARS = 1000;
  private static final Pattern ALLOWED = Pattern.compile("[0-9+\\-*/()\\s]+");
  private static final Pattern NUMBER = Pattern.compile("\\d+");

  /** Verifies the completion's equation against the puzzle. */
  public Verdict verify(List<Long> numbers, long target, String completion) {
    if (numbers == null || numbers.isEmpty()) return Verdict.unscorable("no numbers given");
    if (completion == null) return Verdict.wrong("no equation found");
    String eq = equation(completion);
    if (eq == null || eq.isBlank()) return Verdict.wrong("no equation found");
    if (eq.length() > MAX_EQUATION_CHARS) return Verdict.wrong("equation too long");
    eq =
        eq.replace("\\times", "*")
            .replace("\\cdot", "*")
            .replace("\\div", "/")
            .replace('×', '*')
            .replace('÷', '/')
            .replace('−', '-')
            .replace("$", "")
            .replace("\\left", "")
            .replace("\\right", "")
            .replace("\\(", "")
            .replace("\\)", "");
    if (eq.indexOf('=') >= 0) {
      String[] sides = eq.split("=", -1);
      if (sides.length != 2) return Verdict.wrong("more than one '=' in the equation");
      String lhs = sides[0].strip();
      String rhs = sides[1].strip();
      if (isTarget(rhs, target)) eq = lhs;
      else if (isTarget(lhs, target)) eq = rhs;
      else return Verdict.wrong("neither side of the equation is the target");
    }
    if (!ALLOWED.matcher(eq).matches()) {
      return Verdict.wrong("only numbers, + - * / and parentheses are allowed");
    }
    List<Long> used = new ArrayList<>();
    Matcher m = NUMBER.matcher(eq);
    while (m.find()) {
      if (m.group().length() > 18) return Verdict.wrong("number too large");
      used.add(Long.parseLong(m.group()));
    }
    List<Long> want = new ArrayList<>(numbers);
    Collections.sort(used);
    Collections.sort(want);
    if (!used.equals(want)) {
      return Verdict.wrong("uses " + used + " but must use each of " + want + " exactly once");
    }
    Rational value;
    try {
      value = new Arithmetic(eq).parse();
    } catch (ArithmeticException e) {
      return Verdict.wrong("division by zero");
    } catch (IllegalArgumentException e) {
      return Verdict.wrong("malformed equation: " + e.getMessage());
    }
    if (value.compareTo(Rational.of(target)) == 0) return Verdict.correct("reaches the target");
    return Verdict.wrong("evaluates to " + value + ", not " + target);
  }

  private static boolean isTarget(String side, long target) {
    return side.matches("-?\\d{1,18}") && Long.parseLong(side) == target;
  }

  /** The equation inside the completion, as described in the class comment. */
  static String equation(String completion) {
    int close = completion.lastIndexOf("</answer>");
    if (close >= 0) {
      int open = completion.lastIndexOf("<answer>", close);
      if (open >= 0) return completion.substring(open + 8, close).strip();
    }
    int boxed = completion.lastIndexOf("\\boxed{");
    if (boxed >= 0) {
      int level = 0;
      for (int i = boxed + 6; i < completion.length(); i++) {
        char c = completion.charAt(i);
        if (c == '{') level++;
        else if (c == '}' && --level == 0) return completion.substring(boxed + 7, i).strip();
      }
      return null;
    }
    return completion.strip();
  }

  /** Exact evaluation of + - * / and parentheses; unary minus allowed. */
  private static final class Arithmetic {
    private final String s;
    private int i;
    private int depth;

    Arithmetic(String s) {
      this.s = s;
    }

    Rational parse() {
      Rational r = sum();
      skip();
      if (i != s.length()) throw new IllegalArgumentException("unexpected '" + s.charAt(i) + "'");
      return r;
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private Rational sum() {
      Rational r = product();
      while (true) {
        skip();
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
          char op = s.charAt(i++);
          Rational b = product();
          r = op == '+' ? r.add(b) : r.sub(b);
        } else {
          return r;
        }
      }
    }

    private Rational product() {
      Rational r = unary();
      while (true) {
        skip();
        if (i < s.length() && (s.charAt(i) == '*' || s.charAt(i) == '/')) {
          char op = s.charAt(i++);
          Rational b = unary();
          r = op == '*' ? r.mul(b) : r.div(b);
        } else {
          return r;
        }
      }
    }

    private Rational unary() {
      skip();
      if (i < s.length() && s.charAt(i) == '-') {
        i++;
        return unary().negate();
      }
      return atom();
    }

    private Rational atom() {
      skip();
      if (i >= s.length()) throw new IllegalArgumentException("expression ends early");
      char c = s.charAt(i);
      if (c == '(') {
        if (++depth > 200) throw new IllegalArgumentException("nested too deeply");
        i++;
        Rational r = sum();
        skip();
        if (i >= s.length() || s.charAt(i) != ')') throw new IllegalArgumentException("unclosed (");
        i++;
        depth--;
        return r;
      }
      int start = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
      if (start == i) throw new IllegalArgumentException("unexpected '" + c + "'");
      return Rational.of(Long.parseLong(s.substring(start, i)));
    }
  }
}
