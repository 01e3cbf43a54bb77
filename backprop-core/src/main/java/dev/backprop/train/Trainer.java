package dev.backprop.train;

import dev.backprop.SeededRandom;
import dev.backprop.data.Dataset;
import dev.backprop.data.Task;
import dev.backprop.metrics.Evaluation;
import dev.backprop.nn.Network;
import dev.backprop.nn.Parameter;
import dev.backprop.optim.Optimizer;
import dev.backprop.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The training loop: epochs of mini-batches, each a forward pass, a backward pass and an optimizer step.
 *
 * <p>The order of the rows in epoch e is a permutation drawn from {@code SeededRandom.derive(seed,
 * SHUFFLE_STREAM, e)}, so it depends on nothing but the seed and the epoch. The last batch of an epoch
 * may be smaller than the others. After each epoch the network is evaluated on the test data, if any, and
 * the listeners are told.
 */
public final class Trainer {
  /** Stream id of the per-epoch shuffles under the training seed. */
  public static final long SHUFFLE_STREAM = 2;

  private final TrainingConfig config;
  private final List<TrainingListener> listeners = new ArrayList<>();

  public Trainer(TrainingConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public Trainer addListener(TrainingListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  public TrainingConfig config() {
    return config;
  }

  /**
   * Trains {@code network} in place on {@code train}, evaluating on {@code test} after each epoch when it is
   * not null.
   *
   * @throws DivergenceException at the first non-finite loss or gradient
   */
  public History fit(Network network, Dataset train, Dataset test) {
    requireFits(network, train, "training data");
    if (test != null) {
      requireFits(network, test, "test data");
    }
    int n = train.size();
    if (n == 0) {
      throw new IllegalArgumentException("the training data has no rows");
    }
    int batch = config.batchSize() == TrainingConfig.FULL_BATCH ? n : Math.min(config.batchSize(), n);
    int batches = (n + batch - 1) / batch;
    Optimizer optimizer = config.optimizer().create(network.parameters());
    Batch full = new Batch(batch, train);
    Batch rest = n % batch == 0 ? null : new Batch(n % batch, train);
    boolean classification = train.task() == Task.CLASSIFICATION;

    History history = new History();
    listeners.forEach(l -> l.onTrainingStart(config.epochs(), batches));
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      long start = System.nanoTime();
      int[] order = config.shuffle() ? SeededRandom.derive(config.seed(), SHUFFLE_STREAM, epoch).permutation(n)
          : identity(n);
      double lossSum = 0;
      long correct = 0;
      for (int b = 0; b < batches; b++) {
        int from = b * batch;
        int to = Math.min(n, from + batch);
        Batch buffers = to - from == batch ? full : rest;
        train.gather(order, from, to, buffers.x, buffers.y);
        double loss = network.computeGradients(buffers.x, buffers.y);
        int step = (epoch - 1) * batches + b + 1;
        checkFinite(network, loss, epoch, step);
        if (classification) {
          correct += countCorrect(network.layers().get(network.layers().size() - 1).a(), order, from, train);
        }
        optimizer.step();
        double perSample = network.loss().perSample(loss, to - from);
        lossSum += perSample * (to - from);
        for (TrainingListener l : listeners) {
          l.onBatchEnd(epoch, b + 1, batches, perSample);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Evaluation eval = test == null ? null : Evaluation.of(network, test);
      EpochResult result = new EpochResult(epoch, optimizer.learningRate(), lossSum / n,
          classification ? (double) correct / n : Double.NaN, null, eval, seconds);
      history.add(result);
      listeners.forEach(l -> l.onEpochEnd(result));
    }
    return history;
  }

  private static void requireFits(Network network, Dataset data, String what) {
    if (data.featureCount() != network.inputSize() || data.outputCount() != network.outputSize()) {
      throw new IllegalArgumentException("the " + what + " has " + data.featureCount() + " features and "
          + data.outputCount() + " outputs, but the network takes " + network.inputSize() + " inputs and gives "
          + network.outputSize() + " outputs");
    }
  }

  private static void checkFinite(Network network, double loss, int epoch, int step) {
    if (!Double.isFinite(loss)) {
      throw new DivergenceException(epoch, step, "the loss", loss);
    }
    for (Parameter p : network.parameters()) {
      Matrix g = p.grad();
      if (!g.allFinite()) {
        throw new DivergenceException(epoch, step, "the gradient of " + p.name(), firstNonFinite(g));
      }
    }
  }

  private static double firstNonFinite(Matrix m) {
    for (int i = 0; i < m.size(); i++) {
      if (!Double.isFinite(m.getFlat(i))) {
        return m.getFlat(i);
      }
    }
    return 0;
  }

  private static long countCorrect(Matrix outputs, int[] order, int from, Dataset train) {
    int[] predicted = Evaluation.argmax(outputs);
    long correct = 0;
    for (int i = 0; i < predicted.length; i++) {
      if (predicted[i] == train.label(order[from + i])) {
        correct++;
      }
    }
    return correct;
  }

  private static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  /** The input and target buffers of one batch size, allocated once per run. */
  private static final class Batch {
    final Matrix x;
    final Matrix y;

    Batch(int rows, Dataset data) {
      x = Matrix.zeros(rows, data.featureCount());
      y = Matrix.zeros(rows, data.outputCount());
    }
  }
}
