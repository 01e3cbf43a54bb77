package dev.backprop.nn.activation;

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
      return 1.0 / (1.0 + Math.exp(-z));
    }
    double e = Math.exp(z);
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
}
