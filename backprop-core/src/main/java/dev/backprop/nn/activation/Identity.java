package dev.backprop.nn.activation;

import dev.backprop.tensor.Matrix;

/** identity(z) = z: a linear output, for regression. */
public final class Identity extends ElementwiseActivation {
  public Identity() {
    super("identity");
  }

  @Override
  public double value(double z) {
    return z;
  }

  @Override
  public double derivative(double z, double a) {
    return 1.0;
  }

  @Override
  public void forward(Matrix z, Matrix a) {
    if (a != z) {
      a.copyFrom(z);
    }
  }

  @Override
  protected void forward(float[] z, float[] a, int n) {
    if (a != z) {
      System.arraycopy(z, 0, a, 0, n);
    }
  }

  @Override
  protected void backward(float[] z, float[] a, float[] gradA, float[] delta, int n) {
    if (delta != gradA) {
      System.arraycopy(gradA, 0, delta, 0, n);
    }
  }
}
