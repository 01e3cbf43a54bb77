package dev.backprop.nn.init;

import dev.backprop.SeededRandom;
import dev.backprop.internal.EnumIds;
import dev.backprop.nn.activation.Activation;
import dev.backprop.nn.activation.LeakyRelu;
import dev.backprop.nn.activation.Relu;
import dev.backprop.tensor.Matrix;

/**
 * How a dense layer's weights start, drawn from an explicit seeded generator. Biases start at zero.
 *
 * <ul>
 *   <li>Glorot/Xavier uniform: U(-l, l), l = sqrt(6 / (fan_in + fan_out)); normal: N(0, 2 / (fan_in + fan_out)).
 *   <li>He/Kaiming uniform: U(-l, l), l = sqrt(6 / fan_in); normal: N(0, 2 / fan_in). Made for relu.
 *   <li>fan-in uniform: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), what PyTorch's nn.Linear does by default.
 * </ul>
 * The normal variants are plain (not truncated) normals, as PyTorch's {@code xavier_normal_} and
 * {@code kaiming_normal_}.
 */
public enum Initializer {
  GLOROT_UNIFORM,
  GLOROT_NORMAL,
  HE_UNIFORM,
  HE_NORMAL,
  FAN_IN_UNIFORM;

  /** He for relu and leaky-relu, Glorot uniform otherwise (what Keras and PyTorch users are told to use). */
  public static Initializer defaultFor(Activation activation) {
    return activation instanceof Relu || activation instanceof LeakyRelu ? HE_UNIFORM : GLOROT_UNIFORM;
  }

  /** The command-line spelling, e.g. {@code "he-uniform"}. */
  public String id() {
    return EnumIds.id(this);
  }

  /** The initializer whose {@link #id()} is {@code id}; throws InvalidSettingException listing every id. */
  public static Initializer parse(String id) {
    return EnumIds.parse(Initializer.class, "initializer", id);
  }

  /** Fills {@code weights} (fan_in x fan_out, the seed's W layout) with draws from {@code random}. */
  public void fill(Matrix weights, SeededRandom random) {
    int fanIn = weights.rows();
    int fanOut = weights.cols();
    boolean uniform = this != GLOROT_NORMAL && this != HE_NORMAL;
    double scale;
    switch (this) {
      case GLOROT_UNIFORM:
        scale = Math.sqrt(6.0 / (fanIn + fanOut));
        break;
      case GLOROT_NORMAL:
        scale = Math.sqrt(2.0 / (fanIn + fanOut));
        break;
      case HE_UNIFORM:
        scale = Math.sqrt(6.0 / fanIn);
        break;
      case HE_NORMAL:
        scale = Math.sqrt(2.0 / fanIn);
        break;
      default:
        scale = 1.0 / Math.sqrt(fanIn);
        break;
    }
    for (int i = 0, n = weights.size(); i < n; i++) {
      weights.setFlat(i, uniform ? random.nextDouble(-scale, scale) : scale * random.nextGaussian());
    }
  }
}
