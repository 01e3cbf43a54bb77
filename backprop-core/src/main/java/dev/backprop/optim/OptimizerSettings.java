package dev.backprop.optim;

import dev.backprop.nn.Parameter;
import java.util.List;
import java.util.Locale;

/**
 * Which optimizer to build and its hyper-parameters: an immutable description that the trainer turns into
 * an {@link Optimizer} bound to a network's parameters.
 */
public record OptimizerSettings(Kind kind, double learningRate) {
  /** The optimizers Backprop has. */
  public enum Kind {
    /** {@link Sgd}: W = W - eta dC/dW. */
    SGD,
    /** {@link Adam}, in PyTorch's form. */
    ADAM;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind parse(String id) {
      for (Kind k : values()) {
        if (k.id().equals(id)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown optimizer '" + id + "', expected sgd or adam");
    }
  }

  /** The default learning rate of plain SGD. */
  public static final double DEFAULT_SGD_LEARNING_RATE = 0.1;

  public OptimizerSettings {
    requireLearningRate(learningRate);
  }

  /** The learning rate of {@code kind} when none is given: 0.1 for SGD, 1e-3 for Adam (PyTorch's). */
  public static double defaultLearningRate(Kind kind) {
    return kind == Kind.ADAM ? Adam.DEFAULT_LEARNING_RATE : DEFAULT_SGD_LEARNING_RATE;
  }

  /** Adam with the given learning rate and PyTorch's other defaults. */
  public static OptimizerSettings adam(double learningRate) {
    return new OptimizerSettings(Kind.ADAM, learningRate);
  }

  /** Plain SGD with the given learning rate. */
  public static OptimizerSettings sgd(double learningRate) {
    return new OptimizerSettings(Kind.SGD, learningRate);
  }

  /** A new optimizer for {@code parameters}. */
  public Optimizer create(List<Parameter> parameters) {
    switch (kind) {
      case ADAM:
        return new Adam(parameters, learningRate);
      case SGD:
      default:
        return new Sgd(parameters, learningRate);
    }
  }

  static void requireLearningRate(double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("learning rate must be a positive finite number, got " + value);
    }
  }
}
