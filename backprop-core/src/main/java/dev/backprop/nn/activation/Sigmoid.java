package dev.backprop.nn.activation;

import dev.backprop.internal.kernel.Kernels;
import dev.backprop.internal.math.ReproducibleMath;

/**
 * sigma(z) = 1 / (1 + e^-z), sigma'(z) = sigma(z) (1 - sigma(z)): the seed's activation.
 *
 * <p>Computed without overflow for any z: e^-z for z &gt;= 0 and e^z / (1 + e^z) for z &lt; 0, so only
 * e^-|z| is ever formed.
 */
public final class Sigmoid extends ElementwiseActivation {
  public Sigmoid() {
    super("sigmoid");
  }

  /** The numerically stable logistic function. */
  public static double sigmoid(double z) {
    if (z >= 0) {
      return 1.0 / (1.0 + ReproducibleMath.exp(-z));
    }
    double e = ReproducibleMath.exp(z);
    return e / (1.0 + e);
  }

  @Override
  public double value(double z) {
    return sigmoid(z);
  }

  @Override
  public double derivative(double z, double a) {
    return a * (1.0 - a);
  }

  @Override
  protected void forward(float[] z, float[] a, int n) {
    // the stable form in double, rounded once: ReproducibleMath.sigmoid, in vector lanes where they exist
    Kernels.elementwise().sigmoid(z, a, n);
  }

  @Override
  protected void backward(float[] z, float[] a, float[] gradA, float[] delta, int n) {
    for (int i = 0; i < n; i++) {
      delta[i] = gradA[i] * (a[i] * (1f - a[i]));
    }
  }
}
