package dev.backprop.nn.activation;

import dev.backprop.internal.kernel.Kernels;

/** relu(z) = max(0, z); relu'(z) = 1 for z &gt; 0, else 0 (0 at z = 0, as PyTorch). */
public final class Relu extends ElementwiseActivation {
  public Relu() {
    super("relu");
  }

  @Override
  public double value(double z) {
    return z > 0 ? z : 0.0;
  }

  @Override
  public double derivative(double z, double a) {
    return z > 0 ? 1.0 : 0.0;
  }

  @Override
  protected void forward(float[] z, float[] a, int n) {
    Kernels.elementwise().relu(z, a, n);
  }

  @Override
  protected void backward(float[] z, float[] a, float[] gradA, float[] delta, int n) {
    Kernels.elementwise().reluBackward(z, gradA, delta, n);
  }
}
