package dev.backprop.loss;

import dev.backprop.internal.math.ReproducibleMath;
import dev.backprop.tensor.Matrix;

/**
 * Binary cross-entropy after a sigmoid output, averaged over batch and outputs (PyTorch's
 * {@code BCEWithLogitsLoss}): C = (1/(m n)) sum [max(z, 0) - z y + log(1 + e^-|z|)], which equals
 * -[y log a + (1 - y) log(1 - a)] with a = sigma(z) but never takes the logarithm of 0.
 *
 * <p>In training it is fused with the sigmoid: delta = (a - y) / (m n). Each output is an independent yes/no
 * (multi-label).
 */
public final class BinaryCrossEntropyLoss implements Loss {
  @Override
  public String name() {
    return "binary-cross-entropy";
  }

  @Override
  public double value(Matrix z, Matrix a, Matrix y) {
    y.requireShape(z.rows(), z.cols(), "targets");
    double total = 0;
    for (int i = 0, n = z.size(); i < n; i++) {
      double zi = z.getFlat(i);
      total += Math.max(zi, 0) - zi * y.getFlat(i) + StrictMath.log1p(ReproducibleMath.exp(-Math.abs(zi)));
    }
    return total / z.size();
  }

  @Override
  public String toString() {
    return name();
  }
}
