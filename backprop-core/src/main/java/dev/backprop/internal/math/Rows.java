package dev.backprop.internal.math;

import dev.backprop.tensor.Matrix;

/** Reductions over one row of a batch-first matrix, shared by softmax and cross-entropy so they agree. */
public final class Rows {
  private Rows() {}

  /** The largest element of row r (minus infinity for an empty row). */
  public static double max(Matrix m, int r) {
    int n = m.cols();
    int row = r * n;
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      max = Math.max(max, m.getFlat(row + j));
    }
    return max;
  }

  /** log sum_j e^(z_rj), by max subtraction so that no exponent overflows. */
  public static double logSumExp(Matrix z, int r) {
    int n = z.cols();
    int row = r * n;
    double max = max(z, r);
    double sum = 0;
    for (int j = 0; j < n; j++) {
      sum += ReproducibleMath.exp(z.getFlat(row + j) - max);
    }
    return StrictMath.log(sum) + max;
  }
}
