package aha.verify;

import java.util.List;

/** A parsed final answer: a scalar, or one of the structured forms math answers take. */
sealed interface Answer {
  record Scalar(Expr expr) implements Answer {}

  /** {@code 28\%}: equal to 28 or to 0.28, as Math-Verify accepts both. */
  record Percent(Expr expr) implements Answer {}

  /** Points and ordered lists {@code (a, b, c)}. */
  record Tuple(List<Answer> items) implements Answer {}

  record Interval(Expr lo, Expr hi, boolean loClosed, boolean hiClosed) implements Answer {}

  /** Unordered answers: {@code \{1, 2\}}, {@code 1, 2}, {@code 1 \pm \sqrt 2}. */
  record FiniteSet(List<Answer> items) implements Answer {}

  record Union(List<Answer> parts) implements Answer {}

  record Matrix(List<List<Expr>> rows) implements Answer {}

  /** {@code lhs op rhs} with op one of {@code = != < <= in}; {@code >} is stored flipped. */
  record Relation(Answer lhs, String op, Answer rhs) implements Answer {}

  /** A chain such as {@code -2 <= x <= 7} or {@code f(2) < f(1) < f(4)}. */
  record Chain(List<Answer> parts, List<String> ops) implements Answer {}

  /** A word answer ({@code \text{Evelyn}}, a choice letter) or an unparsed fallback string. */
  record Text(String text) implements Answer {}
}
