package dev.backprop.nn.activation;

import dev.backprop.internal.math.ReproducibleMath;
import dev.backprop.internal.math.Rows;

import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;

/**
 * softmax(z)_j = e^(z_j - m) / sum_k e^(z_k - m) over each row, with m the row's maximum (so no exponent
 * overflows).
 *
 * <p>Only at the output. With cross-entropy the loss hands the layer delta = a - y directly and this
 * class's {@link #backward} is never called; for other losses it applies the Jacobian row by row:
 * delta_j = a_j (g_j - sum_k g_k a_k).
 */
public final class Softmax implements Activation {
  @Override
  public String name() {
    return "softmax";
  }

  @Override
  public boolean elementwise() {
    return false;
  }

  @Override
  public void forward(Matrix z, Matrix a) {
    a.requireShape(z.rows(), z.cols(), "softmax output");
    int n = z.cols();
    for (int r = 0; r < z.rows(); r++) {
      int row = r * n;
      double max = Rows.max(z, r);
      double sum = 0;
      for (int j = 0; j < n; j++) {
        double e = ReproducibleMath.exp(z.getFlat(row + j) - max);
        a.setFlat(row + j, e);
        sum += e;
      }
      if (a.dtype() == DType.FLOAT32) {
        // normalise from the float32 exponentials, as stored; the row then sums to 1 within float rounding
        sum = 0;
        for (int j = 0; j < n; j++) {
          sum += a.getFlat(row + j);
        }
      }
      for (int j = 0; j < n; j++) {
        a.setFlat(row + j, a.getFlat(row + j) / sum);
      }
    }
  }

  @Override
  public void backward(Matrix z, Matrix a, Matrix gradA, Matrix delta) {
    delta.requireShape(a.rows(), a.cols(), "softmax delta");
    int n = a.cols();
    for (int r = 0; r < a.rows(); r++) {
      int row = r * n;
      double dot = 0;
      for (int j = 0; j < n; j++) {
        dot += gradA.getFlat(row + j) * a.getFlat(row + j);
      }
      for (int j = 0; j < n; j++) {
        delta.setFlat(row + j, a.getFlat(row + j) * (gradA.getFlat(row + j) - dot));
      }
    }
  }

  @Override
  public String toString() {
    return name();
  }
}
