package dev.backprop.nn;

import dev.backprop.tensor.Matrix;
import java.util.List;

/**
 * One stage of a network: maps activations forward and the cost's gradient backward, and owns its
 * parameters. A layer never sees a learning rate or a loss; optimizers update its parameters.
 *
 * <p>The matrices a layer returns are its own workspaces, valid until its next call: copy them to keep them.
 */
public sealed interface Layer permits Dense, ActivationLayer, Dropout {
  int inputSize();

  int outputSize();

  /** The layer's output for the batch {@code x} (batch x inputSize); remembers what backward needs. */
  Matrix forward(Matrix x, Pass pass);

  /**
   * Given dC/d(output) of the last forward batch, writes the gradients of the parameters and returns
   * dC/d(input), or null when {@code needInputGradient} is false (the first layer). May overwrite
   * {@code gradOutput}.
   */
  Matrix backward(Matrix gradOutput, boolean needInputGradient);

  /** The trainable parameters, in a fixed order. */
  default List<Parameter> parameters() {
    return List.of();
  }
}
