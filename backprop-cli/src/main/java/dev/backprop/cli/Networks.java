package dev.backprop.cli;

import dev.backprop.data.Dataset;
import dev.backprop.data.Task;
import dev.backprop.loss.Loss;
import dev.backprop.loss.Losses;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activation;
import dev.backprop.nn.activation.Activations;
import dev.backprop.tensor.DType;
import java.util.List;

/** Builds the network that the flags of {@link NetworkOptions} describe for a dataset. */
final class Networks {
  private static final List<String> HIDDEN = List.of("sigmoid", "tanh", "relu", "leaky-relu", "identity");
  private static final List<String> OUTPUT = List.of("sigmoid", "softmax", "identity", "tanh", "relu", "leaky-relu");

  private Networks() {}

  static Network build(NetworkOptions options, Dataset train, long seed, DType dtype) {
    boolean classification = train.task() == Task.CLASSIFICATION;
    Activation hidden = activation("--activation", options.activation, HIDDEN);
    Activation output = activation("--output-activation",
        options.outputActivation != null ? options.outputActivation : classification ? "softmax" : "identity", OUTPUT);
    Loss loss = loss(options.loss != null ? options.loss : classification ? "cross-entropy" : "mse");
    try {
      loss.checkOutput(output);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    Network.Builder builder = Network.builder(train.featureCount()).seed(seed).dtype(dtype).loss(loss);
    for (int width : options.hiddenWidths(train.featureCount())) {
      builder.dense(width, hidden);
    }
    return builder.dense(train.outputCount(), output).build();
  }

  private static Activation activation(String flag, String name, List<String> allowed) {
    if (!allowed.contains(name)) {
      throw new UsageException(flag + ": '" + name + "' is not one of " + String.join(", ", allowed));
    }
    return Activations.byName(name);
  }

  private static Loss loss(String name) {
    try {
      return Losses.byName(name);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--loss: " + e.getMessage());
    }
  }
}
