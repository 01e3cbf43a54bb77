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
  /**
   * How the warm-up's random rows are stored: as the real run's data, so that it compiles the gather of batches the
   * real run needs too.
   */
  public enum Rows {
    /** float32 features: tables, and datasets built from a matrix. */
    FLOATS,
    /** unsigned bytes and a divisor: images read from IDX files ({@link Dataset#classificationFromBytes}). */
    BYTES
  }

  /**
   * Batches in a row at compiled speed after which the warm-up ends by itself: the JIT has compiled what they run,
   * and more batches would only take a core from the caller.
   */
  static final int COMPILED_BATCHES = 3;
  /** Batches run one after the other before the slow ones are spaced out (see {@link Compiled#pause}). */
  static final int EAGER_BATCHES = 10;
  /** The pause after a slow batch once they are spaced out. */
  static final long PAUSE_MILLIS = 20;

  private final Thread thread;
  /** The training warm-up's trainer; null for a forward-only one. */
  private final Trainer trainer;
  /** The random rows it trains or evaluates on. */
  private final Dataset data;
  private volatile boolean stopped;
  private volatile long batches;

  private Warmup(Network network, Loss loss, TrainingConfig config, Duration max, Rows rows,
      boolean endWhenCompiled) {
    // epochs without end: the warm-up ends on close(), after max, or once its batches run compiled
    TrainingConfig endless = config.withEpochs(Integer.MAX_VALUE).withPatience(0);
    data = randomData(network, config.batchSize(), rows);
    long deadline = System.nanoTime() + max.toNanos();
    Compiled compiled = new Compiled(6 * network.parameterCount() * (config.batchSize() > 0
        ? Math.min(data.size(), config.batchSize()) : data.size()));
    trainer = new Trainer(endless).addListener(new TrainingListener() {
      @Override
      public void onBatchEnd(int epoch, int batch, int batchesPerEpoch, double loss) {
        batches++;
        if (stopped || compiled.batchEnded() && endWhenCompiled || System.nanoTime() - deadline > 0) {
          trainer.requestStop();
        } else {
          compiled.pause(batches);
        }
      }
    });
    thread = daemon(() -> {
      try {
        trainer.fit(network, loss, data, null);
      } catch (RuntimeException e) {
        // a warm-up that diverges (a huge learning rate) has compiled what it ran; the real run reports its own
      }
    });
  }

  /** A forward-only warm-up: the network evaluated on its random rows, pass after pass. */
  private Warmup(Network network, Loss loss, Duration max, boolean endWhenCompiled) {
    data = randomData(network, 64, Rows.FLOATS);
    long deadline = System.nanoTime() + max.toNanos();
    Compiled compiled = new Compiled(2 * network.parameterCount() * data.size());
    trainer = null;
    thread = daemon(() -> {
      try {
        while (!stopped && System.nanoTime() - deadline < 0) {
          Evaluation.of(network, loss, data);
          batches++;
          if (compiled.batchEnded() && endWhenCompiled) {
            break;
          }
          compiled.pause(batches);
        }
      } catch (RuntimeException e) {
        // the real run reports its own
      }
    });
  }

  private static Thread daemon(Runnable work) {
    Thread thread = new Thread(work, "backprop-warmup");
    thread.setDaemon(true);
    // below the caller's threads: when the cores are few, reading the data comes first
    thread.setPriority(Thread.MIN_PRIORITY);
    return thread;
  }

  /**
   * Tells from the time between batch ends when the batches run compiled: at a floating-point operation a
   * nanosecond or more (each weight takes about six a row forward and backward, two forward only). Compiled, the
   * kernels run ten to a hundred times faster than that; until the JIT's optimising compiler has compiled them, about
   * a hundred times slower.
   */
  private static final class Compiled {
    private final long flopsPerBatch;
    private long last = System.nanoTime();
    private int inARow;

    Compiled(long flopsPerBatch) {
      this.flopsPerBatch = flopsPerBatch;
    }

    /**
     * After the first {@link #EAGER_BATCHES} batches, a slow batch is followed by a pause: they have had the JIT
     * queue what they run, and while it compiles, more batches at the speed of uncompiled code would only take a
     * core from the caller.
     */
    void pause(long batches) {
      if (batches >= EAGER_BATCHES && inARow == 0) {
        try {
          Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        last = System.nanoTime();
      }
    }

    /** Records a batch's end; true once {@link #COMPILED_BATCHES} batches in a row ran compiled. */
    boolean batchEnded() {
      long now = System.nanoTime();
      inARow = now - last < flopsPerBatch ? inARow + 1 : 0;
      last = now;
      return inARow >= COMPILED_BATCHES;
    }
  }

  /**
   * Starts training {@code network} under {@code loss} with {@code config}'s optimiser, schedule, clipping and
   * batch size on random rows (four batches of them), for at most {@code max}; it ends by itself once its batches
   * run compiled. The network is trained in place: give it one of its own, small, with the layer kinds of the real
   * one (its widths need not match).
   */
  public static Warmup start(Network network, Loss loss, TrainingConfig config, Duration max) {
    return start(network, loss, config, max, Rows.FLOATS);
  }

  /**
   * As {@link #start(Network, Loss, TrainingConfig, Duration)}, with its random rows stored as {@code rows}: give
   * {@link Rows#BYTES} when the real data are IDX images, whose batches are gathered from bytes.
   */
  public static Warmup start(Network network, Loss loss, TrainingConfig config, Duration max, Rows rows) {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(rows, "rows");
    return start(network, loss, config, max, rows, true);
  }

  /**
   * Starts evaluating {@code network} under {@code loss} on random rows, forward only, for at most {@code max}, until
   * its passes run compiled: for a caller that will evaluate or predict rather than train (its network, as for
   * {@link #start}, one of its own of the same layer kinds).
   */
  public static Warmup startInference(Network network, Loss loss, Duration max) {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(max, "max");
    return startInference(network, loss, max, true);
  }

  /** As {@link #startInference}; with {@code endWhenCompiled} false, until stopped or {@code max} (for tests). */
  static Warmup startInference(Network network, Loss loss, Duration max, boolean endWhenCompiled) {
    Warmup w = new Warmup(network, loss, max, endWhenCompiled);
    w.thread.start();
    return w;
  }

  /** As {@link #start}; with {@code endWhenCompiled} false it runs until stopped or {@code max} (for tests). */
  static Warmup start(Network network, Loss loss, TrainingConfig config, Duration max, boolean endWhenCompiled) {
    return start(network, loss, config, max, Rows.FLOATS, endWhenCompiled);
  }

  /** As {@link #start(Network, Loss, TrainingConfig, Duration, Rows)}; see the other for {@code endWhenCompiled}. */
  static Warmup start(Network network, Loss loss, TrainingConfig config, Duration max, Rows rows,
      boolean endWhenCompiled) {
    Warmup w = new Warmup(network, loss, config, max, rows, endWhenCompiled);
    w.thread.start();
    return w;
  }

  /** The random rows it runs on (for tests). */
  Dataset data() {
    return data;
  }

  /** The batches trained (or forward passes run) so far. */
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
    if (trainer != null) {
      trainer.requestStop();
    }
  }

  /** Stops the warm-up after its batch in progress and waits for its thread to end. */
  @Override
  public void close() {
    stop();
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

  /** Four batches of rows in [0, 1), stored as {@code kind}, with labels taking every class in turn. */
  private static Dataset randomData(Network network, int batchSize, Rows kind) {
    int rows = 4 * (batchSize == TrainingConfig.FULL_BATCH ? 64 : batchSize);
    int inputs = network.inputSize();
    int outputs = network.outputSize();
    SplittableRandom random = new SplittableRandom(7);
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
    if (kind == Rows.BYTES) {
      byte[] pixels = new byte[rows * inputs];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (byte) random.nextInt(256);
      }
      return Dataset.classificationFromBytes("warm-up", names, rows, pixels, 255f, classes, labels);
    }
    Matrix x = Matrix.zeros(rows, inputs);
    float[] xs = x.floats();
    for (int i = 0; i < xs.length; i++) {
      xs[i] = (float) random.nextDouble();
    }
    return Dataset.classification("warm-up", names, x, classes, labels);
  }
}
