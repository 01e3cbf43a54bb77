package dev.backprop.loss;

import dev.backprop.nn.activation.Activation;
import dev.backprop.tensor.Matrix;

/**
 * A cost C comparing the network's output with the targets y, and the delta it starts backpropagation with.
 *
 * <p>Arguments are the output layer's pre-activation z, its activation a = f(z) and the targets y, all
 * batch x outputs. The value is computed in float64 whatever the element type.
 */
public interface Loss {
  /** The name used on the command line and in model files, e.g. {@code "sse"}. */
  String name();

  /** C for this batch. */
  double value(Matrix z, Matrix a, Matrix y);

  /** delta_L = dC/dz for this batch, written into {@code delta} (batch x outputs). */
  void outputDelta(Activation output, Matrix z, Matrix a, Matrix y, Matrix delta);

  /**
   * Throws IllegalArgumentException, saying which pairing works, when this loss cannot follow the output
   * activation {@code output}.
   */
  void checkOutput(Activation output);

  /**
   * Whether the value is a sum over the batch (the seed's sse) rather than a mean; reports divide such
   * values by the batch size so that losses are per sample and comparable across batch sizes.
   */
  default boolean sumsOverBatch() {
    return false;
  }

  /** {@code value} of a batch of {@code rows} expressed per sample (see {@link #sumsOverBatch()}). */
  default double perSample(double value, int rows) {
    return sumsOverBatch() ? value / rows : value;
  }
}
