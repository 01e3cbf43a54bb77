package dev.backprop.loss;

import dev.backprop.internal.math.Rows;
import dev.backprop.tensor.Matrix;

/**
 * Categorical cross-entropy after a softmax output, averaged over the batch (PyTorch's
 * {@code CrossEntropyLoss} on logits): C = -(1/m) sum_i sum_j y_ij log softmax(z_i)_j. Targets are one-hot rows.
 *
 * <p>The value uses log-softmax by max subtraction, so no logarithm of zero is formed. In training it is fused
 * with the softmax: delta = (a - y) / m, never the softmax Jacobian.
 */
public final class CrossEntropyLoss implements Loss {
  @Override
  public String name() {
    return "cross-entropy";
  }

  @Override
  public double value(Matrix z, Matrix a, Matrix y) {
    y.requireShape(z.rows(), z.cols(), "targets");
    int n = z.cols();
    double total = 0;
    for (int r = 0; r < z.rows(); r++) {
      int row = r * n;
      double logSum = Rows.logSumExp(z, r);
      for (int j = 0; j < n; j++) {
        double yj = y.getFlat(row + j);
        if (yj != 0) {
          total -= yj * (z.getFlat(row + j) - logSum);
        }
      }
    }
    return total / z.rows();
  }

  @Override
  public String toString() {
    return name();
  }
}
