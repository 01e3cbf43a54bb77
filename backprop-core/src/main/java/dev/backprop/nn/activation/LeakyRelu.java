package dev.backprop.nn.activation;

import dev.backprop.InvalidSettingException;

/**
 * leaky_relu(z) = z for z &gt; 0, else slope z; the slope defaults to 0.01 (PyTorch's and Keras 3's
 * default negative slope).
 */
public final class LeakyRelu extends ElementwiseActivation {
  /** The default slope for z &lt;= 0. */
  public static final double DEFAULT_SLOPE = 0.01;

  private final double slope;

  public LeakyRelu() {
    this(DEFAULT_SLOPE);
  }

  public LeakyRelu(double slope) {
    super("leaky-relu");
    if (!(slope >= 0 && slope < 1)) {
      throw new InvalidSettingException("slope", slope, "in [0, 1) (PyTorch's default is " + DEFAULT_SLOPE + ")");
    }
    this.slope = slope;
  }

  public double slope() {
    return slope;
  }

  @Override
  public double value(double z) {
    return z > 0 ? z : slope * z;
  }

  @Override
  public double derivative(double z, double a) {
    return z > 0 ? 1.0 : slope;
  }

  @Override
  protected void forward(float[] z, float[] a, int n) {
    float s = (float) slope;
    for (int i = 0; i < n; i++) {
      a[i] = z[i] > 0f ? z[i] : s * z[i];
    }
  }

  @Override
  protected void backward(float[] z, float[] a, float[] gradA, float[] delta, int n) {
    float s = (float) slope;
    for (int i = 0; i < n; i++) {
      delta[i] = z[i] > 0f ? gradA[i] : s * gradA[i];
    }
  }
}
