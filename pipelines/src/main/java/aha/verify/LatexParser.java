package aha.verify;

import aha.verify.Answer.Chain;
import aha.verify.Answer.FiniteSet;
import aha.verify.Answer.Interval;
import aha.verify.Answer.Matrix;
import aha.verify.Answer.Percent;
import aha.verify.Answer.Relation;
import aha.verify.Answer.Scalar;
import aha.verify.Answer.Text;
import aha.verify.Answer.Tuple;
import aha.verify.Answer.Union;
import aha.verify.Expr.Add;
import aha.verify.Expr.Const;
import aha.verify.Expr.Div;
import aha.verify.Expr.Factorial;
import aha.verify.Expr.Func;
import aha.verify.Expr.Mul;
import aha.verify.Expr.Neg;
import aha.verify.Expr.Num;
import aha.verify.Expr.PlusMinus;
import aha.verify.Expr.Pow;
import aha.verify.Expr.Root;
import aha.verify.Expr.Sym;
import aha.verify.LatexLexer.Kind;
import aha.verify.LatexLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recursive-descent parser from LaTeX (or plain math) to an {@link Answer}.
 *
 * <p>Grammar, loosest first: list ({@code ,} {@code and}) > union ({@code \cup}) > relation chain
 * ({@code = < \le \in \approx}) > sum ({@code + - \pm}) > product (explicit or implicit) > unary
 * minus > power > postfix ({@code ! _ \%} units) > atom.
 */
final class LatexParser {
  static final class ParseException extends Exception {
    ParseException(String m) {
      super(m, null, false, false);
    }
  }

  private static final Set<String> FUNCTIONS =
      Set.of(
          "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh",
          "tanh", "ln", "log", "exp");
  private static final Set<String> TRANSPARENT =
      Set.of(
          "overline",
          "vec",
          "hat",
          "bar",
          "widehat",
          "tilde",
          "overrightarrow",
          "mathbb",
          "mathcal",
          "underline",
          "dot",
          "ddot",
          "bm",
          "boldsymbol",
          "mathring",
          "check");
  private static final Set<String> MATRIX_ENVS =
      Set.of("pmatrix", "bmatrix", "matrix", "vmatrix", "Bmatrix", "smallmatrix", "array");
  private static final Set<String> RELATIONS = Set.of("=", "<", "<=", ">", ">=", "!=", "≈");

  private final List<Token> toks;
  private final Budget budget;
  private int pos;
  private int depth;

  private LatexParser(List<Token> toks, Budget budget) {
    this.toks = toks;
    this.budget = budget;
  }

  /** Parses a whole string; throws when any of it is not understood. */
  static Answer parse(String latex, Budget budget) throws ParseException {
    if (latex.length() > Budget.MAX_ANSWER_CHARS) throw new ParseException("answer too long");
    List<Token> toks;
    try {
      toks = LatexLexer.lex(normalize(latex), budget);
    } catch (LatexLexer.LexException e) {
      throw new ParseException(e.getMessage());
    }
    LatexParser p = new LatexParser(toks, budget);
    // sentence punctuation written inside the math: "$\frac{1}{3}.$", but not an ellipsis
    int last = p.toks.size() - 2;
    if (last >= 0
        && isTrailingPunct(p.toks.get(last))
        && !(last > 0 && p.toks.get(last - 1).is("."))) {
      p.toks.remove(last);
    }
    if (p.peek().kind() == Kind.EOF) throw new ParseException("empty");
    Answer a = p.list(Kind.EOF, null);
    if (p.peek().kind() != Kind.EOF) throw new ParseException("unexpected " + p.peek().text());
    return a;
  }

  /** A number written with {@code ,\!}, {@code {,}} or {@code \,} between groups of three. */
  private static final Pattern THOUSANDS =
      Pattern.compile("(?<!\\d)\\d{1,3}(?:(?:,\\\\!\\s*|\\{,\\}|\\\\,)\\d{3})+(?!\\d)");

  private static final Pattern SEPARATOR = Pattern.compile(",\\\\!\\s*|\\{,\\}|\\\\,");

  /** Rewrites the few multi-character spellings the lexer cannot see token by token. */
  static String normalize(String latex) {
    String s = latex;
    if (s.contains("circ")) {
      s = s.replace("^{\\circ}", "").replace("^\\circ", "").replace("^{\\circ }", "");
    }
    if (s.contains("\\!") || s.contains("{,}") || s.contains("\\,")) {
      // 10,\!080 and 14{,}916 are thousands separators
      s = THOUSANDS.matcher(s).replaceAll(m -> SEPARATOR.matcher(m.group()).replaceAll(""));
      s = s.replace("\\!", "").replace("{,}", ",");
    }
    return s;
  }

  private static boolean isTrailingPunct(Token t) {
    return t.kind() == Kind.OP
        && (t.text().equals(".")
            || t.text().equals(",")
            || t.text().equals(";")
            || t.text().equals(":"));
  }

  // ---- token helpers

  private Token peek() {
    return toks.get(pos);
  }

  private Token next() {
    Token t = toks.get(pos);
    if (t.kind() != Kind.EOF) pos++;
    return t;
  }

  private boolean accept(String op) {
    if (peek().is(op)) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(String op) throws ParseException {
    if (!accept(op)) throw new ParseException("expected " + op + " at " + peek().text());
  }

  private void enter() throws ParseException {
    budget.check();
    if (++depth > Budget.MAX_DEPTH) throw new ParseException("nested too deeply");
  }

  // ---- grammar

  /** Comma-separated items up to a closer; several items make a set. */
  private Answer list(Kind endKind, String closer) throws ParseException {
    List<Answer> items = listItems(endKind, closer);
    return items.size() == 1 ? items.get(0) : new FiniteSet(items);
  }

  private List<Answer> listItems(Kind endKind, String closer) throws ParseException {
    List<Answer> items = new ArrayList<>();
    while (true) {
      budget.check();
      items.add(union());
      if (accept(",") || accept(";")) {
        while (accept(",") || accept(";")) {} // "19, 46, and 82": "," then "and"
        if (atCloser(endKind, closer)) break; // trailing comma
        continue;
      }
      break;
    }
    return items;
  }

  private boolean atCloser(Kind endKind, String closer) {
    Token t = peek();
    if (t.kind() == Kind.EOF) return true;
    if (closer == null) return t.is(")") || t.is("]");
    return t.kind() == endKind && t.text().equals(closer);
  }

  private Answer union() throws ParseException {
    Answer first = relation();
    if (!peek().is("cup")) return first;
    List<Answer> parts = new ArrayList<>(List.of(first));
    while (accept("cup")) parts.add(relation());
    return new Union(parts);
  }

  private Answer relation() throws ParseException {
    enter();
    try {
      List<Answer> parts = new ArrayList<>();
      List<String> ops = new ArrayList<>();
      parts.add(sum());
      while (true) {
        Token t = peek();
        if (t.kind() == Kind.OP && RELATIONS.contains(t.text())) {
          next();
          ops.add(t.text());
          parts.add(sum());
        } else if (t.is("in")) {
          next();
          return new Relation(parts.get(parts.size() - 1), "in", union());
        } else if (t.is("⇒")) {
          next(); // "... \Rightarrow x = 3": what follows the arrow is the result
          parts.clear();
          ops.clear();
          parts.add(sum());
        } else {
          break;
        }
      }
      return chain(parts, ops);
    } finally {
      depth--;
    }
  }

  /** Math-Verify's reading of chains: the last of several equalities; approximations dropped. */
  private static Answer chain(List<Answer> parts, List<String> ops) {
    if (ops.isEmpty()) return parts.get(0);
    // a \approx b: Math-Verify keeps a (the exact value) unless a is a variable (x \approx 11)
    if (ops.size() == 1
        && ops.get(0).equals("≈")
        && !(parts.get(0) instanceof Scalar s && Equivalence.onlySymbols(s.expr()))) {
      return parts.get(0);
    }
    if (ops.contains("=") && ops.get(ops.size() - 1).equals("≈")) {
      int keep = ops.size();
      while (keep > 0 && ops.get(keep - 1).equals("≈")) keep--;
      parts = parts.subList(0, keep + 1);
      ops = ops.subList(0, keep);
    }
    List<String> norm = new ArrayList<>();
    for (String o : ops) norm.add(o.equals("≈") ? "=" : o);
    if (norm.stream().allMatch("="::equals) && parts.size() > 2) {
      return parts.get(parts.size() - 1);
    }
    if (parts.size() == 2) return relation(parts.get(0), norm.get(0), parts.get(1));
    return new Chain(List.copyOf(parts), norm);
  }

  static Answer relation(Answer l, String op, Answer r) {
    switch (op) {
      case ">":
        return new Relation(r, "<", l);
      case ">=":
        return new Relation(r, "<=", l);
      default:
        return new Relation(l, op, r);
    }
  }

  private Answer sum() throws ParseException {
    Answer left = term();
    while (true) {
      Token t = peek();
      if (t.is("+") || t.is("-") || t.is("±") || t.is("∓")) {
        next();
        if (peek().kind() == Kind.EOF) throw new ParseException("dangling operator");
        Answer right = term();
        if (MatrixArithmetic.involved(left, right) && (t.is("+") || t.is("-"))) {
          left = MatrixArithmetic.add(left, right, t.is("-"));
          continue;
        }
        Expr a = scalar(left);
        Expr b = scalar(right);
        switch (t.text()) {
          case "+":
            left = new Scalar(add(a, b));
            break;
          case "-":
            left = new Scalar(add(a, new Neg(b)));
            break;
          case "±":
            left = new Scalar(new PlusMinus(a, b));
            break;
          default:
            left = new Scalar(new PlusMinus(a, new Neg(b)));
        }
      } else {
        return left;
      }
    }
  }

  private static Expr add(Expr a, Expr b) {
    List<Expr> terms = new ArrayList<>();
    if (a instanceof Add x) terms.addAll(x.terms());
    else terms.add(a);
    terms.add(b);
    return new Add(terms);
  }

  private Answer term() throws ParseException {
    Answer left = unary();
    while (true) {
      Token t = peek();
      if (t.is("*") || t.is("/")) {
        next();
        Answer right = unary();
        if (MatrixArithmetic.involved(left, right) && t.is("*")) {
          left = MatrixArithmetic.multiply(left, right);
          continue;
        }
        Expr a = scalar(left);
        Expr b = scalar(right);
        left = new Scalar(t.text().equals("*") ? mul(a, b) : new Div(a, b));
      } else if (startsImplicitFactor(t)) {
        Answer right = power();
        left =
            MatrixArithmetic.involved(left, right)
                ? MatrixArithmetic.multiply(left, right)
                : new Scalar(mul(scalar(left), scalar(right)));
      } else {
        return left;
      }
    }
  }

  private boolean startsImplicitFactor(Token t) {
    switch (t.kind()) {
      case LETTER:
        return true;
      case NUM:
        return false; // "2 3" is not a product
      case CMD:
        return !t.text().equals("cup")
            && !t.text().equals("in")
            && !t.text().equals("end")
            && !t.text().equals("cap");
      case OP:
        return t.text().equals("(") || t.text().equals("{");
      default:
        return false;
    }
  }

  private static Expr mul(Expr a, Expr b) {
    List<Expr> f = new ArrayList<>();
    if (a instanceof Mul x) f.addAll(x.factors());
    else f.add(a);
    f.add(b);
    return new Mul(f);
  }

  private Answer unary() throws ParseException {
    enter();
    try {
      if (accept("-")) {
        Answer a = unary();
        return a instanceof Answer.Matrix
            ? MatrixArithmetic.negate(a)
            : new Scalar(negate(scalar(a)));
      }
      if (accept("+")) return unary();
      if (accept("±")) return new Scalar(new PlusMinus(Expr.num(0), scalar(unary())));
      return power();
    } finally {
      depth--;
    }
  }

  private static Expr negate(Expr e) {
    if (e instanceof Num n) return new Num(n.value().negate(), n.inexact());
    return new Neg(e);
  }

  private Answer power() throws ParseException {
    Answer base = postfix();
    if (accept("^")) {
      Expr exp = exponent();
      Answer result = new Scalar(new Pow(scalar(base), exp));
      return postfixTail(result);
    }
    return base;
  }

  private Expr exponent() throws ParseException {
    enter();
    try {
      if (accept("-")) return negate(exponent());
      if (accept("+")) return exponent();
      if (peek().is("{")) {
        next();
        if (accept("}")) throw new ParseException("empty exponent");
        Answer a = list(Kind.OP, "}");
        expect("}");
        return scalar(a);
      }
      Token t = peek();
      if (t.kind() == Kind.NUM && t.text().length() > 1 && !t.text().contains(".")) {
        // x^23 in LaTeX means x^2 followed by 3; accept only the common x^{n} meaning here
        next();
        return new Num(Rational.parseDecimal(t.text()), false);
      }
      return scalar(postfix());
    } finally {
      depth--;
    }
  }

  private Answer postfix() throws ParseException {
    return postfixTail(atom());
  }

  private Answer postfixTail(Answer a) throws ParseException {
    while (true) {
      Token t = peek();
      if (t.is("!")) {
        next();
        a = new Scalar(new Factorial(scalar(a)));
      } else if (t.is("%")) {
        next();
        return new Percent(scalar(a));
      } else if (t.is("_")) {
        next();
        String sub = subscript();
        if (a instanceof Scalar s && s.expr() instanceof Num n && !n.inexact()) {
          a = new Text(n.value() + "_" + sub); // a numeral in base sub, e.g. 204_5
        } else if (a instanceof Scalar s && s.expr() instanceof Sym y) {
          a = new Scalar(new Sym(y.name() + "_" + sub));
        } else if (a instanceof Scalar s && s.expr() instanceof Func f && f.name().equals("log")) {
          a = s; // handled by the function parser; ignore here
        } else {
          throw new ParseException("subscript on a non-symbol");
        }
      } else if (t.is("'")) {
        next();
        if (a instanceof Scalar s && s.expr() instanceof Sym y)
          a = new Scalar(new Sym(y.name() + "'"));
      } else if (t.kind() == Kind.TEXT && !(a instanceof Text) && isUnitText(t.text())) {
        next(); // a unit: "5 \text{ cm}", "15\mbox{ cm}^2"
        if (peek().is("^")) {
          next();
          exponent();
        }
      } else {
        return a;
      }
    }
  }

  private static boolean isUnitText(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    return !t.equals("and") && !t.equals("or") && !t.isEmpty();
  }

  private String subscript() throws ParseException {
    if (peek().is("{")) {
      StringBuilder sb = new StringBuilder();
      next();
      int level = 1;
      while (true) {
        Token t = next();
        if (t.kind() == Kind.EOF) throw new ParseException("unclosed subscript");
        if (t.is("{")) level++;
        if (t.is("}") && --level == 0) break;
        sb.append(t.text());
      }
      return sb.toString();
    }
    Token t = next();
    if (t.kind() == Kind.EOF) throw new ParseException("empty subscript");
    return t.text();
  }

  private Answer atom() throws ParseException {
    enter();
    try {
      Token t = next();
      switch (t.kind()) {
        case NUM:
          return number(t);
        case LETTER:
          return new Scalar(t.text().equals("e") ? new Const("e") : new Sym(t.text()));
        case TEXT:
          return text(t.text());
        case CMD:
          return command(t.text());
        case OP:
          return bracketed(t.text());
        default:
          throw new ParseException("unexpected end");
      }
    } finally {
      depth--;
    }
  }

  private Answer number(Token t) throws ParseException {
    // a clock time or ratio, 12:00 or 3:4, is compared as written
    if (peek().is(":") && pos + 1 < toks.size() && toks.get(pos + 1).kind() == Kind.NUM) {
      next();
      return new Text(t.text() + ":" + next().text());
    }
    Rational v;
    try {
      v = Rational.parseDecimal(t.text());
    } catch (NumberFormatException | ArithmeticException | Budget.TooLarge e) {
      throw new ParseException("bad number " + t.text());
    }
    boolean inexact = t.text().contains(".") || t.text().contains("e") || t.text().contains("E");
    // mixed number: 1\frac{4}{5} is 1 + 4/5
    if (!inexact && peek().is("frac") && v.signum() >= 0) {
      int save = pos;
      next();
      Expr n = fracArg();
      Expr d = fracArg();
      if (n instanceof Num a
          && d instanceof Num b
          && !a.inexact()
          && !b.inexact()
          && b.value().signum() != 0) {
        return new Scalar(new Num(v.add(a.value().div(b.value())), false));
      }
      pos = save;
    }
    return new Scalar(new Num(v, inexact));
  }

  private Answer text(String raw) throws ParseException {
    String s = raw.trim();
    if (s.isEmpty()) throw new ParseException("empty text");
    String low = s.toLowerCase(Locale.ROOT);
    if (low.equals("and") || low.equals("or")) throw new ParseException("connector");
    while (s.length() > 2 && s.startsWith("(") && s.endsWith(")"))
      s = s.substring(1, s.length() - 1).trim();
    return new Text(s);
  }

  private Expr fracArg() throws ParseException {
    if (peek().is("{")) {
      next();
      Answer a = list(Kind.OP, "}");
      expect("}");
      return scalar(a);
    }
    Token t = peek();
    if (t.kind() == Kind.EOF) throw new ParseException("missing argument");
    return scalar(atom());
  }

  private Answer command(String name) throws ParseException {
    switch (name) {
      case "frac":
        {
          Expr n = fracArg();
          Expr d = fracArg();
          return new Scalar(new Div(n, d));
        }
      case "binom":
      case "dbinom":
      case "tbinom":
        {
          Expr n = fracArg();
          Expr k = fracArg();
          return new Scalar(
              new Div(
                  new Factorial(n),
                  new Mul(List.of(new Factorial(k), new Factorial(add(n, new Neg(k)))))));
        }
      case "sqrt":
        {
          int n = 2;
          if (accept("[")) {
            Answer idx = list(Kind.OP, "]");
            expect("]");
            Rational r = Evaluation.exact(scalar(idx), budget);
            if (r == null || !r.isInteger() || r.signum() <= 0 || r.num().bitLength() > 16) {
              throw new ParseException("bad root index");
            }
            n = r.num().intValue();
          }
          return new Scalar(new Root(fracArg(), n));
        }
      case "pi":
        return new Scalar(new Const("pi"));
      case "infty":
      case "infinity":
      case "inf":
        return new Scalar(new Const("inf"));
      case "emptyset":
      case "varnothing":
        return new FiniteSet(List.of());
      case "begin":
        return environment();
      case "lfloor":
      case "lceil":
        {
          Answer inner = list(Kind.CMD, name.equals("lfloor") ? "rfloor" : "rceil");
          expect(name.equals("lfloor") ? "rfloor" : "rceil");
          return new Scalar(new Func(name.equals("lfloor") ? "floor" : "ceil", scalar(inner)));
        }
      default:
        break;
    }
    if (FUNCTIONS.contains(name)) return function(name);
    if (TRANSPARENT.contains(name)) return new Scalar(scalar(fracArgAnswer()));
    if (name.equals("end")
        || name.equals("cup")
        || name.equals("in")
        || name.equals("ldots")
        || name.equals("cdots")
        || name.equals("dots")) {
      throw new ParseException("unexpected \\" + name);
    }
    return new Scalar(new Sym("\\" + name)); // Greek letters and unknown commands are symbols
  }

  private Answer fracArgAnswer() throws ParseException {
    return new Scalar(fracArg());
  }

  private Answer function(String name) throws ParseException {
    Expr power = null;
    Expr base = null;
    if (name.equals("log") && accept("_")) base = fracArg();
    if (accept("^")) power = exponent();
    Expr arg;
    if (peek().is("(") || peek().is("{")) {
      arg = scalar(atom());
    } else {
      arg = scalar(power());
    }
    // \log without a base is the natural logarithm, as in sympy; \log_b x is ln x / ln b
    Expr f =
        base == null ? new Func(name, arg) : new Div(new Func("ln", arg), new Func("ln", base));
    if (power != null) {
      // sin^{-1} x is arcsin x
      if (power instanceof Num n
          && n.value().equals(Rational.ONE.negate())
          && Set.of("sin", "cos", "tan").contains(name)) {
        return new Scalar(new Func("arc" + name, arg));
      }
      f = new Pow(f, power);
    }
    return new Scalar(f);
  }

  private Answer environment() throws ParseException {
    String env = envName();
    if (!MATRIX_ENVS.contains(env)) {
      // aligned, cases, ...: read the body as a list and hope it is a value
      Answer a = list(Kind.CMD, "end");
      expect("end");
      envName();
      return a;
    }
    if (env.equals("array") && peek().is("{")) {
      while (!peek().is("}") && peek().kind() != Kind.EOF) next(); // column spec {cc}
      expect("}");
    }
    List<List<Expr>> rows = new ArrayList<>();
    List<Expr> row = new ArrayList<>();
    while (true) {
      budget.check();
      if (peek().is("end")) {
        next();
        envName();
        break;
      }
      if (peek().kind() == Kind.EOF) throw new ParseException("unclosed matrix");
      if (accept("\\\\")) {
        if (!row.isEmpty()) rows.add(row);
        row = new ArrayList<>();
        continue;
      }
      if (accept("&")) continue;
      row.add(scalar(sum()));
    }
    if (!row.isEmpty()) rows.add(row);
    if (rows.isEmpty()) throw new ParseException("empty matrix");
    for (List<Expr> r : rows) {
      if (r.size() != rows.get(0).size()) throw new ParseException("ragged matrix");
    }
    return new Matrix(rows);
  }

  private String envName() throws ParseException {
    expect("{");
    StringBuilder sb = new StringBuilder();
    while (!peek().is("}")) {
      Token t = next();
      if (t.kind() == Kind.EOF) throw new ParseException("unclosed environment name");
      sb.append(t.text());
    }
    next();
    String s = sb.toString();
    return s.endsWith("*") ? s.substring(0, s.length() - 1) : s;
  }

  private Answer bracketed(String open) throws ParseException {
    switch (open) {
      case "(":
      case "[":
        {
          List<Answer> items = listItems(Kind.OP, null);
          Token close = next();
          if (!close.is(")") && !close.is("]")) throw new ParseException("unclosed " + open);
          if (items.size() == 1) {
            if (open.equals("(") != close.is(")")) throw new ParseException("half-open single");
            return items.get(0);
          }
          boolean roundBoth = open.equals("(") && close.is(")");
          if (items.size() == 2 && !roundBoth) {
            return new Interval(
                scalar(items.get(0)), scalar(items.get(1)), open.equals("["), close.is("]"));
          }
          return new Tuple(items);
        }
      case "{":
        {
          if (accept("}")) return new FiniteSet(List.of());
          Answer a = list(Kind.OP, "}");
          expect("}");
          return a;
        }
      case "\\{":
        {
          if (accept("\\}")) return new FiniteSet(List.of());
          List<Answer> items = listItems(Kind.OP, "\\}");
          expect("\\}");
          return new FiniteSet(items);
        }
      case "|":
        {
          Answer inner = sum();
          expect("|");
          return new Scalar(new Func("abs", scalar(inner)));
        }
      default:
        throw new ParseException("unexpected " + open);
    }
  }

  /** The scalar inside an answer, converting a percentage to its value. */
  static Expr scalar(Answer a) throws ParseException {
    if (a instanceof Scalar s) return s.expr();
    if (a instanceof Percent p) return new Div(p.expr(), Expr.num(100));
    if (a instanceof Text t
        && t.text().length() == 1
        && LatexLexer.isAsciiLetter(t.text().charAt(0))) {
      return new Sym(t.text());
    }
    throw new ParseException("expected a number or expression");
  }
}
