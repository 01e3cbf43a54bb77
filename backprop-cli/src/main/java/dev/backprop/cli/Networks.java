package dev.backprop.cli;

import dev.backprop.data.Dataset;
import dev.backprop.data.Task;
import dev.backprop.loss.Loss;
import dev.backprop.loss.Losses;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activation;
import dev.backprop.nn.activation.Activations;
import dev.backprop.tensor.DType;
import dev.backprop.train.Objective;
import java.util.List;

/** Builds the network that the flags of {@link NetworkOptions} describe for a dataset. */
final class Networks {
  /** Every activation but softmax, which only the output layer may have. */
  private static final List<String> HIDDEN = Activations.NAMES.stream().filter(n -> !n.equals("softmax")).toList();
  private static final List<String> OUTPUT = Activations.NAMES;

  private Networks() {}

  /** The network of the flags, with initial weights from {@code seed}. */
  static Network build(NetworkOptions options, Dataset train, long seed, DType dtype) {
    Activation hidden = activation("--activation", options.activation, HIDDEN);
    Activation output = outputActivation(options, train);
    loss(options, train);
    List<Integer> widths = options.hiddenWidths(train.featureCount());
    requireMemory(train.featureCount(), widths, train.outputCount(), Runtime.getRuntime().maxMemory());
    Network.Builder builder = Network.builder(train.featureCount()).seed(seed).dtype(dtype);
    for (int width : widths) {
      builder.dense(width, hidden);
      if (options.dropout > 0) {
        builder.dropout(options.dropout);
      }
    }
    return builder.dense(train.outputCount(), output).build();
  }

  /**
   * Refuses, before any allocation, a network whose float32 parameters with their gradients and two
   * optimizer moments (16 bytes per parameter) would not fit in {@code maxHeap} bytes.
   */
  static void requireMemory(int inputs, List<Integer> widths, int outputs, long maxHeap) {
    long parameters = 0;
    int in = inputs;
    for (int w : widths) {
      parameters += (long) in * w + w;
      in = w;
    }
    parameters += (long) in * outputs + outputs;
    long bytes = parameters * 16;
    if (bytes > maxHeap) {
      throw new UsageException(String.format(java.util.Locale.ROOT, "--layers %s: the network has %,d parameters, "
          + "which need about %.1f GiB in training, more than the %.1f GiB this Java may use (raise -Xmx in "
          + "BACKPROP_JAVA_OPTS or choose smaller layers)", widths.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")),
          parameters, bytes / 1073741824.0, maxHeap / 1073741824.0));
    }
  }

  private static Activation activation(String flag, String name, List<String> allowed) {
    if (!allowed.contains(name)) {
      throw new UsageException(flag + ": '" + name + "' is not one of " + String.join(", ", allowed));
    }
    return Activations.byName(name);
  }

  /** The loss of the flags, checked against the output activation it follows. */
  static Loss loss(NetworkOptions options, Dataset train) {
    boolean classification = train.task() == Task.CLASSIFICATION;
    String name = options.loss != null ? options.loss : classification ? "cross-entropy" : "mse";
    Loss loss;
    try {
      loss = Losses.byName(name);
    } catch (IllegalArgumentException e) {
      throw Flags.usageError("--loss", e);
    }
    Objective.of(loss, outputActivation(options, train));
    return loss;
  }

  private static Activation outputActivation(NetworkOptions options, Dataset train) {
    boolean classification = train.task() == Task.CLASSIFICATION;
    return activation("--output-activation",
        options.outputActivation != null ? options.outputActivation : classification ? "softmax" : "identity", OUTPUT);
  }
}
