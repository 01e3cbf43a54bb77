package dev.backprop.nn.activation;

import dev.backprop.internal.math.ReproducibleMath;

/** tanh(z), with tanh'(z) = 1 - tanh(z)^2. */
public final class Tanh extends ElementwiseActivation {
  public Tanh() {
    super("tanh");
  }

  @Override
  public double value(double z) {
    return ReproducibleMath.tanh(z);
  }

  @Override
  public double derivative(double z, double a) {
    return 1.0 - a * a;
  }

  @Override
  protected void forward(float[] z, float[] a, int n) {
    for (int i = 0; i < n; i++) {
      a[i] = (float) ReproducibleMath.tanh(z[i]);
    }
  }

  @Override
  protected void backward(float[] z, float[] a, float[] gradA, float[] delta, int n) {
    for (int i = 0; i < n; i++) {
      delta[i] = gradA[i] * (1f - a[i] * a[i]);
    }
  }
}
