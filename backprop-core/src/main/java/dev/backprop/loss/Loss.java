package dev.backprop.loss;

import dev.backprop.tensor.Matrix;

/**
 * A cost C comparing a network's output with the targets y.
 *
 * <p>Arguments are the output layer's pre-activation z (the logits), its activation a = f(z) and the targets y, all
 * batch x outputs. The value is computed in float64 whatever the element type. How backpropagation starts from C
 * (through f, or fused with it) is the training objective's business, not the loss's.
 */
public sealed interface Loss permits SquaredErrorLoss, CrossEntropyLoss, BinaryCrossEntropyLoss {
  /** The name used in model files and settings, e.g. {@code "sse"}. */
  String name();

  /** C for this batch. */
  double value(Matrix z, Matrix a, Matrix y);

  /**
   * Whether the value is a sum over the batch (the seed's sse) rather than a mean; per-sample losses divide such
   * values by the batch size so that they are comparable across batch sizes.
   */
  default boolean sumsOverBatch() {
    return false;
  }

  /** {@code value} of a batch of {@code rows} expressed per sample. */
  default double perSample(double value, int rows) {
    return sumsOverBatch() ? value / rows : value;
  }

  /** {@code value} of a batch of {@code rows} as a sum over its rows, to be added up over batches. */
  default double batchTotal(double value, int rows) {
    return sumsOverBatch() ? value : value * rows;
  }
}
