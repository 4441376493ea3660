package aha.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits LaTeX or plain math into tokens, dropping what never changes a value: spacing commands,
 * {@code \left}/{@code \right}, degree marks, dollar signs, unit words after numbers.
 */
final class LatexLexer {
  enum Kind {
    NUM,
    LETTER,
    CMD,
    TEXT,
    OP,
    EOF
  }

  record Token(Kind kind, String text) {
    boolean is(String op) {
      return (kind == Kind.OP || kind == Kind.CMD) && text.equals(op);
    }
  }

  static final class LexException extends Exception {
    LexException(String m) {
      super(m, null, false, false);
    }
  }

  private static final Set<String> SKIPPED_COMMANDS =
      Set.of(
          "left",
          "right",
          "big",
          "Big",
          "bigg",
          "Bigg",
          "bigl",
          "bigr",
          "Bigl",
          "Bigr",
          "biggl",
          "biggr",
          "Biggl",
          "Biggr",
          "displaystyle",
          "textstyle",
          "limits",
          "quad",
          "qquad",
          "boxed",
          "fbox",
          "circ",
          "degree",
          "degrees",
          "nonumber",
          "notag",
          "hfill",
          "phantom",
          "middle",
          "mathdollar",
          "dollar",
          "cr");
  private static final Set<String> TEXT_COMMANDS =
      Set.of(
          "text",
          "textbf",
          "textit",
          "textrm",
          "textnormal",
          "textsf",
          "texttt",
          "mbox",
          "hbox",
          "mathrm",
          "mathbf",
          "mathit",
          "mathsf",
          "mathtt",
          "operatorname",
          "emph",
          "textup");
  private static final Set<String> BOLD_COMMANDS = Set.of("textbf", "mathbf", "bf");
  private static final Set<String> PLAIN_FUNCTIONS =
      Set.of(
          "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh",
          "tanh", "ln", "log", "exp", "sqrt", "pi", "infty", "inf");

  /** Words dropped after a number: units, currencies and the like, as Math-Verify's units pass. */
  static final Set<String> UNIT_WORDS =
      Set.of(
          "cm",
          "mm",
          "km",
          "m",
          "meter",
          "meters",
          "metre",
          "metres",
          "inch",
          "inches",
          "in",
          "ft",
          "feet",
          "foot",
          "yard",
          "yards",
          "mile",
          "miles",
          "mph",
          "kg",
          "g",
          "gram",
          "grams",
          "lb",
          "lbs",
          "pound",
          "pounds",
          "oz",
          "ounce",
          "ounces",
          "sec",
          "second",
          "seconds",
          "min",
          "minute",
          "minutes",
          "hour",
          "hours",
          "hr",
          "hrs",
          "day",
          "days",
          "week",
          "weeks",
          "month",
          "months",
          "year",
          "years",
          "degree",
          "degrees",
          "deg",
          "cent",
          "cents",
          "dollar",
          "dollars",
          "euro",
          "euros",
          "units",
          "unit",
          "sq",
          "square",
          "cubic",
          "liter",
          "liters",
          "litre",
          "litres",
          "ml",
          "gallon",
          "gallons",
          "percent",
          "percentage",
          "pct",
          "people",
          "students",
          "ways",
          "points",
          "point",
          "apples",
          "boxes",
          "items");

  private final String s;
  private int i;
  private int depth;
  private final List<Token> out = new ArrayList<>();
  private final Budget budget;

  private LatexLexer(String s, Budget budget) {
    this.s = s;
    this.budget = budget;
  }

  static List<Token> lex(String s, Budget budget) throws LexException {
    LatexLexer l = new LatexLexer(s, budget);
    l.run();
    return l.out;
  }

  private void run() throws LexException {
    int n = s.length();
    while (i < n) {
      budget.check();
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || c == '$' || c == '~' || c == '°') {
        i++;
      } else if (c == '\\') {
        backslash();
      } else if (c >= '0' && c <= '9' || (c == '.' && i + 1 < n && isDigit(s.charAt(i + 1)))) {
        number();
      } else if (isAsciiLetter(c)) {
        letters();
      } else {
        symbol(c);
      }
    }
    out.add(new Token(Kind.EOF, ""));
  }

  private void backslash() throws LexException {
    int n = s.length();
    if (i + 1 >= n) {
      i++;
      return;
    }
    char d = s.charAt(i + 1);
    if (!isAsciiLetter(d)) {
      i += 2;
      switch (d) {
        case '\\':
          out.add(op("\\\\"));
          break;
        case '{':
          depth++;
          out.add(op("\\{"));
          break;
        case '}':
          depth--;
          out.add(op("\\}"));
          break;
        case '%':
          out.add(op("%"));
          break;
        case '|':
          out.add(op("|"));
          break;
        default: // \, \; \: \! \  \$ \( \) \[ \] and the like carry no value
          break;
      }
      return;
    }
    int start = ++i;
    while (i < n && isAsciiLetter(s.charAt(i))) i++;
    String name = s.substring(start, i);
    if (SKIPPED_COMMANDS.contains(name)) {
      if (name.equals("left")
          || name.equals("right")
          || name.startsWith("big")
          || name.startsWith("Big")
          || name.equals("middle")) {
        if (i < n && s.charAt(i) == '.') i++; // \left. and \right. are invisible
      }
      if (name.equals("phantom")) group(); // \phantom{...} takes space, adds nothing
      return;
    }
    if (TEXT_COMMANDS.contains(name)) {
      int groupStart = i;
      String content = group();
      if (content != null
          && BOLD_COMMANDS.contains(name)
          && content.chars().anyMatch(Character::isDigit)) {
        i = groupStart; // \textbf{(113)} is formatting around a value: lex the braces as a group
        return;
      }
      if (content == null) return;
      String word = content.trim().toLowerCase(java.util.Locale.ROOT);
      if (word.equals("and") || word.equals("or")) out.add(op(","));
      else if (word.equals("%") || word.equals("\\%")) out.add(op("%"));
      else out.add(new Token(Kind.TEXT, content.trim()));
      return;
    }
    switch (name) {
      case "dfrac":
      case "tfrac":
      case "cfrac":
      case "frac":
        out.add(cmd("frac"));
        bareDigits(2);
        return;
      case "sqrt":
        out.add(cmd("sqrt"));
        bareDigits(1);
        return;
      case "cdot":
      case "times":
      case "ast":
        out.add(op("*"));
        return;
      case "div":
        out.add(op("/"));
        return;
      case "pm":
        out.add(op("±"));
        return;
      case "mp":
        out.add(op("∓"));
        return;
      case "le":
      case "leq":
      case "leqslant":
        out.add(op("<="));
        return;
      case "ge":
      case "geq":
      case "geqslant":
        out.add(op(">="));
        return;
      case "ne":
      case "neq":
        out.add(op("!="));
        return;
      case "lt":
        out.add(op("<"));
        return;
      case "gt":
        out.add(op(">"));
        return;
      case "approx":
      case "simeq":
      case "thickapprox":
        out.add(op("≈"));
        return;
      case "to":
      case "rightarrow":
      case "Rightarrow":
      case "implies":
      case "Longrightarrow":
      case "longrightarrow":
        out.add(op("⇒"));
        return;
      case "lbrace":
        depth++;
        out.add(op("\\{"));
        return;
      case "rbrace":
        depth--;
        out.add(op("\\}"));
        return;
      case "lvert":
      case "rvert":
      case "vert":
      case "mid":
        out.add(op("|"));
        return;
      case "langle":
        out.add(op("("));
        return;
      case "rangle":
        out.add(op(")"));
        return;
      case "percent":
        out.add(op("%"));
        return;
      default:
        out.add(cmd(name));
    }
  }

  /** {@code \frac13} and {@code \sqrt2}: LaTeX takes single digits as arguments. */
  private void bareDigits(int count) {
    int j = i;
    while (j < s.length() && s.charAt(j) == ' ') j++;
    for (int k = 0; k < count && j < s.length() && isDigit(s.charAt(j)); k++) {
      out.add(new Token(Kind.NUM, String.valueOf(s.charAt(j))));
      j++;
      if (k == 0 && count == 2) {
        while (j < s.length() && s.charAt(j) == ' ') j++;
        if (j < s.length() && !isDigit(s.charAt(j))) {
          i = j;
          return;
        }
      }
    }
    i = j;
  }

  private String group() throws LexException {
    int n = s.length();
    while (i < n && Character.isWhitespace(s.charAt(i))) i++;
    if (i >= n || s.charAt(i) != '{') return null;
    int level = 0;
    int start = i + 1;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
        continue;
      }
      if (c == '{') level++;
      else if (c == '}' && --level == 0) {
        i++;
        return s.substring(start, i - 1);
      }
    }
    throw new LexException("unbalanced braces");
  }

  private void number() {
    int n = s.length();
    int start = i;
    while (i < n && isDigit(s.charAt(i))) i++;
    // thousands separators, only outside brackets so that (1,234) stays a point
    if (depth == 0 && i - start <= 3 && i - start > 0) {
      // "1,000,000" or "1 000 000" (one separator kind throughout)
      char sep = i < n && (s.charAt(i) == ',' || s.charAt(i) == ' ') ? s.charAt(i) : 0;
      while (sep != 0 && i + 3 < n && s.charAt(i) == sep && threeDigits(i + 1)) i += 4;
    }
    if (i + 1 < n && s.charAt(i) == '.' && isDigit(s.charAt(i + 1))) {
      i++;
      while (i < n && isDigit(s.charAt(i))) i++;
    }
    // scientific notation written as 1.5e-3 (only when digits follow the e)
    if (i + 1 < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < n && (s.charAt(j) == '-' || s.charAt(j) == '+')) j++;
      int digits = j;
      while (j < n && isDigit(s.charAt(j))) j++;
      if (j > digits && j - digits <= 3 && (j >= n || !isAsciiLetter(s.charAt(j)))) i = j;
    }
    out.add(new Token(Kind.NUM, s.substring(start, i).replace(",", "").replace(" ", "")));
  }

  private boolean threeDigits(int j) {
    return j + 2 < s.length()
        && isDigit(s.charAt(j))
        && isDigit(s.charAt(j + 1))
        && isDigit(s.charAt(j + 2))
        && (j + 3 >= s.length() || !isDigit(s.charAt(j + 3)));
  }

  private void letters() {
    int n = s.length();
    int start = i;
    while (i < n && isAsciiLetter(s.charAt(i))) i++;
    String word = s.substring(start, i);
    if (word.length() == 1) {
      out.add(new Token(Kind.LETTER, word));
      return;
    }
    String lower = word.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("and") || lower.equals("or")) {
      out.add(op(","));
    } else if (PLAIN_FUNCTIONS.contains(word)) {
      out.add(cmd(word));
    } else if (UNIT_WORDS.contains(lower) && afterOperand()) {
      // "5 cm", "28 percent": the unit word carries no value
      if (lower.startsWith("percent") || lower.equals("pct")) out.add(op("%"));
    } else {
      for (int k = 0; k < word.length(); k++) {
        out.add(new Token(Kind.LETTER, String.valueOf(word.charAt(k))));
      }
    }
  }

  private boolean afterOperand() {
    if (out.isEmpty()) return false;
    Token t = out.get(out.size() - 1);
    return t.kind() == Kind.NUM
        || t.kind() == Kind.LETTER
        || t.is(")")
        || t.is("}")
        || t.kind() == Kind.TEXT;
  }

  private void symbol(char c) {
    int n = s.length();
    char next = i + 1 < n ? s.charAt(i + 1) : 0;
    i++;
    switch (c) {
      case '<':
        if (next == '=') {
          i++;
          out.add(op("<="));
        } else out.add(op("<"));
        return;
      case '>':
        if (next == '=') {
          i++;
          out.add(op(">="));
        } else out.add(op(">"));
        return;
      case '!':
        if (next == '=') {
          i++;
          out.add(op("!="));
        } else out.add(op("!"));
        return;
      case '*':
        if (next == '*') {
          i++;
          out.add(op("^"));
        } else out.add(op("*"));
        return;
      case '(':
      case '[':
      case '{':
        depth++;
        out.add(op(String.valueOf(c)));
        return;
      case ')':
      case ']':
      case '}':
        depth--;
        out.add(op(String.valueOf(c)));
        return;
      case '×':
      case '·':
      case '⋅':
        out.add(op("*"));
        return;
      case '÷':
        out.add(op("/"));
        return;
      case '−':
      case '–':
        out.add(op("-"));
        return;
      case '≤':
        out.add(op("<="));
        return;
      case '≥':
        out.add(op(">="));
        return;
      case '≠':
        out.add(op("!="));
        return;
      case '≈':
        out.add(op("≈"));
        return;
      case '±':
        out.add(op("±"));
        return;
      case 'π':
        out.add(cmd("pi"));
        return;
      case '∞':
        out.add(cmd("infty"));
        return;
      case '√':
        out.add(cmd("sqrt"));
        return;
      case '∪':
        out.add(cmd("cup"));
        return;
      case '€':
      case '£':
      case '¥':
      case '₹':
      case '²':
      case '³':
        if (c == '²' || c == '³') {
          out.add(op("^"));
          out.add(new Token(Kind.NUM, c == '²' ? "2" : "3"));
        }
        return;
      default:
        out.add(op(String.valueOf(c)));
    }
  }

  private static Token op(String t) {
    return new Token(Kind.OP, t);
  }

  private static Token cmd(String t) {
    return new Token(Kind.CMD, t);
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
