package dev.backprop.train;

import dev.backprop.InvalidSettingException;
import dev.backprop.data.Dataset;
import dev.backprop.data.Task;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Network;
import dev.backprop.nn.Parameter;
import dev.backprop.nn.Pass;
import dev.backprop.optim.Optimizer;
import dev.backprop.tensor.Matrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The training loop: epochs of mini-batches, each a forward pass, a backward pass and an optimizer step.
 *
 * <p>The order of the rows in epoch e is a permutation drawn from {@code SeededRandom.derive(seed,
 * SHUFFLE_STREAM, e)}, so it depends on nothing but the seed and the epoch. The last batch of an epoch
 * may be smaller than the others. After each epoch the network is evaluated on the validation and test data, if
 * any, and the listeners are told. Step s (1-based over the whole run) draws its dropout masks from (seed, s), and
 * the learning rate of each epoch comes from the configuration's {@link Schedule}, so a run resumed from a
 * checkpoint ends with the same weights, bit for bit, as one that was never interrupted.
 *
 * <p>{@link #requestStop()}, from any thread, ends the run after the batch in progress: the state is saved to the
 * checkpoint store, if any, and {@link History#interrupted()} says so. Resuming that state finishes the run as if
 * nothing had happened.
 *
 * <p>With K = {@link TrainingConfig#shards()} greater than 1, or with a {@link ShardExecutor} given, the rows of
 * each step come from K fixed shards as {@link ShardPlan} says, each shard's gradient sum is computed on its own
 * ({@link ShardWorker}), and the sums are added in shard order before the optimizer steps; a pass over shard k draws
 * its dropout masks from (seed, step, k). K = 1 without an executor is the unsharded loop above.
 */
public final class Trainer {
  /** Stream id of the per-epoch shuffles under the training seed. */
  public static final long SHUFFLE_STREAM = Batches.SHUFFLE_STREAM;
  /** A checkpoint interval that saves only when a stop request ends the run. */
  public static final int ONLY_WHEN_STOPPED = 0;

  private final TrainingConfig config;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private CheckpointStore store;
  private int checkpointEvery;
  private TrainingState resume;
  private ShardExecutor.Factory executors;
  private volatile boolean stopRequested;

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
   * Saves the run's state to {@code store} after every {@code everyEpochs} epochs and after the last one, and
   * whenever a stop request ends the run; with {@link #ONLY_WHEN_STOPPED}, only then.
   */
  public Trainer checkpoints(CheckpointStore store, int everyEpochs) {
    if (everyEpochs < 0) {
      throw new InvalidSettingException("checkpointEvery", everyEpochs, "1 or more epochs (0: only when stopped)");
    }
    this.store = Objects.requireNonNull(store, "store");
    this.checkpointEvery = everyEpochs;
    return this;
  }

  /**
   * Continues the run of {@code state} on the next call of {@code fit}, which must be given the same
   * network architecture, data and configuration (checked by the {@link #signature}).
   */
  public Trainer resumeFrom(TrainingState state) {
    this.resume = Objects.requireNonNull(state, "state");
    return this;
  }

  /**
   * Computes each step's shard sums with executors from {@code factory} (e.g. on a cluster) instead of in this
   * process; the run is sharded even with one shard.
   */
  public Trainer shardsOn(ShardExecutor.Factory factory) {
    this.executors = Objects.requireNonNull(factory, "factory");
    return this;
  }

  /** Asks the run in progress (or the next one) to stop after its current batch; safe from any thread. */
  public void requestStop() {
    stopRequested = true;
  }

  /**
   * What a checkpoint must match to be resumed by this run: every setting of the configuration, the architecture,
   * the loss and the sizes of the data, as {@code name=value} pairs joined by {@code "; "}.
   */
  public static String signature(TrainingConfig config, Network network, Loss loss, Dataset train,
      Dataset validation) {
    Map<String, String> s = new LinkedHashMap<>(config.settings());
    s.put("architecture", network.describe());
    s.put("loss", loss.name());
    s.put("trainRows", String.valueOf(train.size()));
    s.put("validationRows", String.valueOf(validation == null ? 0 : validation.size()));
    StringBuilder text = new StringBuilder();
    s.forEach((k, v) -> text.append(text.length() == 0 ? "" : "; ").append(k).append('=').append(v));
    return text.toString();
  }

  /** The signature that checkpoints written before {@link #signature} named its settings carry. */
  static String legacySignature(TrainingConfig config, Network network, Loss loss, Dataset train,
      Dataset validation) {
    return config + "; " + network.describe() + ", " + loss.name() + "; train " + train.size() + " rows"
        + (validation == null ? "" : "; validation " + validation.size() + " rows");
  }

  /** Trains {@code network} under {@code loss} on {@code train}, evaluating on {@code test} (if not null). */
  public History fit(Network network, Loss loss, Dataset train, Dataset test) {
    return fit(network, loss, train, null, test);
  }

  /**
   * Trains {@code network} in place under {@code loss} on {@code train}. After each epoch it is evaluated on
   * {@code validation} and {@code test} when they are not null; with a patience in the configuration, training
   * stops after that many epochs without a lower validation loss, and the network ends with the weights of the
   * epoch of the lowest validation loss ({@link History#keptEpoch()}).
   *
   * @throws DivergenceException at the first non-finite loss or gradient
   * @throws IncompatibleCheckpointException when a state to resume from belongs to another run
   * @throws UncheckedIOException when a checkpoint cannot be saved
   */
  public History fit(Network network, Loss loss, Dataset train, Dataset validation, Dataset test) {
    Run run = new Run(network, loss, train, validation, test);
    if (resume != null) {
      run.resume(resume);
    }
    try (Batches batches = run.batches; ShardExecutor executor = run.executor) {
      listeners.forEach(l -> l.onTrainingStart(config.epochs(), run.steps()));
      while (run.epoch < config.epochs() && !run.stopped) {
        if (stopRequested || !trainEpoch(run, run.epoch + 1)) {
          run.history.interrupt(run.epoch, run.partial.batches());
          save(run.state());
          break;
        }
        endEpoch(run, run.epoch + 1);
      }
    }
    int kept = run.early.restoreBest(network);
    if (kept > 0) {
      run.history.keep(kept, run.stopped);
    }
    return run.history;
  }

  /** The batches of one epoch from where the run stands; false when a stop request cut the epoch short. */
  private boolean trainEpoch(Run run, int epoch) {
    long start = System.nanoTime();
    run.optimizer.setLearningRate(config.schedule().rate(config.optimizer().learningRate(), epoch, config.epochs()));
    if (run.batches != null) {
      run.batches.startEpoch(epoch);
    }
    int count = run.steps();
    for (int b = run.partial.batches(); b < count; b++) {
      if (stopRequested) {
        run.partial = run.partial.plusSeconds((System.nanoTime() - start) / 1e9);
        return false;
      }
      int step = (epoch - 1) * count + b + 1;
      double cost;
      long correct;
      int rows;
      if (run.executor == null) {
        Batches.Batch batch = run.batches.take(b);
        cost = step(run, batch, epoch, step);
        correct = run.classification ? countCorrect(run, batch) : 0;
        rows = batch.rows();
      } else {
        ShardSum total = ShardSum.total(run.executor.sums(run.network, epoch, b, step));
        ShardWorker.setGradient(run.network, total.gradient());
        cost = update(run, total.cost(), epoch, step);
        correct = total.correct();
        rows = total.rows();
      }
      double perSample = run.loss.perSample(cost, rows);
      run.partial = run.partial.plus(perSample * rows, correct);
      for (TrainingListener l : listeners) {
        l.onBatchEnd(epoch, b + 1, count, perSample);
      }
    }
    run.partial = run.partial.plusSeconds((System.nanoTime() - start) / 1e9);
    return true;
  }

  /**
   * One step of gradient descent on a batch: the gradient of its cost (forward and backward), checked, clipped,
   * and the optimizer's update. Returns the cost before the update.
   */
  private double step(Run run, Batches.Batch batch, int epoch, int step) {
    double cost = run.objective.computeGradients(run.network, batch.x(), batch.y(), Pass.training(config.seed(), step));
    return update(run, cost, epoch, step);
  }

  /** The update from the network's gradients, of a batch of cost {@code cost}: checked, clipped, stepped. */
  private double update(Run run, double cost, int epoch, int step) {
    checkFinite(run.network, cost, epoch, step);
    if (config.clipNorm() > 0) {
      GradientClipping.clip(run.network.parameters(), config.clipNorm());
    }
    run.optimizer.step();
    return cost;
  }

  /** Evaluates the epoch's network, records its result, applies early stopping and saves a checkpoint when due. */
  private void endEpoch(Run run, int epoch) {
    Evaluation validated = run.validation == null ? null : Evaluation.of(run.network, run.loss, run.validation);
    Evaluation tested = run.test == null ? null : Evaluation.of(run.network, run.loss, run.test);
    int n = run.train.size();
    EpochResult result = new EpochResult(epoch, run.optimizer.learningRate(), run.partial.lossSum() / n,
        run.classification ? (double) run.partial.correct() / n : Double.NaN, validated, tested,
        run.partial.seconds());
    run.history.add(result);
    run.epoch = epoch;
    run.partial = EpochProgress.NONE;
    if (validated != null) {
      run.stopped = run.early.offer(epoch, validated.loss(), run.network);
    }
    listeners.forEach(l -> l.onEpochEnd(result));
    if (checkpointEvery > 0 && (epoch % checkpointEvery == 0 || epoch == config.epochs() || run.stopped)) {
      save(run.state());
    }
  }

  private void save(TrainingState state) {
    if (store == null) {
      return;
    }
    try {
      store.save(state);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the checkpoint of epoch " + state.epoch() + ": " + e.getMessage(),
          e);
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

  private static long countCorrect(Run run, Batches.Batch batch) {
    Matrix outputs = run.objective.outputs();
    long correct = 0;
    for (int i = 0; i < outputs.rows(); i++) {
      if (Evaluation.argmax(outputs, i) == run.batches.label(batch.from(), i)) {
        correct++;
      }
    }
    return correct;
  }

  /** One call of {@code fit}: what it trains, with what, and where it stands. */
  private final class Run {
    final Network network;
    final Loss loss;
    final Objective objective;
    final Dataset train;
    final Dataset validation;
    final Dataset test;
    final boolean classification;
    final Optimizer optimizer;
    final Batches batches;
    final ShardExecutor executor;
    final String signature;
    final History history = new History();
    final EarlyStopping early = new EarlyStopping(config.patience(), config.minDelta());
    int epoch;
    EpochProgress partial = EpochProgress.NONE;
    boolean stopped;

    Run(Network network, Loss loss, Dataset train, Dataset validation, Dataset test) {
      requireFits(network, train, "training data");
      requireFits(network, validation, "validation data");
      requireFits(network, test, "test data");
      if (config.patience() > 0 && (validation == null || validation.size() == 0)) {
        throw new IllegalArgumentException("early stopping needs validation data");
      }
      if (train.size() == 0) {
        throw new IllegalArgumentException("the training data has no rows");
      }
      this.network = network;
      this.loss = loss;
      this.objective = Objective.of(loss, network);
      this.train = train;
      this.validation = validation;
      this.test = test;
      this.classification = train.task() == Task.CLASSIFICATION;
      this.optimizer = config.optimizer().create(network.parameters());
      if (executors == null && config.shards() == 1) {
        this.batches = new Batches(train, config.batchSize(), config.seed(), config.shuffle());
        this.executor = null;
      } else {
        this.batches = null;
        this.executor = (executors == null ? ShardExecutor.local() : executors).open(config, loss, network, train);
      }
      this.signature = signature(config, network, loss, train, validation);
    }

    /** Takes over a checkpoint's weights, optimizer state, history and counters, after checking it fits. */
    void resume(TrainingState state) {
      // the older form only here: it prints the configuration's records, and a record's first toString builds method
      // handles, whose classes kept C2 busy in the first second of every run (docs/PERFORMANCE.md)
      String mismatch = Resume.mismatch(state.signature(), signature,
          legacySignature(config, network, loss, train, validation));
      if (mismatch != null) {
        throw new IncompatibleCheckpointException("the checkpoint belongs to another run: " + mismatch, true);
      }
      try {
        Resume.requireConsistent(state, config.epochs(), config.patience() > 0, steps());
        EarlyStopping.restore(network, state.parameters());
        optimizer.importState(state.optimizerState());
        if (state.bestParameters() != null) {
          EarlyStopping.restore(network.copy(network.dtype()), state.bestParameters());
        }
      } catch (IllegalArgumentException e) {
        throw new IncompatibleCheckpointException("the checkpoint does not fit this run: " + e.getMessage(), false);
      }
      state.history().forEach(history::add);
      early.restore(state);
      epoch = state.epoch();
      partial = state.partial();
      stopped = state.stopped();
    }

    /** Steps per epoch. */
    int steps() {
      return batches != null ? batches.count() : executor.plan().steps();
    }

    TrainingState state() {
      return new TrainingState(signature, epoch, stopped, EarlyStopping.snapshot(network), optimizer.exportState(),
          history.epochs(), early.epoch(), early.loss(), early.badEpochs(), early.parameters(), partial);
    }
  }

  private static void requireFits(Network network, Dataset data, String what) {
    if (data != null && (data.featureCount() != network.inputSize() || data.outputCount() != network.outputSize())) {
      throw new IllegalArgumentException("the " + what + " has " + data.featureCount() + " features and "
          + data.outputCount() + " outputs, but the network takes " + network.inputSize() + " inputs and gives "
          + network.outputSize() + " outputs");
    }
  }
}
