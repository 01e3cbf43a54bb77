package dev.backprop.train;

import dev.backprop.nn.Network;
import dev.backprop.nn.Parameter;
import dev.backprop.tensor.Matrix;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lowest validation loss so far, its epoch and (with a patience) its weights; says when the patience has run
 * out. Without a patience it only tracks the best epoch.
 */
final class EarlyStopping {
  private final int patience;
  private final double minDelta;
  private int epoch;
  private double loss = Double.NaN;
  private int badEpochs;
  private Map<String, Matrix> parameters;

  EarlyStopping(int patience, double minDelta) {
    this.patience = patience;
    this.minDelta = minDelta;
  }

  /** Takes over the counters and best weights of a checkpoint. */
  void restore(TrainingState state) {
    epoch = state.bestEpoch();
    loss = state.bestLoss();
    badEpochs = state.badEpochs();
    parameters = patience > 0 ? state.bestParameters() : null;
  }

  /**
   * Records the epoch's validation loss; true when patience has run out. A loss improves on the best when it is more
   * than minDelta below it: a loss that creeps down forever (a separable validation set) still stops.
   */
  boolean offer(int e, double value, Network network) {
    if (Double.isFinite(value) && (epoch == 0 || value < loss - minDelta)) {
      epoch = e;
      loss = value;
      badEpochs = 0;
      if (patience > 0) {
        parameters = snapshot(network);
      }
      return false;
    }
    badEpochs++;
    return patience > 0 && badEpochs >= patience;
  }

  /** Puts the best epoch's weights back into {@code network}; returns that epoch, or 0 when none were kept. */
  int restoreBest(Network network) {
    if (parameters == null || epoch == 0) {
      return 0;
    }
    restore(network, parameters);
    return epoch;
  }

  int epoch() {
    return epoch;
  }

  double loss() {
    return loss;
  }

  int badEpochs() {
    return badEpochs;
  }

  Map<String, Matrix> parameters() {
    return parameters;
  }

  static Map<String, Matrix> snapshot(Network network) {
    Map<String, Matrix> values = new LinkedHashMap<>();
    for (Parameter p : network.parameters()) {
      values.put(p.name(), p.value().copy());
    }
    return values;
  }

  /** Copies saved values into the network's parameters, after checking that every one is there with its shape. */
  static void restore(Network network, Map<String, Matrix> values) {
    for (Parameter p : network.parameters()) {
      Matrix v = values.get(p.name());
      if (v == null || v.rows() != p.value().rows() || v.cols() != p.value().cols()) {
        throw new IllegalArgumentException("the saved state has " + (v == null ? "no " + p.name()
            : p.name() + " of shape " + v.rows() + "x" + v.cols() + " instead of " + p.value().rows() + "x"
            + p.value().cols()));
      }
      p.value().copyFrom(v);
    }
  }
}
