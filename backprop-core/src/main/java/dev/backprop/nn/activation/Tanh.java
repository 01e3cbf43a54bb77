package dev.backprop.nn.activation;

/** tanh(z), with tanh'(z) = 1 - tanh(z)^2. */
public final class Tanh extends ElementwiseActivation {
  public Tanh() {
    super("tanh");
  }

  @Override
  public double value(double z) {
    return Math.tanh(z);
  }

  @Override
  public double derivative(double z, double a) {
    return 1.0 - a * a;
  }
}
