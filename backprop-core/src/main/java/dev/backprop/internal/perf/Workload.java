package dev.backprop.internal.perf;

import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.loss.Loss;
import dev.backprop.loss.SquaredErrorLoss;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activations;
import dev.backprop.nn.init.Initializer;
import dev.backprop.optim.OptimizerSettings;
import java.util.List;
import java.util.Locale;

/**
 * A standard training workload on Fashion-MNIST (784 inputs, 10 classes), defined as the peer benchmarks
 * define it so that samples per second compare directly:
 * <ul>
 *   <li>W1 "seed": 784-128-10, sigmoid hidden and output, mean over the batch of 1/2 sum (a - y)^2, plain
 *       SGD lr 0.5, batch 64, 5 epochs. Backprop's sse sums over the batch, so W1 runs sse with lr 0.5 / 64,
 *       the same update.
 *   <li>W2 "modern": 784-256-256-10, relu, softmax with cross-entropy, Adam lr 1e-3, batch 128, 5 epochs.
 *   <li>W3 "throughput": 784-1024-1024-10, relu, softmax with cross-entropy, SGD lr 0.1, batch 512, 1 epoch.
 * </ul>
 * Initial weights U(-1/sqrt(fan_in), 1/sqrt(fan_in)), as PyTorch's nn.Linear. Useful FLOPs per sample are
 * 3 x the forward pass: 6 x sum of fan_in x fan_out.
 */
public record Workload(String id, String name, List<Integer> layers, boolean seedNetwork, OptimizerSettings optimizer,
    int batchSize, int epochs) {

  public static final Workload W1 = new Workload("W1", "seed", List.of(784, 128, 10), true,
      OptimizerSettings.sgd(0.5 / 64), 64, 5);
  public static final Workload W2 = new Workload("W2", "modern", List.of(784, 256, 256, 10), false,
      OptimizerSettings.adam(1e-3), 128, 5);
  public static final Workload W3 = new Workload("W3", "throughput", List.of(784, 1024, 1024, 10), false,
      OptimizerSettings.sgd(0.1), 512, 1);

  /** W1, W2 and W3. */
  public static List<Workload> all() {
    return List.of(W1, W2, W3);
  }

  /** The workload called {@code id} (case-insensitive). */
  public static Workload byId(String id) {
    for (Workload w : all()) {
      if (w.id.equalsIgnoreCase(id)) {
        return w;
      }
    }
    throw new IllegalArgumentException("unknown workload '" + id + "', expected W1, W2 or W3");
  }

  /** 6 x sum of fan_in x fan_out: forward, and backward counted as twice the forward. */
  public long flopsPerSample() {
    long sum = 0;
    for (int i = 0; i + 1 < layers.size(); i++) {
      sum += (long) layers.get(i) * layers.get(i + 1);
    }
    return 6 * sum;
  }

  /** The network of this workload, with initial weights from {@code seed}. */
  public Network network(long seed) {
    Network.Builder b = Network.builder(layers.get(0)).seed(seed);
    for (int i = 1; i < layers.size(); i++) {
      boolean last = i == layers.size() - 1;
      var activation = seedNetwork ? Activations.sigmoid()
          : last ? Activations.softmax() : Activations.relu();
      b.dense(layers.get(i), activation, Initializer.FAN_IN_UNIFORM);
    }
    return b.build();
  }

  /** The loss this workload trains with: the seed's sse, or cross-entropy after softmax. */
  public Loss loss() {
    return seedNetwork ? SquaredErrorLoss.sse() : new CrossEntropyLoss();
  }

  /** e.g. {@code W2 modern 784-256-256-10 adam batch 128}. */
  public String describe() {
    StringBuilder sb = new StringBuilder(id).append(' ').append(name).append(' ');
    for (int i = 0; i < layers.size(); i++) {
      sb.append(i == 0 ? "" : "-").append(layers.get(i));
    }
    return sb.append(' ').append(optimizer.kind().id()).append(String.format(Locale.ROOT, " batch %d", batchSize))
        .toString();
  }
}
