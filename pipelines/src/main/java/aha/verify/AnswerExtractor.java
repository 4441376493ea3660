package aha.verify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the final answer in a completion, in Math-Verify's order: the last {@code \boxed{}} (or a
 * "final answer is ... I hope" sentence, whichever ends later), then {@code <answer>} tags, then
 * "final answer ... is", then text after the word "answer", then the rightmost LaTeX formula,
 * expression or number. Within a step the rightmost candidate that parses wins.
 */
final class AnswerExtractor {
  /** What was found: parsed answers (usually one) and the raw text of the first candidate. */
  record Extraction(List<Answer> answers, String raw) {
    static final Extraction NONE = new Extraction(List.of(), null);

    boolean parsed() {
      return !answers.isEmpty();
    }
  }

  /** Candidate span in the text and the LaTeX or plain math inside it. */
  private record Candidate(
      int start, int end, String content, boolean percent, boolean latex, Answer fixed) {
    Candidate(int start, int end, String content, boolean percent, boolean latex) {
      this(start, end, content, percent, latex, null);
    }
  }

  private static final int PLAIN_TAIL = 4096;
  private static final int MAX_CANDIDATES = 24;
  private static final String CURRENCY = "$€£¥₹₽₪₩₫฿";

  /** An expression with at least one operator, as Math-Verify's plain-expression pattern. */
  private static final Pattern EXPRESSION =
      Pattern.compile(
          "(?:^|\\s|=)(?:\\*\\*)?"
              + "(?<expr>[-+]?\\(?-?\\d[\\d.\\s+\\-*×/^()÷]*[+\\-*×/^()÷][\\d.\\s+\\-*×/^()÷]+\\)?)"
              + "(?<epct>\\s*(?:%|[Pp]ercentage|[Pp]ercent|[Pp]ct))?"
              + "(?:\\*\\*)?(?=\\.|,|:|\\s|\\)|\\$|$)");

  /** A number: thousands separators, decimal point or comma, currency before, percent after. */
  private static final Pattern NUMBER =
      Pattern.compile(
          "(?:^|\\s|=)(?:\\*\\*)?["
              + Pattern.quote(CURRENCY)
              + "]?(?<!\\d)(?:(?<int1>-?[1-9]\\d{0,2}(?:[ ,]\\d{3})+)(?<dec1>\\.\\d+)?"
              + "|(?<int2>-?\\d+)(?<dec2>[.,]\\d+)|(?<dec3>\\.\\d+)|(?<int3>-?\\d+))"
              + "(?<pct>\\s*(?:%|[Pp]ercent|\\s*[Pp]ercentage|\\s*[Pp]ct))?");

  private static final Pattern UNESCAPED_DOLLAR = Pattern.compile("(?<!\\\\)\\$");
  private static final Pattern THOUSANDS_NUMBER =
      Pattern.compile("-?[1-9]\\d{0,2}(?:[ ,]\\d{3})+(?:\\.\\d+)?");

  /** Two words in a row: a sentence rather than a formula. */
  private static final Pattern PROSE =
      Pattern.compile("(?<![\\\\A-Za-z])[A-Za-z]{2,}\\s+[A-Za-z]{2,}");

  private final Budget budget;
  private final List<int[]> failedLatex = new ArrayList<>();
  private String firstRaw;
  private boolean requireAnchor;

  private AnswerExtractor(Budget budget) {
    this.budget = budget;
  }

  /** Gold answers are usually bare LaTeX ({@code \frac{14}{3}}): read whole when undelimited. */
  static Extraction extractGold(String gold, Budget budget) {
    String g = gold.strip();
    boolean delimited =
        UNESCAPED_DOLLAR.matcher(g).find()
            || g.contains("\\[")
            || g.contains("\\(")
            || g.contains("\\boxed")
            || g.contains("\\fbox")
            || g.contains("<answer>");
    if (!delimited && g.length() <= Budget.MAX_ANSWER_CHARS) {
      if (THOUSANDS_NUMBER.matcher(g).matches()) {
        // "7,425,000" and "1 000" are one number, not a list
        String digits = g.replace(",", "").replace(" ", "");
        try {
          Answer a =
              new Answer.Scalar(new Expr.Num(Rational.parseDecimal(digits), digits.contains(".")));
          return new Extraction(List.of(a), g);
        } catch (NumberFormatException | Budget.TooLarge e) {
          return Extraction.NONE;
        }
      }
      // a sentence such as "The answer is 5" goes through extraction; a broken formula does not
      if (!PROSE.matcher(g).find()) {
        try {
          return new Extraction(List.of(LatexParser.parse(g, budget)), g);
        } catch (LatexParser.ParseException e) {
          return new Extraction(List.of(), g);
        }
      }
    }
    return extract(gold, budget);
  }

  static Extraction extract(String text, Budget budget) {
    return extract(text, false, budget);
  }

  /** With {@code requireAnchor}, the last step (any formula or number) is skipped. */
  static Extraction extract(String text, boolean requireAnchor, Budget budget) {
    AnswerExtractor e = new AnswerExtractor(budget);
    e.requireAnchor = requireAnchor;
    return e.run(text, true);
  }

  private Extraction run(String text, boolean allowTags) {
    // step 1: boxed, or "final answer is X. I hope", whichever ends later
    int hopeEnd = finalAnswerEnd(text, true);
    Extraction boxed = boxed(text, hopeEnd);
    if (boxed.parsed()) return boxed;
    if (hopeEnd >= 0) {
      Extraction fa = finalAnswer(text);
      if (fa.parsed()) return fa;
    }
    // step 2: <answer> ... </answer>
    if (allowTags) {
      Extraction tagged = answerTag(text);
      if (tagged.parsed()) return tagged;
    }
    // step 3: "final answer ... is"
    Extraction fa = finalAnswer(text);
    if (fa.parsed()) return fa;
    // step 4: after the word "answer"
    Extraction aw = afterAnswerWord(text);
    if (aw.parsed()) return aw;
    // step 5: rightmost formula, expression or number
    if (requireAnchor && allowTags) return new Extraction(List.of(), firstRaw);
    Extraction plain = plain(text, 0, text.length());
    if (plain.parsed()) return plain;
    return new Extraction(List.of(), firstRaw);
  }

  // ---- step 1: boxed

  private Extraction boxed(String text, int mustEndAfter) {
    int from = text.length();
    for (int attempt = 0; attempt < 8; attempt++) {
      budget.check();
      int[] last = boxedBefore(text, from, 0);
      if (last == null) return Extraction.NONE;
      from = last[0];
      if (last[2] < mustEndAfter) return Extraction.NONE; // the final-answer sentence is later
      // boxes joined by "and", commas or spacing form one answer: \boxed{-2} and \boxed{1}
      List<int[]> group = new ArrayList<>(List.of(last));
      while (group.size() < 6) {
        int[] head = group.get(0);
        int[] prev = boxedBefore(text, head[0], Math.max(0, head[0] - CONJUNCTION_WINDOW));
        if (prev == null || !onlySeparators(text, prev[2] + 1, head[0])) break;
        group.add(0, prev);
      }
      List<Answer> parts = new ArrayList<>();
      boolean ok = true;
      for (int[] s : group) {
        String content = text.substring(s[1], s[2]);
        if (firstRaw == null && s == last) firstRaw = content;
        Answer a = tryParse(content, percentAfterFormula(text, s[2] + 1));
        if (a == null) {
          ok = false;
          break;
        }
        if (a instanceof Answer.FiniteSet fs && group.size() > 1) parts.addAll(fs.items());
        else parts.add(a);
      }
      if (ok) {
        return new Extraction(
            List.of(parts.size() == 1 ? parts.get(0) : new Answer.FiniteSet(parts)), firstRaw);
      }
    }
    return Extraction.NONE;
  }

  private static final int CONJUNCTION_WINDOW = 400;

  /**
   * The last {@code \boxed}/{@code \fbox} starting in [floor, before) with a readable argument, as
   * {commandStart, contentStart, contentEnd}; scans backwards so the usual case (one box near the
   * end) costs little.
   */
  private int[] boxedBefore(String text, int before, int floor) {
    for (int i = before - 1; i >= floor; i--) {
      if (text.charAt(i) != '\\') continue;
      budget.check();
      int len = text.startsWith("boxed", i + 1) ? 6 : text.startsWith("fbox", i + 1) ? 5 : 0;
      if (len == 0) continue;
      int[] content = braced(text, i + len);
      if (content != null) return new int[] {i, content[0], content[1]};
    }
    return null;
  }

  /** Content bounds of the brace group starting at or after {@code i}; null when unbalanced. */
  private int[] braced(String text, int i) {
    int n = text.length();
    while (i < n && text.charAt(i) == ' ') i++;
    if (i >= n) return null;
    if (text.charAt(i) != '{') {
      // \boxed 5
      int j = i;
      int stop = Math.min(n, i + 64);
      while (j < stop && !Character.isWhitespace(text.charAt(j)) && text.charAt(j) != '$') j++;
      return j > i && j < stop ? new int[] {i, j} : null;
    }
    int level = 0;
    int limit = Math.min(n, i + Budget.MAX_ANSWER_CHARS);
    for (int j = i; j < limit; j++) {
      budget.check();
      char c = text.charAt(j);
      if (c == '\\') {
        j++;
      } else if (c == '{') {
        level++;
      } else if (c == '}' && --level == 0) {
        return new int[] {i + 1, j};
      }
    }
    return null;
  }

  private static boolean onlySeparators(String text, int from, int to) {
    if (from > to || to - from > 60) return false;
    String gap =
        text.substring(from, to)
            .replace("\\text{and}", ",")
            .replace("\\text{ and }", ",")
            .replace("\\quad", "")
            .replace("\\qquad", "")
            .replace("\\[", "")
            .replace("\\]", "")
            .replace("\\(", "")
            .replace("\\)", "")
            .replace("$", "")
            .replace(",", "")
            .replace("and", "")
            .replace("or", "")
            .strip();
    return gap.isEmpty();
  }

  /**
   * A percent sign counts for a box only outside its formula ({@code $\boxed{28}$ pct}); inside
   * ({@code $\boxed{10}\%$}) the box alone is the answer, as Math-Verify reads it.
   */
  private static boolean percentAfterFormula(String text, int i) {
    int n = text.length();
    while (i < n && text.charAt(i) == ' ') i++;
    if (i < n && text.charAt(i) == '$') return percentAfter(text, i);
    if (text.startsWith("\\)", i) || text.startsWith("\\]", i)) return percentAfter(text, i + 2);
    return false;
  }

  private static boolean percentAfter(String text, int i) {
    int n = text.length();
    while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '$')) i++;
    if (i >= n) return false;
    return text.charAt(i) == '%'
        || text.startsWith("\\%", i)
        || text.regionMatches(true, i, "percent", 0, 7)
        || text.regionMatches(true, i, "pct", 0, 3);
  }

  // ---- steps 1 and 3: "final answer is"

  /**
   * End of the last "final answer is" phrase, -1 if absent; with {@code hope}, only those followed
   * by "I hope" within 300 characters (Math-Verify's highest-priority pattern).
   */
  private static int finalAnswerEnd(String text, boolean hope) {
    int at = lastIndexOfIgnoreCase(text, "final answer", text.length());
    if (at < 0) return -1;
    int is = indexOfIgnoreCase(text, " is", at + 12, Math.min(text.length(), at + 112));
    if (is < 0) return -1;
    int end = is + 3;
    if (hope && indexOfIgnoreCase(text, "I hope", end, Math.min(text.length(), end + 300)) < 0) {
      return -1;
    }
    return end;
  }

  private Extraction finalAnswer(String text) {
    int end = finalAnswerEnd(text, false);
    if (end < 0) return Extraction.NONE;
    int i = end; // keep the space: plain numbers need one before them
    if (i < text.length() && text.charAt(i) == ':') i++;
    int stop = Math.min(text.length(), i + 400);
    return firstCandidate(text, i, stop);
  }

  // ---- step 2: <answer> tags

  private Extraction answerTag(String text) {
    int close = text.lastIndexOf("</answer>");
    if (close < 0) return Extraction.NONE;
    int open = text.lastIndexOf("<answer>", close);
    if (open < 0) return Extraction.NONE;
    String inner = text.substring(open + 8, close).strip();
    if (inner.isEmpty()) return Extraction.NONE;
    if (firstRaw == null) firstRaw = inner;
    if (!PROSE.matcher(inner).find()) {
      Answer whole = tryParse(inner, false);
      if (whole != null) return new Extraction(List.of(whole), inner);
    }
    Extraction e = new AnswerExtractor(budget).run(inner, false);
    if (e.parsed()) return e;
    Answer whole = tryParse(inner, false);
    return whole == null ? Extraction.NONE : new Extraction(List.of(whole), inner);
  }

  // ---- step 4: after "answer"

  private Extraction afterAnswerWord(String text) {
    int from = text.length();
    for (int tries = 0; tries < 3; tries++) {
      int at = lastIndexOfIgnoreCase(text, "answer", from);
      if (at < 0) return Extraction.NONE;
      Extraction e = firstCandidate(text, at + 6, Math.min(text.length(), at + 6 + 120));
      if (e.parsed()) return e;
      from = at;
    }
    return Extraction.NONE;
  }

  /** The first formula or number that starts in [from, to) (may extend past {@code to}). */
  private Extraction firstCandidate(String text, int from, int to) {
    List<Candidate> cands = candidates(text, from, Math.min(text.length(), to + 400));
    cands.removeIf(c -> c.start() >= to);
    cands.sort(Comparator.comparingInt(Candidate::start));
    for (Candidate c : cands.subList(0, Math.min(cands.size(), 4))) {
      Extraction e = attempt(text, c, cands);
      if (e.parsed()) return e;
    }
    return Extraction.NONE;
  }

  // ---- step 5: plain

  private Extraction plain(String text, int from, int to) {
    List<Candidate> cands = candidates(text, from, to);
    // rightmost end first; for equal ends the longer (earlier start) first
    cands.sort(
        Comparator.comparingInt(Candidate::end).reversed().thenComparingInt(Candidate::start));
    int tried = 0;
    for (Candidate c : cands) {
      if (tried++ >= MAX_CANDIDATES) break;
      Extraction e = attempt(text, c, cands);
      if (e.parsed()) return e;
    }
    return Extraction.NONE;
  }

  private Extraction attempt(String text, Candidate c, List<Candidate> all) {
    budget.check();
    if (!c.latex()) {
      for (int[] f : failedLatex) {
        if (c.start() < f[1] && c.end() > f[0]) return Extraction.NONE;
      }
    }
    if (firstRaw == null) firstRaw = c.content();
    Answer a = c.fixed() != null ? c.fixed() : tryParse(c.content(), c.percent());
    if (a == null) {
      if (c.latex()) failedLatex.add(new int[] {c.start(), c.end()});
      return Extraction.NONE;
    }
    if (c.latex()) {
      List<Candidate> joined = conjunction(text, c, all);
      if (joined.size() > 1) {
        List<Answer> items = new ArrayList<>();
        for (Candidate j : joined) {
          Answer x = j == c ? a : tryParse(j.content(), j.percent());
          if (x == null) return new Extraction(List.of(a), c.content());
          if (x instanceof Answer.FiniteSet fs) items.addAll(fs.items());
          else items.add(x);
        }
        return new Extraction(List.of(new Answer.FiniteSet(items)), c.content());
      }
    }
    return new Extraction(List.of(a), c.content());
  }

  /** Formulas joined by "and", "or" or commas ("$12$ and $13$") form one answer, up to six. */
  private List<Candidate> conjunction(String text, Candidate c, List<Candidate> all) {
    List<Candidate> latex = new ArrayList<>();
    for (Candidate x : all) if (x.latex()) latex.add(x);
    latex.sort(Comparator.comparingInt(Candidate::start));
    int k = latex.indexOf(c);
    if (k < 0) return List.of(c);
    int lo = k;
    int hi = k;
    while (lo > 0 && hi - lo < 5 && joinedBy(text, latex.get(lo - 1), latex.get(lo))) lo--;
    while (hi + 1 < latex.size() && hi - lo < 5 && joinedBy(text, latex.get(hi), latex.get(hi + 1)))
      hi++;
    return latex.subList(lo, hi + 1);
  }

  private static boolean joinedBy(String text, Candidate a, Candidate b) {
    if (b.start() < a.end() || b.start() - a.end() > 12) return false;
    String gap = text.substring(a.end(), b.start()).strip();
    return gap.equals(",")
        || gap.equals("and")
        || gap.equals(", and")
        || gap.equals("or")
        || gap.equals(", or");
  }

  private List<Candidate> candidates(String text, int from, int to) {
    List<Candidate> out = new ArrayList<>();
    latexEnvironments(text, from, to, out);
    int tailFrom = Math.max(from, to - PLAIN_TAIL);
    // expressions and numbers are separate patterns: "4 4/9 2" fails as an expression, 2 remains
    Matcher m = EXPRESSION.matcher(new BudgetedText(text, budget));
    m.region(tailFrom, to);
    m.useTransparentBounds(true).useAnchoringBounds(false);
    while (m.find()) {
      budget.check();
      String expr = m.group("expr");
      boolean pct = m.group("epct") != null;
      Answer mixed = mixedNumber(expr.strip(), pct);
      out.add(
          new Candidate(
              m.start("expr"), m.end("expr"), expr.replace("\n", " "), pct, false, mixed));
    }
    m = NUMBER.matcher(new BudgetedText(text, budget));
    m.region(tailFrom, to);
    m.useTransparentBounds(true).useAnchoringBounds(false);
    while (m.find()) {
      budget.check();
      String integer = first(m, "int1", "int2", "int3");
      String decimal = first(m, "dec1", "dec2", "dec3");
      String digits = integer == null ? "" : integer.replace(",", "").replace(" ", "");
      String number = digits + (decimal == null ? "" : decimal.replace(',', '.'));
      int start =
          m.start(
              integer != null
                  ? groupOf(m, "int1", "int2", "int3")
                  : groupOf(m, "dec1", "dec2", "dec3"));
      out.add(new Candidate(start, m.end(), number, m.group("pct") != null, false));
    }
    return out;
  }

  private static final Pattern MIXED =
      Pattern.compile("([+-]?)(\\d{1,3}(?: \\d{3})+|\\d+) (\\d+)/(\\d+)");

  /**
   * {@code 4 4/9} is 40/9 and {@code -4 4/9} is -40/9 (whole and fraction separated by one space,
   * not a line break); a fraction that is not proper ({@code 4 4/0}, {@code 11 7/6}) makes the
   * whole text a word, equal to nothing but itself. Null when the text is not of that shape.
   */
  static Answer mixedNumber(String text, boolean percent) {
    if (text.endsWith(".")) text = text.substring(0, text.length() - 1).strip();
    Matcher m = MIXED.matcher(text);
    if (!m.matches() || m.group(3).length() > 18 || m.group(4).length() > 18) return null;
    long num = Long.parseLong(m.group(3));
    long den = Long.parseLong(m.group(4));
    if (den == 0 || num >= den) return new Answer.Text(text);
    Rational whole = Rational.parseDecimal(m.group(2).replace(" ", ""));
    Rational value =
        whole.add(
            Rational.of(java.math.BigInteger.valueOf(num), java.math.BigInteger.valueOf(den)));
    if (m.group(1).equals("-")) value = value.negate();
    Expr e = new Expr.Num(value, false);
    return percent ? new Answer.Percent(e) : new Answer.Scalar(e);
  }

  private static String first(Matcher m, String... groups) {
    for (String g : groups) if (m.group(g) != null) return m.group(g);
    return null;
  }

  private static String groupOf(Matcher m, String... groups) {
    for (String g : groups) if (m.group(g) != null) return g;
    return groups[0];
  }

  /** $$..$$, \[..\], $..$ and \(..\) on one line, and bare \frac{n}{m}. */
  private void latexEnvironments(String text, int from, int to, List<Candidate> out) {
    int i = from;
    while (i < to) {
      budget.check();
      char c = text.charAt(i);
      if (c == '$' && (i == 0 || text.charAt(i - 1) != '\\')) {
        if (i + 1 < to && text.charAt(i + 1) == '$') {
          int close = text.indexOf("$$", i + 2);
          if (close < 0 || close >= to) return;
          add(text, out, i, i + 2, close, close + 2);
          i = close + 2;
          continue;
        }
        int close = nextUnescapedDollar(text, i + 1, to);
        if (close < 0) return;
        boolean digitBefore = i > 0 && Character.isDigit(text.charAt(i - 1));
        if (!digitBefore && !containsNewline(text, i + 1, close)) {
          add(text, out, i, i + 1, close, close + 1);
          i = close + 1;
        } else {
          i++;
        }
        continue;
      }
      if (c == '\\' && i + 1 < to) {
        char d = text.charAt(i + 1);
        if (d == '[' || d == '(') {
          String closer = d == '[' ? "\\]" : "\\)";
          int close = text.indexOf(closer, i + 2);
          if (close >= 0 && close < to && (d == '[' || !containsNewline(text, i + 2, close))) {
            add(text, out, i, i + 2, close, close + 2);
            i = close + 2;
            continue;
          }
        } else if (text.startsWith("\\frac{", i) && (i == 0 || text.charAt(i - 1) != '$')) {
          int[] num = braced(text, i + 5);
          int[] den = num == null ? null : braced(text, num[1] + 1);
          if (den != null && simpleNumber(text, num) && simpleNumber(text, den)) {
            int start = i > 0 && text.charAt(i - 1) == '-' ? i - 1 : i;
            out.add(
                new Candidate(start, den[1] + 1, text.substring(start, den[1] + 1), false, true));
            i = den[1] + 1;
            continue;
          }
        }
      }
      i++;
    }
  }

  private static boolean simpleNumber(String text, int[] span) {
    String s = text.substring(span[0], span[1]);
    return s.matches("-?\\d+(?:[.,]\\d+)?");
  }

  private static int nextUnescapedDollar(String text, int from, int to) {
    int j = from;
    while (true) {
      j = text.indexOf('$', j);
      if (j < 0 || j >= to) return -1;
      if (text.charAt(j - 1) != '\\') return j;
      j++;
    }
  }

  /** A formula spanning [start, end) whose content is [contentStart, contentEnd). */
  private static void add(
      String text, List<Candidate> out, int start, int contentStart, int contentEnd, int end) {
    if (contentEnd <= contentStart) return;
    String content = text.substring(contentStart, contentEnd);
    if (content.isBlank()) return;
    out.add(new Candidate(start, end, content, percentAfter(text, end), true));
  }

  private Answer tryParse(String content, boolean percent) {
    if (content.length() > Budget.MAX_ANSWER_CHARS) return null;
    try {
      Answer a = LatexParser.parse(content, budget);
      if (percent && a instanceof Answer.Scalar s) return new Answer.Percent(s.expr());
      return a;
    } catch (LatexParser.ParseException
        | Budget.TooLarge
        | ArithmeticException
        | NumberFormatException e) {
      return null;
    }
  }

  // ---- case-insensitive search

  private static boolean containsNewline(String text, int from, int to) {
    for (int i = from; i < to; i++) if (text.charAt(i) == '\n') return true;
    return false;
  }

  /** Case-insensitive search for an ASCII word; a cheap first-letter test keeps it fast. */
  static int lastIndexOfIgnoreCase(String text, String word, int before) {
    char first = Character.toLowerCase(word.charAt(0));
    for (int i = Math.min(before, text.length()) - word.length(); i >= 0; i--) {
      if ((text.charAt(i) | 0x20) == first && text.regionMatches(true, i, word, 0, word.length())) {
        return i;
      }
    }
    return -1;
  }

  static int indexOfIgnoreCase(String text, String word, int from, int to) {
    char first = Character.toLowerCase(word.charAt(0));
    for (int i = from; i + word.length() <= to; i++) {
      if ((text.charAt(i) | 0x20) == first && text.regionMatches(true, i, word, 0, word.length())) {
        return i;
      }
    }
    return -1;
  }

  /** Lets a regex scan of a huge string stop at the deadline. */
  private record BudgetedText(String s, Budget budget) implements CharSequence {
    @Override
    public int length() {
      return s.length();
    }

    @Override
    public char charAt(int index) {
      budget.check();
      return s.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return s.subSequence(start, end);
    }

    @Override
    public String toString() {
      return s;
    }
  }
}
