package dev.backprop.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** The flags that describe a network: its hidden layers, activations and loss. */
final class NetworkOptions {
  /** A layer wider than this is surely a typo (and would not fit in memory with a realistic input). */
  static final int MAX_WIDTH = 1 << 16;

  @Option(names = "--layers", paramLabel = "W,W", split = ",",
      description = "Hidden layer widths, e.g. 128,64 (default: 128 for up to 100 features, else 256,128).")
  List<Integer> layers;

  @Option(names = "--activation", paramLabel = "F", defaultValue = "relu",
      description = "Hidden activation: sigmoid, tanh, relu, leaky-relu (default: ${DEFAULT-VALUE}).")
  String activation;

  @Option(names = "--output-activation", paramLabel = "F",
      description = "Output activation: sigmoid, softmax, identity (default: softmax for classification, "
          + "identity for regression).")
  String outputActivation;

  @Option(names = "--loss", paramLabel = "L",
      description = "sse (the seed's 1/2 sum (a - y)^2), mse, cross-entropy, binary-cross-entropy "
          + "(default: cross-entropy for classification, mse for regression).")
  String loss;

  @Option(names = "--dropout", paramLabel = "P", defaultValue = "0",
      description = "Share of each hidden layer's outputs dropped in training, in [0, 1) (inverted dropout, "
          + "seeded; off in evaluation) (default: ${DEFAULT-VALUE}).")
  double dropout;

  /** Checks the values that need no data. */
  void validate() {
    if (!(dropout >= 0 && dropout < 1)) {
      throw new UsageException("--dropout must be at least 0 and below 1, got " + dropout);
    }
  }

  /** The hidden widths for data with {@code features} inputs. */
  List<Integer> hiddenWidths(int features) {
    if (layers != null) {
      for (int w : layers) {
        if (w <= 0 || w > MAX_WIDTH) {
          throw new UsageException("--layers widths must be between 1 and " + MAX_WIDTH + ", got " + w);
        }
      }
      return layers;
    }
    return features <= 100 ? List.of(128) : List.of(256, 128);
  }
}
