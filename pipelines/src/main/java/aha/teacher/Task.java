package aha.teacher;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A problem of one of the built-in families, read from the wording the prepare stage writes:
 *
 * <ul>
 *   <li>Countdown, long form: {@code Using the numbers [15, 44, 79], create an equation that equals
 *       50. ...}; short form: {@code Use 8 15 15 to make 9.}
 *   <li>Arithmetic: {@code Calculate 347 + 589.} with {@code +}, {@code -} or {@code *}
 *   <li>Linear equation: {@code Solve for x: 3x + 5 = 20.} (also {@code 3x - 5 = 10}, {@code -x + 4
 *       = 2}, {@code 7x = 21}, negative right-hand sides)
 * </ul>
 */
sealed interface Task {
  record Countdown(List<Integer> numbers, int target) implements Task {}

  record Arithmetic(long a, char op, long b) implements Task {}

  /** {@code a x + b = c}. */
  record Linear(long a, long b, long c) implements Task {}

  Pattern COUNTDOWN_LONG =
      Pattern.compile(
          "numbers\\s*\\[\\s*(\\d+(?:\\s*,\\s*\\d+)+)\\s*\\].*?equals\\s+(-?\\d+)",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  Pattern COUNTDOWN_SHORT =
      Pattern.compile(
          "\\bUse\\s+(\\d+(?:\\s+\\d+)+)\\s+to\\s+make\\s+(-?\\d+)", Pattern.CASE_INSENSITIVE);
  Pattern ARITHMETIC =
      Pattern.compile("Calculate\\s+(-?\\d+)\\s*([-+*×])\\s*(-?\\d+)", Pattern.CASE_INSENSITIVE);
  Pattern LINEAR =
      Pattern.compile(
          "Solve\\s+for\\s+x\\s*:\\s*(-?\\d*)\\s*x\\s*(?:([-+])\\s*(\\d+))?\\s*=\\s*(-?\\d+)",
          Pattern.CASE_INSENSITIVE);

  /** Reads the task from a problem text, or empty when it is none of the built-in families. */
  static Optional<Task> parse(String text) {
    try {
      Matcher m = LINEAR.matcher(text);
      if (m.find()) {
        String coef = m.group(1);
        long a = coef.isEmpty() ? 1 : coef.equals("-") ? -1 : Long.parseLong(coef);
        long b = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
        if ("-".equals(m.group(2))) b = -b;
        if (a == 0) return Optional.empty();
        return Optional.of(new Linear(a, b, Long.parseLong(m.group(4))));
      }
      m = COUNTDOWN_LONG.matcher(text);
      if (!m.find()) {
        m = COUNTDOWN_SHORT.matcher(text);
        if (!m.find()) m = null;
      }
      if (m != null) {
        List<Integer> numbers = new ArrayList<>();
        for (String s : m.group(1).split("[,\\s]+")) {
          if (!s.isEmpty()) numbers.add(Integer.parseInt(s));
        }
        if (numbers.size() < 2 || numbers.size() > 6) return Optional.empty();
        return Optional.of(new Countdown(List.copyOf(numbers), Integer.parseInt(m.group(2))));
      }
      m = ARITHMETIC.matcher(text);
      if (m.find()) {
        char op = m.group(2).charAt(0) == '×' ? '*' : m.group(2).charAt(0);
        long a = Long.parseLong(m.group(1));
        long b = Long.parseLong(m.group(3));
        if (Math.abs(a) > 1_000_000_000L || Math.abs(b) > 1_000_000_000L) return Optional.empty();
        return Optional.of(new Arithmetic(a, op, b));
      }
    } catch (NumberFormatException tooBig) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
