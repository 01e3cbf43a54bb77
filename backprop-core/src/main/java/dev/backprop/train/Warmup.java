package dev.backprop.train;

import dev.backprop.data.Dataset;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Network;
import dev.backprop.tensor.Matrix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Has the JIT compile the training code before the real training starts: a daemon thread trains a small network on
 * random rows, with the {@link Trainer} and the configuration of the real run, while the caller does something else
 * (typically reads its data). The Vector API kernels run some hundred times slower until the JIT's optimising
 * compiler has compiled them, and small shapes reach its thresholds after little work.
 *
 * <p>Nothing of the warm-up reaches the real run: it trains its own network on its own data, and the kernels'
 * results depend on the shapes alone. {@link #close()} stops it after its batch in progress and waits for it: call it
 * before training, so that the two do not compete for the cores ({@link #stop()} does not wait, for a JVM that compiles
 * the kernels in the foreground).
 *
 * <pre>{@code
 * try (Warmup warmup = Warmup.start(smallNetworkOfTheSameKinds, loss, config, Duration.ofSeconds(5))) {
 *   data = readTheData();
 * }
 * new Trainer(config).fit(network, loss, data, null);
 * }</pre>
 */
public final class Warmup implements AutoCloseable {
  private final Thread thread;
  private final Trainer trainer;
  private volatile boolean stopped;
  private volatile long batches;

  private Warmup(Network network, Loss loss, TrainingConfig config, Duration max) {
    // epochs without end: the warm-up ends on close() or after max, at a batch's end
    TrainingConfig endless = config.withEpochs(Integer.MAX_VALUE).withPatience(0);
    Dataset data = randomData(network, config.batchSize());
    long deadline = System.nanoTime() + max.toNanos();
    trainer = new Trainer(endless).addListener(new TrainingListener() {
      @Override
      public void onBatchEnd(int epoch, int batch, int batchesPerEpoch, double loss) {
        batches++;
        if (stopped || System.nanoTime() - deadline > 0) {
          trainer.requestStop();
        }
      }
    });
    thread = new Thread(() -> {
      try {
        trainer.fit(network, loss, data, null);
      } catch (RuntimeException e) {
        // a warm-up that diverges (a huge learning rate) has compiled what it ran; the real run reports its own
      }
    }, "backprop-warmup");
    thread.setDaemon(true);
    // below the caller's threads: when the cores are few, reading the data comes first
    thread.setPriority(Thread.MIN_PRIORITY);
  }

  /**
   * Starts training {@code network} under {@code loss} with {@code config}'s optimiser, schedule, clipping and
   * batch size on random rows (four batches of them), for at most {@code max}. The network is trained in place: give
   * it one of its own, small, with the layer kinds of the real one (its widths need not match).
   */
  public static Warmup start(Network network, Loss loss, TrainingConfig config, Duration max) {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(max, "max");
    Warmup w = new Warmup(network, loss, config, max);
    w.thread.start();
    return w;
  }

  /** The batches trained so far. */
  public long batches() {
    return batches;
  }

  /**
   * Asks the warm-up to end after its batch in progress and returns at once; its thread ends by itself. For a JVM that
   * compiles the kernels in the foreground ({@code -XX:CompileCommand=BackgroundCompilation,
   * dev.backprop.internal.kernel.*::*,false}, as the launcher does): there the batch in progress may be waiting for
   * the compiler, whose work the caller's own training needs next anyway, so waiting for it only delays the start.
   */
  public void stop() {
    stopped = true;
    trainer.requestStop();
  }

  /** Stops the warm-up after its batch in progress and waits for its thread to end. */
  @Override
  public void close() {
    stopped = true;
    trainer.requestStop();
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Four batches of rows in [0, 1), labels taking every class in turn (or targets in [0, 1)). */
  private static Dataset randomData(Network network, int batchSize) {
    int rows = 4 * (batchSize == TrainingConfig.FULL_BATCH ? 64 : batchSize);
    int inputs = network.inputSize();
    int outputs = network.outputSize();
    SplittableRandom random = new SplittableRandom(7);
    Matrix x = Matrix.zeros(rows, inputs);
    float[] xs = x.floats();
    for (int i = 0; i < xs.length; i++) {
      xs[i] = (float) random.nextDouble();
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < inputs; j++) {
      names.add("x" + j);
    }
    List<String> classes = new ArrayList<>();
    for (int c = 0; c < outputs; c++) {
      classes.add("c" + c);
    }
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = i % outputs;
    }
    return Dataset.classification("warm-up", names, x, classes, labels);
  }
}
