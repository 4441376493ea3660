package aha.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the case file of the parity check against Math-Verify ({@code make verify-parity}): one
 * {@code {"id", "gold", "prediction"}} line per case (DESIGN contract 5), where the gold is a
 * shared eval set's reference answer and the prediction an R1-style completion (the {@link
 * VerifyBenchmark} reasoning, then a final answer, boxed in most endings). Per gold answer: the
 * answer as written, two other ways of writing it ({@code \dfrac}, {@code a/b}, {@code \$18},
 * units, thousands separators, no {@code \left}, {@code x = }, ...), up to two near misses (a digit
 * off, sign flipped, fraction inverted, tuple swapped) and another problem's answer. The id says
 * which: {@code math500/0042/eq-dfrac}, {@code gsm8k/0007/miss-digit}. MATH-500 golds also get
 * their reference solution, written after the thinking as R1 writes its summary ({@code
 * eq-reference-solution}).
 *
 * <p>Usage: {@code ParityCases --shared DIR --output FILE [--gsm8k N] [--seed S]}.
 */
public final class ParityCases {
  private static final Pattern INTEGER = Pattern.compile("-?\\d+");
  private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+");
  private static final Pattern FRACTION =
      Pattern.compile("(-?)\\\\[dt]?frac\\{(\\d+)\\}\\{(\\d+)\\}");
  private static final Pattern CHOICE = Pattern.compile("\\\\text\\{\\(([A-E])\\)\\}");
  private static final Pattern PAIR =
      Pattern.compile("(\\\\left)?\\(\\s*([^,()]+),\\s*([^,()]+?)\\s*(\\\\right)?\\)");

  /** A reference answer, where it comes from, and the reference solution ("" when none). */
  record Gold(String id, String answer, String solution) {}

  /** One line of the case file. */
  record Case(String id, String gold, String prediction) {}

  private ParityCases() {}

  public static void main(String[] args) throws IOException {
    String shared = System.getProperty("aha.shared.dir", System.getenv("AHA_SHARED_DIR"));
    Path output = null;
    int gsm8k = 400;
    long seed = 2025;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--shared":
          shared = args[++i];
          break;
        case "--output":
          output = Path.of(args[++i]);
          break;
        case "--gsm8k":
          gsm8k = Integer.parseInt(args[++i]);
          break;
        case "--seed":
          seed = Long.parseLong(args[++i]);
          break;
        default:
          throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (shared == null || output == null) {
      throw new IllegalArgumentException("usage: ParityCases --shared DIR --output FILE");
    }
    List<Case> cases = build(load(Path.of(shared), gsm8k), seed);
    write(cases, output);
    System.err.printf("ParityCases: %d cases -> %s%n", cases.size(), output);
  }

  /** MATH-500, the first {@code gsm8k} GSM8K test rows, AIME 2024 and 2025, AMC 2023. */
  static List<Gold> load(Path shared, int gsm8k) throws IOException {
    List<Gold> out = new ArrayList<>();
    read(shared.resolve("datasets/math500/test.jsonl"), "math500", Integer.MAX_VALUE, out);
    read(shared.resolve("datasets/gsm8k/test.jsonl"), "gsm8k", gsm8k, out);
    read(shared.resolve("datasets/aime2024/test.jsonl"), "aime2024", Integer.MAX_VALUE, out);
    read(shared.resolve("datasets/aime2025/test.jsonl"), "aime2025", Integer.MAX_VALUE, out);
    read(shared.resolve("datasets/amc2023/test.jsonl"), "amc2023", Integer.MAX_VALUE, out);
    return out;
  }

  private static void read(Path file, String set, int limit, List<Gold> out) throws IOException {
    ObjectMapper json = new ObjectMapper();
    int n = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank() || n >= limit) continue;
      var row = json.readTree(line);
      String solution =
          set.equals("math500") && row.has("solution") ? row.get("solution").asText() : "";
      out.add(new Gold(String.format("%s/%04d", set, n++), row.get("answer").asText(), solution));
    }
  }

  /** Deterministic for a seed: the same golds give the same cases. */
  static List<Case> build(List<Gold> golds, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Case> out = new ArrayList<>();
    for (Gold g : golds) {
      List<String[]> picked = new ArrayList<>();
      List<String[]> same = equivalents(g.answer());
      picked.add(same.get(0));
      for (int k = 0; k < 3 && same.size() > 1; k++)
        picked.add(same.remove(1 + rnd.nextInt(same.size() - 1)));
      List<String[]> misses = nearMisses(g.answer());
      for (int k = 0; k < 2 && !misses.isEmpty(); k++)
        picked.add(misses.remove(rnd.nextInt(misses.size())));
      Gold other = golds.get(rnd.nextInt(golds.size()));
      if (!other.answer().equals(g.answer())) picked.add(new String[] {"other", other.answer()});
      if (!g.solution().isEmpty()) {
        // the reference solution as the summary after the thinking: real prose, the box inside it
        String prediction =
            VerifyBenchmark.reasoning(rnd, 2_000 + rnd.nextInt(10_000)) + g.solution();
        out.add(new Case(g.id() + "/eq-reference-solution", g.answer(), prediction));
      }
      for (String[] kindAndText : picked) {
        String prediction =
            VerifyBenchmark.reasoning(rnd, 2_000 + rnd.nextInt(10_000))
                + ending(rnd, kindAndText[1]);
        out.add(new Case(g.id() + "/" + kindAndText[0], g.answer(), prediction));
      }
    }
    return out;
  }

  /** How R1 ends: mostly a display box after "Final Answer", sometimes inline, rarely no box. */
  static String ending(SplittableRandom rnd, String answer) {
    int r = rnd.nextInt(20);
    if (r < 10) return "**Final Answer**\n\\[\n\\boxed{" + answer + "}\n\\]";
    if (r < 14) return "The final answer is $\\boxed{" + answer + "}$.";
    if (r < 17) return "Therefore, the answer is \\(\\boxed{" + answer + "}\\).";
    if (r < 19) return "\\boxed{" + answer + "}";
    return "**Answer:** $" + answer + "$";
  }

  /** The answer as written first, then other ways of writing the same value: {kind, text}. */
  static List<String[]> equivalents(String a) {
    List<String[]> out = new ArrayList<>();
    out.add(new String[] {"eq-exact", a});
    if (INTEGER.matcher(a).matches()) {
      out.add(new String[] {"eq-dollar", "\\$" + a});
      out.add(new String[] {"eq-unit", a + "\\text{ units}"});
      out.add(new String[] {"eq-decimal", a + ".0"});
      out.add(new String[] {"eq-assign", "x = " + a});
      out.add(new String[] {"eq-text-unit", a + "\\,\\text{cm}"});
      out.add(new String[] {"eq-text-number", "\\text{" + a + "}"});
      BigInteger n = new BigInteger(a);
      if (n.abs().compareTo(BigInteger.valueOf(1000)) >= 0) {
        String grouped = String.format("%,d", n);
        out.add(new String[] {"eq-thousands", grouped});
        out.add(new String[] {"eq-thousands-brace", grouped.replace(",", "{,}")});
      }
    }
    if (DECIMAL.matcher(a).matches()) out.add(new String[] {"eq-trailing-zero", a + "0"});
    Matcher f = FRACTION.matcher(a);
    if (f.matches()) {
      out.add(new String[] {"eq-slash", f.group(1) + f.group(2) + "/" + f.group(3)});
      if (!f.group(1).isEmpty()) {
        out.add(
            new String[] {"eq-neg-numerator", "\\frac{-" + f.group(2) + "}{" + f.group(3) + "}"});
      }
      BigDecimal p = new BigDecimal(f.group(2));
      BigDecimal q = new BigDecimal(f.group(3));
      try {
        out.add(new String[] {"eq-decimal", f.group(1) + p.divide(q).toPlainString()});
      } catch (ArithmeticException nonTerminating) {
        // 1/3 = 0.333333 under Math-Verify's rule: both sides rounded to 6 places
        BigDecimal six = p.divide(q, 6, java.math.RoundingMode.HALF_EVEN);
        out.add(new String[] {"eq-rounded", f.group(1) + six.toPlainString()});
        BigDecimal two = p.divide(q, 2, java.math.RoundingMode.HALF_EVEN);
        out.add(new String[] {"eq-approx", a + " \\approx " + f.group(1) + two.toPlainString()});
      }
    }
    boolean relation =
        a.contains("=")
            || a.contains("\\in")
            || a.contains("<")
            || a.contains("\\le")
            || a.contains("\\ge");
    if (!relation && !a.contains("\\text") && !a.contains(",") && !INTEGER.matcher(a).matches()) {
      out.add(new String[] {"eq-assign", "x = " + a});
    }
    List<String> terms = topLevel(a, '+');
    if (terms.size() == 2 && !relation && !a.contains(",")) {
      out.add(new String[] {"eq-swapped-sum", terms.get(1).trim() + " + " + terms.get(0).trim()});
    }
    List<String> items = topLevel(a, ',');
    boolean thousands = a.contains(",\\!") || a.matches("-?\\d{1,3}(,\\d{3})+");
    if (items.size() > 1
        && !relation
        && !thousands
        && !a.startsWith("(")
        && !a.startsWith("[")
        && !a.startsWith("\\left")) {
      List<String> reversed = new ArrayList<>(items);
      java.util.Collections.reverse(reversed);
      out.add(
          new String[] {
            "eq-reordered-list", String.join(", ", reversed.stream().map(String::trim).toList())
          });
    }
    if (a.contains("\\frac")) out.add(new String[] {"eq-dfrac", a.replace("\\frac", "\\dfrac")});
    if (a.contains("\\left") || a.contains("\\right")) {
      out.add(new String[] {"eq-no-left-right", a.replace("\\left", "").replace("\\right", "")});
    }
    Matcher c = CHOICE.matcher(a);
    if (c.matches()) {
      out.add(new String[] {"eq-letter", c.group(1)});
      out.add(new String[] {"eq-textbf", "\\textbf{(" + c.group(1) + ")}"});
    }
    if (a.contains("^\\circ")) {
      out.add(new String[] {"eq-no-degree", a.replace("^\\circ", "")});
      out.add(new String[] {"eq-degree-braced", a.replace("^\\circ", "^{\\circ}")});
    }
    if (a.contains(", ")) out.add(new String[] {"eq-no-space", a.replace(", ", ",")});
    else if (a.contains(",")
        && !a.contains(",\\!")
        && !INTEGER.matcher(a.replace(",", "")).matches()) {
      out.add(new String[] {"eq-space", a.replace(",", ", ")});
    }
    if (a.matches(".*\\d\\\\sqrt.*"))
      out.add(new String[] {"eq-cdot", a.replaceAll("(\\d)\\\\sqrt", "$1 \\\\cdot \\\\sqrt")});
    if (a.contains("+") && !a.contains(" + "))
      out.add(new String[] {"eq-spaced", a.replace("+", " + ")});
    return out;
  }

  /** Answers close to {@code a} in writing but of another value: {kind, text}. */
  static List<String[]> nearMisses(String a) {
    List<String[]> out = new ArrayList<>();
    if (INTEGER.matcher(a).matches()) {
      BigInteger n = new BigInteger(a);
      out.add(new String[] {"miss-plus-one", n.add(BigInteger.ONE).toString()});
      if (n.signum() != 0) {
        out.add(new String[] {"miss-times-ten", n.multiply(BigInteger.TEN).toString()});
        out.add(new String[] {"miss-sign", n.negate().toString()});
      }
      return out;
    }
    int last = -1;
    for (int i = a.length() - 1; i >= 0 && last < 0; i--) {
      // not an exponent of a unit (15\mbox{ cm}^2)
      if (Character.isDigit(a.charAt(i)) && (i == 0 || a.charAt(i - 1) != '^')) last = i;
    }
    if (last >= 0) {
      char d = (char) ('0' + (a.charAt(last) - '0' + 1) % 10);
      String changed = a.substring(0, last) + d + a.substring(last + 1);
      // "10" -> "11" is a miss, but "\frac{1}{10}" -> "\frac{1}{11}" too: any digit change is
      if (!changed.equals(a)) out.add(new String[] {"miss-digit", changed});
    }
    // a forgotten root or pi: 2\sqrt{3} -> 2(3), 2\pi -> 2, \frac{\pi}{2} -> \frac{1}{2}
    if (a.contains("\\sqrt{")) {
      out.add(new String[] {"miss-no-sqrt", a.replaceFirst("\\\\sqrt\\{([^{}]*)\\}", "($1)")});
    }
    if (a.contains("\\pi")) {
      String noPi = a.replaceFirst("(?<=[0-9}])\\\\pi", "");
      out.add(new String[] {"miss-no-pi", noPi.equals(a) ? a.replaceFirst("\\\\pi", "1") : noPi});
    }
    if (a.startsWith("-")) out.add(new String[] {"miss-sign", a.substring(1)});
    else if (!a.startsWith("\\text")
        && !a.startsWith("(")
        && !a.startsWith("\\left")
        && !a.startsWith("[")) {
      out.add(new String[] {"miss-sign", "-" + a});
    }
    Matcher f = FRACTION.matcher(a);
    if (f.matches()) {
      BigDecimal two =
          new BigDecimal(f.group(2))
              .divide(new BigDecimal(f.group(3)), 2, java.math.RoundingMode.HALF_EVEN);
      if (two.multiply(new BigDecimal(f.group(3))).compareTo(new BigDecimal(f.group(2))) != 0) {
        out.add(new String[] {"miss-rounded", f.group(1) + two.toPlainString()});
      }
    }
    if (f.matches() && !f.group(2).equals(f.group(3))) {
      out.add(
          new String[] {
            "miss-inverted", f.group(1) + "\\frac{" + f.group(3) + "}{" + f.group(2) + "}"
          });
    }
    Matcher p = PAIR.matcher(a);
    if (p.matches() && !p.group(2).trim().equals(p.group(3).trim())) {
      out.add(new String[] {"miss-swapped", "(" + p.group(3) + ", " + p.group(2) + ")"});
    }
    return out;
  }

  /** Splits {@code s} at {@code sep} outside braces, brackets and parentheses. */
  static List<String> topLevel(String s, char sep) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '{' || ch == '(' || ch == '[') depth++;
      else if (ch == '}' || ch == ')' || ch == ']') depth--;
      else if (ch == sep && depth == 0 && i > 0) {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(s.substring(start));
    return parts;
  }

  /** Writes the cases to a temporary name beside {@code output}, then renames it. */
  static void write(List<Case> cases, Path output) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Path dir = output.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + output.getFileName() + ".", ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      for (Case c : cases) {
        ObjectNode o = json.createObjectNode();
        o.put("id", c.id()).put("gold", c.gold()).put("prediction", c.prediction());
        w.write(json.writeValueAsString(o));
        w.newLine();
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
