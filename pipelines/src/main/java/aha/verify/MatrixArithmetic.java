package aha.verify;

import aha.verify.Answer.Matrix;
import aha.verify.Expr.Add;
import aha.verify.Expr.Mul;
import aha.verify.Expr.Neg;
import java.util.ArrayList;
import java.util.List;

/**
 * Sums and products of matrices written in an answer ({@code A + B}, {@code 2A}, {@code AB}), kept
 * symbolic entry by entry: the result is a {@link Matrix} of expressions.
 */
final class MatrixArithmetic {
  private MatrixArithmetic() {}

  static boolean involved(Answer a, Answer b) {
    return a instanceof Matrix || b instanceof Matrix;
  }

  /** {@code a + b} or {@code a - b}; both must be matrices of the same shape. */
  static Matrix add(Answer a, Answer b, boolean subtract) throws LatexParser.ParseException {
    if (!(a instanceof Matrix x) || !(b instanceof Matrix y)) {
      throw new LatexParser.ParseException("a matrix plus a non-matrix");
    }
    if (x.rows().size() != y.rows().size() || x.rows().get(0).size() != y.rows().get(0).size()) {
      throw new LatexParser.ParseException("matrix shapes differ");
    }
    List<List<Expr>> rows = new ArrayList<>();
    for (int i = 0; i < x.rows().size(); i++) {
      List<Expr> row = new ArrayList<>();
      for (int j = 0; j < x.rows().get(i).size(); j++) {
        Expr r = y.rows().get(i).get(j);
        row.add(new Add(List.of(x.rows().get(i).get(j), subtract ? new Neg(r) : r)));
      }
      rows.add(row);
    }
    return new Matrix(rows);
  }

  /** {@code a b}: scalar times matrix, matrix times scalar, or a matrix product. */
  static Matrix multiply(Answer a, Answer b) throws LatexParser.ParseException {
    if (a instanceof Matrix x && b instanceof Matrix y) {
      int inner = x.rows().get(0).size();
      if (inner != y.rows().size()) throw new LatexParser.ParseException("matrix shapes differ");
      List<List<Expr>> rows = new ArrayList<>();
      for (List<Expr> xr : x.rows()) {
        List<Expr> row = new ArrayList<>();
        for (int j = 0; j < y.rows().get(0).size(); j++) {
          List<Expr> terms = new ArrayList<>();
          for (int k = 0; k < inner; k++)
            terms.add(new Mul(List.of(xr.get(k), y.rows().get(k).get(j))));
          row.add(new Add(terms));
        }
        rows.add(row);
      }
      return new Matrix(rows);
    }
    Matrix m = (Matrix) (a instanceof Matrix ? a : b);
    Expr s = LatexParser.scalar(a instanceof Matrix ? b : a);
    return scale(m, s);
  }

  static Matrix scale(Matrix m, Expr s) {
    List<List<Expr>> rows = new ArrayList<>();
    for (List<Expr> r : m.rows()) {
      List<Expr> row = new ArrayList<>();
      for (Expr e : r) row.add(new Mul(List.of(s, e)));
      rows.add(row);
    }
    return new Matrix(rows);
  }

  static Answer negate(Answer a) {
    return a instanceof Matrix m ? scale(m, Expr.num(-1)) : a;
  }
}
