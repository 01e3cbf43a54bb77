package dev.backprop.loss;

import dev.backprop.tensor.Matrix;

/**
 * The squared-error losses, C = s * sum over batch and outputs of (a - y)^2, with dC/dA = 2 s (a - y); in
 * training, delta = dC/dA (.) f'(z) through the output activation, whatever it is:
 * <ul>
 *   <li>{@code sse}, the seed's cost: s = 1/2, so dC/dA = a - y and the gradients are summed over the batch;
 *   <li>{@code mse}, PyTorch's {@code MSELoss} (mean reduction): s = 1 / (batch * outputs).
 * </ul>
 */
public final class SquaredErrorLoss implements Loss {
  private final boolean mean;

  private SquaredErrorLoss(boolean mean) {
    this.mean = mean;
  }

  /** The seed's cost C = 1/2 sum (a - y)^2. */
  public static SquaredErrorLoss sse() {
    return new SquaredErrorLoss(false);
  }

  /** The mean squared error over batch and outputs. */
  public static SquaredErrorLoss mse() {
    return new SquaredErrorLoss(true);
  }

  @Override
  public String name() {
    return mean ? "mse" : "sse";
  }

  private double scale(Matrix a) {
    return scale(a, a.rows());
  }

  private double scale(Matrix a, int batchRows) {
    return mean ? 1.0 / ((double) batchRows * a.cols()) : 0.5;
  }

  @Override
  public double value(Matrix z, Matrix a, Matrix y) {
    y.requireShape(a.rows(), a.cols(), "targets");
    double sum = 0;
    for (int i = 0, n = a.size(); i < n; i++) {
      double d = a.getFlat(i) - y.getFlat(i);
      sum += d * d;
    }
    return scale(a) * sum;
  }

  /** dC/dA = 2 s (a - y), written into {@code gradA} (batch x outputs; may be {@code a} itself). */
  public void gradient(Matrix a, Matrix y, Matrix gradA) {
    gradient(a, y, gradA, a.rows());
  }

  /**
   * dC/dA of a batch of {@code batchRows} rows for the part of it in {@code a}: the mean divides by the whole
   * batch, so that the parts' gradients add up to the batch's.
   */
  public void gradient(Matrix a, Matrix y, Matrix gradA, int batchRows) {
    y.requireShape(a.rows(), a.cols(), "targets");
    double factor = 2 * scale(a, batchRows);
    for (int i = 0, n = a.size(); i < n; i++) {
      gradA.setFlat(i, factor * (a.getFlat(i) - y.getFlat(i)));
    }
  }

  @Override
  public boolean sumsOverBatch() {
    return !mean;
  }

  @Override
  public String toString() {
    return name();
  }
}
