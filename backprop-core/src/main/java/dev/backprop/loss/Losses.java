package dev.backprop.loss;

import dev.backprop.InvalidSettingException;
import java.util.List;

/** The losses by name, as the command line and model files spell them. */
public final class Losses {
  /** Every accepted name. */
  public static final List<String> NAMES = List.of("sse", "mse", "cross-entropy", "binary-cross-entropy");

  private Losses() {}

  /** The loss called {@code name}; throws IllegalArgumentException listing the known names. */
  public static Loss byName(String name) {
    switch (name) {
      case "sse":
        return SquaredErrorLoss.sse();
      case "mse":
        return SquaredErrorLoss.mse();
      case "cross-entropy":
        return new CrossEntropyLoss();
      case "binary-cross-entropy":
        return new BinaryCrossEntropyLoss();
      default:
        throw new InvalidSettingException("loss", "'" + name + "'", "one of " + NAMES);
    }
  }
}
