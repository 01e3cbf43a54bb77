package dev.backprop.optim;

import dev.backprop.tensor.Matrix;
import java.util.Map;

/**
 * Updates a fixed list of parameters from their gradients, and owns all the state that the update keeps
 * between steps (per parameter). Layers never see a learning rate; the trainer calls {@link #step()} after
 * each backward pass and may change the learning rate between steps (schedules).
 */
public interface Optimizer {
  /** The name used on the command line and in model files, e.g. {@code "sgd"}. */
  String name();

  /** Applies one update to every parameter from its current gradient. */
  void step();

  double learningRate();

  void setLearningRate(double learningRate);

  /**
   * The per-parameter state, by {@code <parameter name>.<state name>} (e.g. {@code layers.0.weight.m}),
   * for checkpoints; empty for stateless optimizers. The matrices are copies.
   */
  Map<String, Matrix> exportState();

  /** Restores what {@link #exportState()} gave; throws IllegalArgumentException on a missing or misshaped entry. */
  void importState(Map<String, Matrix> state);
}
