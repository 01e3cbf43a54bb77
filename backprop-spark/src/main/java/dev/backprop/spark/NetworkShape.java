package dev.backprop.spark;

import dev.backprop.nn.Dense;
import dev.backprop.nn.Network;
import dev.backprop.nn.Parameter;
import dev.backprop.nn.activation.Activations;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A network's architecture without its weights, small enough to ship to executors once, and the weights as one
 * flat float64 array (exact for float32) shipped each step.
 */
final class NetworkShape implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int[] index;
  private final int[] inputs;
  private final int[] outputs;
  private final String[] activations;
  private final double[] dropouts;
  private final DType dtype;

  NetworkShape(Network network) {
    List<Network.Block> blocks = network.blocks();
    int n = blocks.size();
    index = new int[n];
    inputs = new int[n];
    outputs = new int[n];
    activations = new String[n];
    dropouts = new double[n];
    for (int i = 0; i < n; i++) {
      Network.Block b = blocks.get(i);
      index[i] = b.dense().index();
      inputs[i] = b.dense().inputSize();
      outputs[i] = b.dense().outputSize();
      activations[i] = b.activation().name();
      dropouts[i] = b.dropout();
    }
    dtype = network.dtype();
  }

  /** A network of this shape with zero weights and workspaces of its own. */
  Network build() {
    List<Network.Block> blocks = new ArrayList<>();
    for (int i = 0; i < index.length; i++) {
      Dense dense = new Dense(index[i], Matrix.zeros(dtype, inputs[i], outputs[i]), Matrix.zeros(dtype, 1, outputs[i]));
      blocks.add(new Network.Block(dense, Activations.byName(activations[i]), dropouts[i]));
    }
    return Network.of(blocks);
  }

  /** Every parameter's values in parameter order, as float64. */
  static double[] weights(Network network) {
    double[] w = new double[Math.toIntExact(network.parameterCount())];
    int at = 0;
    for (Parameter p : network.parameters()) {
      Matrix v = p.value();
      for (int i = 0; i < v.size(); i++) {
        w[at + i] = v.getFlat(i);
      }
      at += v.size();
    }
    return w;
  }

  /** Sets {@code network}'s parameters to {@code w}, rounded to their element type (exact for what weights gave). */
  static void setWeights(Network network, double[] w) {
    int at = 0;
    for (Parameter p : network.parameters()) {
      Matrix v = p.value();
      for (int i = 0; i < v.size(); i++) {
        v.setFlat(i, w[at + i]);
      }
      at += v.size();
    }
    if (at != w.length) {
      throw new IllegalArgumentException(w.length + " weights for a network of " + at);
    }
  }
}
