package dev.backprop.nn.activation;

import dev.backprop.InvalidSettingException;
import java.util.List;

/** The activations by name, as the command line and model files spell them. */
public final class Activations {
  /** Every accepted name, in the order help texts list them. */
  public static final List<String> NAMES = List.of("sigmoid", "tanh", "relu", "leaky-relu", "identity", "softmax");

  private Activations() {}

  public static Activation sigmoid() {
    return new Sigmoid();
  }

  public static Activation tanh() {
    return new Tanh();
  }

  public static Activation relu() {
    return new Relu();
  }

  public static Activation leakyRelu() {
    return new LeakyRelu();
  }

  public static Activation identity() {
    return new Identity();
  }

  public static Activation softmax() {
    return new Softmax();
  }

  /** The activation called {@code name}; throws InvalidSettingException listing the known names. */
  public static Activation byName(String name) {
    switch (name) {
      case "sigmoid":
        return sigmoid();
      case "tanh":
        return tanh();
      case "relu":
        return relu();
      case "leaky-relu":
        return leakyRelu();
      case "identity":
      case "linear":
        return identity();
      case "softmax":
        return softmax();
      default:
        throw new InvalidSettingException("activation", "'" + name + "'", "one of " + String.join(", ", NAMES));
    }
  }
}
