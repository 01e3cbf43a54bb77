package dev.backprop.spark;

import dev.backprop.nn.Dense;
import dev.backprop.nn.Network;
import dev.backprop.nn.Parameter;
import dev.backprop.nn.activation.Activations;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;

/**
 * A network's architecture without its weights, as text shipped to executors once ({@link #text()}), and the
 * weights as one flat float64 array (exact for float32) shipped each step.
 */
final class NetworkShape {
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

  /** One line per block, {@code index inputs outputs activation dropout}, then the element type. */
  String text() {
    StringBuilder t = new StringBuilder();
    for (int i = 0; i < index.length; i++) {
      t.append(index[i]).append(' ').append(inputs[i]).append(' ').append(outputs[i]).append(' ')
          .append(activations[i]).append(' ').append(dropouts[i]).append('\n');
    }
    return t.append(dtype.name()).toString();
  }

  /** The shape that {@link #text()} describes. */
  static NetworkShape parse(String text) {
    return new NetworkShape(text.split("\n"));
  }

  private NetworkShape(String[] lines) {
    int n = lines.length - 1;
    index = new int[n];
    inputs = new int[n];
    outputs = new int[n];
    activations = new String[n];
    dropouts = new double[n];
    for (int i = 0; i < n; i++) {
      String[] f = lines[i].split(" ");
      index[i] = Integer.parseInt(f[0]);
      inputs[i] = Integer.parseInt(f[1]);
      outputs[i] = Integer.parseInt(f[2]);
      activations[i] = f[3];
      dropouts[i] = Double.parseDouble(f[4]);
    }
    dtype = DType.valueOf(lines[n]);
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
