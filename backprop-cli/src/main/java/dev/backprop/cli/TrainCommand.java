package dev.backprop.cli;

import dev.backprop.Version;
import dev.backprop.data.Task;
import dev.backprop.Compute;
import dev.backprop.io.Model;
import dev.backprop.io.ModelFile;
import dev.backprop.io.ModelInfo;
import dev.backprop.train.Evaluation;
import dev.backprop.loss.Loss;
import dev.backprop.loss.Losses;
import dev.backprop.nn.activation.Activations;
import dev.backprop.train.Objective;
import dev.backprop.train.Warmup;
import dev.backprop.train.Warmup.Rows;
import java.time.Duration;
import dev.backprop.nn.Dense;
import dev.backprop.nn.Network;
import dev.backprop.tensor.Matrix;
import dev.backprop.optim.OptimizerSettings;
import dev.backprop.tensor.DType;
import dev.backprop.InvalidInputException;
import dev.backprop.data.DataSources;
import dev.backprop.data.Dataset;
import dev.backprop.data.Splits;
import dev.backprop.io.CheckpointFile;
import dev.backprop.report.TrainingReport;
import dev.backprop.train.DivergenceException;
import dev.backprop.train.EpochResult;
import dev.backprop.train.Schedule;
import dev.backprop.train.TrainingState;
import dev.backprop.train.History;
import dev.backprop.train.IncompatibleCheckpointException;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code backprop train}: trains a network, reports its metrics and saves it. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Trains a network on a dataset, shows progress per epoch, reports the test metrics and saves "
        + "the model.", "With no flags: a 64-128-10 relu/softmax network on the bundled digits, 10 epochs of Adam.",
        "Ctrl-C saves the model so far and a checkpoint (in --checkpoint-dir, else next to the model as "
            + "<name>.checkpoint), prints the command that resumes the run and exits 130; a second Ctrl-C stops at "
            + "once."})
final class TrainCommand implements Callable<Integer> {
  @Mixin DataOptions data = new DataOptions();
  @Mixin NetworkOptions network = new NetworkOptions();

  @Option(names = "--optimizer", paramLabel = "O", defaultValue = "adam",
      description = "sgd (the seed's W = W - lr dC/dW), momentum, nesterov, adam, adamw or rmsprop, each in "
          + "PyTorch's form (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--momentum", paramLabel = "X",
      description = "Momentum of momentum, nesterov (default 0.9) and rmsprop (default 0).")
  Double momentum;

  @Option(names = "--weight-decay", paramLabel = "X",
      description = "Weight decay: L2 added to the gradient (sgd, momentum, nesterov, adam, rmsprop; default 0) "
          + "or decoupled (adamw; default 0.01).")
  Double weightDecay;

  @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: 0.1 for sgd, 0.001 for adam).")
  Double learningRate;

  @Option(names = "--batch-size", paramLabel = "N",
      description = "Rows per mini-batch, or 'all' for the full batch (default: 64; for tables trained with the "
          + "adaptive defaults, fewer for small tables: 8 to 64, about 1/32 of the training rows).")
  String batchGiven;

  @Option(names = "--epochs", paramLabel = "N",
      description = "Passes over the training data; 0 initialises and saves without training (default: 10 for "
          + "digits and IDX images; for tables, up to " + ADAPTIVE_MAX_EPOCHS + " epochs until the validation loss "
          + "stops improving, see --early-stopping and --validation-split).")
  Integer epochsGiven;

  @Option(names = "--target-scaling", paramLabel = "S",
      description = "standard or none: standardise a regression target for training (mean and scale stored; "
          + "outputs stay in the target's units). Default: standard with the adaptive defaults (no --epochs), "
          + "none otherwise.")
  String targetScaling;

  /** The most epochs of the adaptive defaults; early stopping normally ends the run long before. */
  static final int ADAPTIVE_MAX_EPOCHS = 500;
  /** Epochs without a lower validation loss after which the adaptive defaults stop. */
  static final int ADAPTIVE_PATIENCE = 20;
  /** The share of the training rows held out for validation by the adaptive defaults. */
  static final double ADAPTIVE_VALIDATION_SPLIT = 0.1;
  /**
   * The improvement of the validation loss that resets the adaptive patience: without one, a validation set the
   * network separates keeps lowering its loss by tiny amounts until the epoch cap, and the network overfits.
   */
  static final double ADAPTIVE_MIN_DELTA = 1e-4;

  /** The effective values: the flags, or the defaults chosen for the data. */
  int epochs;
  String batchSize;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "Seed of every random choice: initial weights, shuffling, splits (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--no-shuffle", description = "Keep the data order in every epoch (default: shuffle each epoch).")
  boolean noShuffle;

  @Option(names = "--init", paramLabel = "M",
      description = "Start from the weights, architecture and normalisation of a saved model.")
  Path init;

  @Option(names = "--out", paramLabel = "M", defaultValue = "model.safetensors",
      description = "Where to save the trained model (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--schedule", paramLabel = "S", defaultValue = "constant",
      description = "Learning-rate schedule over the epochs: constant, step, exponential, cosine "
          + "(default: ${DEFAULT-VALUE}).")
  String schedule;

  @Option(names = "--warmup-epochs", paramLabel = "N", defaultValue = "0",
      description = "Epochs of linear learning-rate warm-up before the schedule (default: ${DEFAULT-VALUE}).")
  int warmupEpochs;

  @Option(names = "--lr-step", paramLabel = "N",
      description = "Epochs between decays of the step schedule (default: a third of the epochs).")
  Integer lrStep;

  @Option(names = "--lr-gamma", paramLabel = "X",
      description = "Decay factor of the step (default 0.1) and exponential (default 0.95) schedules.")
  Double lrGamma;

  @Option(names = "--clip-norm", paramLabel = "X",
      description = "Scale the gradients down when their global L2 norm exceeds X (default: off).")
  Double clipNorm;

  @Option(names = "--shards", paramLabel = "K", defaultValue = "1",
      description = "Cut the training rows into K fixed shards; each step adds the shards' gradient sums in shard "
          + "order, the same bits as on a cluster with K partitions (default: ${DEFAULT-VALUE}).")
  int shards;

  @Option(names = "--spark", paramLabel = "MASTER",
      description = "Compute each step's shard sums on Spark, one partition per shard (MASTER local[K] or "
          + "spark://HOST:PORT): the same bits as without --spark.")
  String spark;

  @Option(names = "--validation-split", paramLabel = "F", defaultValue = "0",
      description = "Share of the training rows held out (seeded, stratified) for validation curves and early "
          + "stopping (default: ${DEFAULT-VALUE}).")
  double validationSplit;

  @Option(names = "--early-stopping", paramLabel = "N", defaultValue = "0",
      description = "Stop after N epochs without a lower validation loss and keep the best epoch's weights; "
          + "needs --validation-split (default: off).")
  int earlyStopping;

  @Option(names = "--min-delta", paramLabel = "X",
      description = "With --early-stopping, how much lower than the best a validation loss must be to count as an "
          + "improvement (default: 0, any lower loss; " + ADAPTIVE_MIN_DELTA + " with the adaptive defaults).")
  Double minDelta;

  @Option(names = "--checkpoint-dir", paramLabel = "DIR",
      description = "Save a checkpoint (weights, optimizer state, epoch, history) in DIR every "
          + "--checkpoint-every epochs and after the last.")
  Path checkpointDir;

  @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "1",
      description = "Epochs between checkpoints (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--resume", paramLabel = "DIR",
      description = "Continue the run whose checkpoint is in DIR; give the same flags as the run that wrote it. "
          + "Checkpoints go on to DIR unless --checkpoint-dir says otherwise.")
  Path resume;

  @Option(names = "--report", paramLabel = "F.html",
      description = "Also write a self-contained HTML report of the run: curves, evaluation, network, settings.")
  Path report;

  @Option(names = "--threads", paramLabel = "N",
      description = "Compute threads; results do not depend on it (default: all cores).")
  Integer threads;


  @Option(names = "--quiet", description = "No progress (default: a bar redrawn in place on a terminal, one line per "
      + "epoch elsewhere; the environment variable BACKPROP_PROGRESS=bar|lines|none overrides the choice).")
  boolean quiet;


  @Mixin CommonOptions.JsonAndVerbose common = new CommonOptions.JsonAndVerbose();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Timings.mark("command line read");
    PrintWriter stdout = spec.commandLine().getOut();
    epochs = epochsGiven != null ? epochsGiven : TrainingConfig.DEFAULT_EPOCHS;
    batchSize = batchGiven != null ? batchGiven : Integer.toString(TrainingConfig.DEFAULT_BATCH_SIZE);
    TrainingConfig config = config();
    if (targetScaling != null && !targetScaling.equals("standard") && !targetScaling.equals("none")) {
      throw new UsageException("--target-scaling must be standard or none, got '" + targetScaling + "'");
    }
    network.validate();
    checkOutput(out);
    if (report != null) {
      ReportCommand.checkOutput("--report", report);
    }
    applyThreads(threads);
    TrainingState resumed = resume == null ? null : CheckpointFile.load(resume);
    Path checkpoints = checkpointFolder();
    // connected before the data is read, since Spark reads Parquet; stopped however the run ends
    dev.backprop.spark.SparkCluster cluster = spark == null ? null : SparkOption.connect(spark, "train");
    try {
      return train(stdout, config, resumed, checkpoints, cluster);
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  private int train(PrintWriter stdout, TrainingConfig config, TrainingState resumed, Path checkpoints,
      dev.backprop.spark.SparkCluster cluster) throws IOException {
    PreparedData prepared;
    Model initial;
    // The JIT compiles the kernels on small shapes while the data is read and prepared, instead of in the first epoch.
    // Reading a CSV file takes every core, so there the warm-up starts once the file is read.
    // The launcher has the kernels compiled in the foreground, so the warm-up is stopped without waiting for it.
    boolean csvFile = isCsvFile(data.data);
    if (csvFile) {
      EarlyWarmup.stop();
    }
    TrainingConfig warmupConfig = config;
    Warmup[] warmup = {csvFile ? null : startWarmup(warmupConfig)};
    try {
      initial = init == null ? null : ModelFile.load(init);
      prepared = PreparedData.prepare(data, initial, init, seed, name -> {
        if (!SparkOption.isParquet(name)) {
          return DataSources.open(name);
        }
        if (cluster == null) {
          throw new UsageException(name + ": Parquet is read by Spark; add --spark MASTER (local[K] for this machine)");
        }
        return cluster.readParquet(name);
      }, () -> {
        if (csvFile) {
          warmup[0] = startWarmup(warmupConfig);
        }
      });
      if (warmup[0] != null) {
        Timings.mark("data read, while the warm-up trained " + warmup[0].batches() + " batches");
      } else {
        Timings.mark("data read, no warm-up");
      }
    } finally {
      if (warmup[0] != null) {
        warmup[0].stop();
      }
    }
    // digits and IDX images keep the fixed recipe (10 epochs of 64 rows); tables get defaults fitted to their size
    boolean adaptive = epochsGiven == null && prepared.schema() != null && !data.data.equals("digits");
    if (adaptive) {
      epochs = ADAPTIVE_MAX_EPOCHS;
      validationSplit = validationSplit > 0 ? validationSplit : ADAPTIVE_VALIDATION_SPLIT;
      earlyStopping = earlyStopping > 0 ? earlyStopping : ADAPTIVE_PATIENCE;
      minDelta = minDelta != null ? minDelta : ADAPTIVE_MIN_DELTA;
    }
    TargetScale target = targetScale(prepared, adaptive, initial);
    Dataset train = target.apply(prepared.train());
    Dataset scaledTest = target.apply(prepared.test());
    Dataset validation = null;
    if (validationSplit > 0) {
      Splits.Split parts = Splits.split(train, validationSplit, seed, Splits.VALIDATION_STREAM);
      train = parts.train();
      validation = parts.heldOut();
      if (validation.size() == 0 || train.size() == 0) {
        throw new UsageException("--validation-split " + validationSplit + " leaves " + train.size()
            + " training and " + validation.size() + " validation rows; both need at least one");
      }
    }
    if (adaptive) {
      batchSize = batchGiven != null ? batchGiven : Integer.toString(adaptiveBatch(train.size()));
      config = config();
    }
    Network net = initial == null ? Networks.build(network, train, seed, DType.FLOAT32)
        : initialNetwork(initial);
    Loss loss = initial == null ? Networks.loss(network, train) : initial.loss();
    PrintWriter progress = common.json ? spec.commandLine().getErr() : stdout;
    Trainer trainer = new Trainer(config);
    if (checkpoints != null) {
      trainer.checkpoints(CheckpointFile.store(checkpoints), checkpointEvery);
    } else {
      trainer.checkpoints(CheckpointFile.store(interruptFolder()), Trainer.ONLY_WHEN_STOPPED);
    }
    if (resumed != null) {
      trainer.resumeFrom(resumed);
    }
    Progress bar = quiet ? null : Progress.create(progress, train.size());
    if (bar != null) {
      trainer.addListener(bar);
    }
    if (Timings.active() != null) {
      trainer.addListener(Timings.active());
    }
    StopSignals.install(trainer, spec.commandLine().getErr());
    // the header comes once Ctrl-C is handled: a script that signals on seeing it never kills the JVM outright
    if (!quiet) {
      progress.printf(Locale.ROOT, "training %s (%,d parameters) on %s: %,d training rows, %,d test rows%n", net.describe() + ", " + loss.name(),
          net.parameterCount(), data.data, train.size(), prepared.test().size());
      for (String line : schemaLines(prepared)) {
        progress.println(InvalidInputException.escape(line));
      }
      if (validation != null) {
        progress.printf(Locale.ROOT, "%,d of the training rows held out for validation%n", validation.size());
      }
      if (adaptive) {
        progress.printf(Locale.ROOT, "adaptive defaults: up to %d epochs, stopping after %d without a validation "
            + "loss %s below the best (best weights kept), batch %s for %,d training rows%s%n", epochs, earlyStopping,
            Format.number(minDelta), batchSize, train.size(), target.scale != 1 || target.mean != 0 ? String.format(Locale.ROOT,
            ", target standardised (mean %s, sd %s)", Format.number(target.mean), Format.number(target.scale)) : "");
      }
      progress.printf(Locale.ROOT, "%s, lr %s (%s), batch %s, %d epochs, seed %d%n", config.optimizer().kind().id(),
          Format.number(config.optimizer().learningRate()), config.schedule().describe(), batchSize, epochs, seed);
      if (resumed != null) {
        progress.printf(Locale.ROOT, "resuming after epoch %d from %s%n", resumed.epoch(), resume);
      }
    }
    History history;
    if (cluster != null) {
      trainer.shardsOn(cluster);
    }
    try {
      history = fit(trainer, net, loss, train, validation, scaledTest);
    } catch (RuntimeException e) {
      if (bar != null) {
        bar.interrupt();
      }
      throw e;
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
    if (history.interrupted() && bar != null) {
      bar.interrupt();
    }
    target.fold(net);
    Evaluation test = evaluate(net, loss, prepared.test(), history.epochs().isEmpty());
    Timings.mark("evaluated");
    double seconds = history.trainingSeconds();
    double samplesPerSecond = seconds > 0 ? (double) history.epochs().size() * train.size() / seconds : 0;

    Map<String, Object> metrics = metrics(history, test, seconds, samplesPerSecond);
    Map<String, Object> provenance = provenance(prepared, config, history, metrics, train, validation);
    if (history.interrupted()) {
      provenance.put("interrupted", true);
      provenance.put("interrupted_after_epoch", history.epochs().size());
      provenance.put("interrupted_after_batch", history.interruptedBatches());
    }
    ModelInfo info = prepared.info().withProvenance(provenance);
    if (info.schema() != null && target.active()) {
      info = new ModelInfo(info.task(), info.featureNames(), info.labelName(), info.classes(), info.normalization(),
          info.provenance(), info.schema().withTarget(target.mean, target.scale));
    }
    ModelFile.save(new Model(net, loss, info), out);
    Timings.mark("saved");
    if (report != null) {
      TrainingReport.Builder page = TrainingReport.builder().title("Training on " + data.data).network(net, loss)
          .history(history).evaluation("test data", test).settings(info.provenance())
          .data(data.data, prepared.source().sha256()).timings(seconds, samplesPerSecond);
      if (test.regression() != null) {
        page.predictions(prepared.test().targets(), Evaluation.predict(net, prepared.test().features()));
      }
      page.write(report);
    }

    if (common.json) {
      Map<String, Object> result = new LinkedHashMap<>(metrics);
      result.put("model", out.toString());
      // kept out of the model's provenance: the seconds differ from run to run, and the file must not
      result.put("history", epochHistory(history));
      if (history.interrupted()) {
        result.put("interrupted", true);
        result.put("checkpoint", stopFolder().toString());
        result.put("resume", resumeCommand());
      }
      stdout.println(dev.backprop.internal.io.Json.writePretty(result));
    } else {
      if (prepared.info().task() == Task.CLASSIFICATION) {
        stdout.printf(Locale.ROOT, "test accuracy %.4f (loss %.4f)", test.accuracy(), test.loss());
      } else {
        stdout.printf(Locale.ROOT, "test mse %.6g, r2 %.4f", test.regression().mse(), test.regression().r2());
      }
      stdout.printf(Locale.ROOT, " after %d epochs in %.1f s (%,.0f samples/s)%n", history.epochs().size(), seconds,
          samplesPerSecond);
      if (history.stoppedEarly() || history.keptEpoch() != history.epochs().size()) {
        stdout.printf(Locale.ROOT, "%s; kept the weights of epoch %d, the lowest validation loss%n",
            history.stoppedEarly() ? "early stopping" : "training ended", history.keptEpoch());
      }
      stdout.println("model saved to " + out);
    }
    Timings.mark("reported");
    if (Timings.active() != null) {
      Timings.active().print(spec.commandLine().getErr());
    }
    if (history.interrupted()) {
      stdout.flush();
      spec.commandLine().getErr().println(interruption(history));
      return Main.INTERRUPTED;
    }
    return Main.OK;
  }

  /**
   * The network's evaluation on the test rows. When no epoch was trained, and --threads does not say otherwise, on
   * one compute thread: until the JIT has compiled the kernels, a second thread running them slowly only takes the
   * core it compiles on, and their multi-threaded path needs code of its own compiled, which a single pass over the
   * test rows does not repay (docs/PERFORMANCE.md, "Reading CSV"). The results do not depend on the threads.
   */
  private Evaluation evaluate(Network net, Loss loss, Dataset test, boolean untrained) {
    int before = Compute.threads();
    if (!untrained || threads != null || before == 1) {
      return Evaluation.of(net, loss, test);
    }
    Compute.useThreads(1);
    try {
      return Evaluation.of(net, loss, test);
    } finally {
      Compute.useThreads(before);
    }
  }

  /**
   * System property that turns the warm-up on or off ({@code -Dbackprop.warmup=true|false}). The launcher sets it
   * with its early kernel compilation; when it is absent, the JVM's options are looked up for that compilation, which
   * loads the management classes in the first second of the run.
   */
  static final String WARMUP_PROPERTY = "backprop.warmup";
  /** Longest warm-up: on a slow machine the data may take long to read, and C2 has compiled the kernels by then. */
  static final Duration WARMUP_MAX = Duration.ofSeconds(10);

  /** Whether to warm up at all: as {@link #WARMUP_PROPERTY} says, or else when the kernels' thresholds are lowered. */
  static boolean warmupWanted() {
    String wanted = System.getProperty(WARMUP_PROPERTY);
    return wanted != null ? Boolean.parseBoolean(wanted) : kernelThresholdsLowered();
  }

  /**
   * Whether the JVM compiles the kernels early (the launcher's {@code CompileThresholdScaling} for them). Without
   * it the warm-up measured slower: its small shapes stayed interpreted while the data loaded and only took cores
   * from the loading (docs/PERFORMANCE.md, "First epoch and start-up").
   */
  private static boolean kernelThresholdsLowered() {
    return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .anyMatch(a -> a.startsWith("-XX:CompileCommand=CompileThresholdScaling,dev.backprop.internal.kernel"));
  }

  /** Whether --data names a CSV file (a regular file; IDX data are a folder or a prefix, built-in data a name). */
  private static boolean isCsvFile(String spec) {
    try {
      return !DataSources.isBuiltIn(spec) && Files.isRegularFile(Path.of(spec));
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  /**
   * A warm-up for the flags' network: a small one of the same layer kinds (40 inputs, hidden layers of at most 64,
   * 10 outputs), the same loss, optimiser and batch size, its rows stored as bytes for IDX images (their batches are
   * gathered from bytes), forward only when there is nothing to train; none when the flags do not make a network
   * (the real build then says why).
   */
  private Warmup startWarmup(TrainingConfig config) {
    EarlyWarmup.stop();
    if (network.dropout < 0 || network.dropout >= 1 || !warmupWanted()) {
      return null;
    }
    try {
      String outputName = network.outputActivation != null ? network.outputActivation : "softmax";
      Loss loss = Losses.byName(network.loss != null ? network.loss : "cross-entropy");
      Objective.of(loss, Activations.byName(outputName));
      Network.Builder b = Network.builder(40).seed(seed);
      for (int w : network.layers != null ? network.layers : List.of(128)) {
        b.dense(Math.max(1, Math.min(w, 64)), Activations.byName(network.activation));
        if (network.dropout > 0) {
          b.dropout(network.dropout);
        }
      }
      Network small = b.dense(10, Activations.byName(outputName)).build();
      // with nothing to train the run only evaluates its network: a warm-up of the forward pass alone
      return epochsGiven != null && epochsGiven == 0 ? Warmup.startInference(small, loss, WARMUP_MAX)
          : Warmup.start(small, loss, config, WARMUP_MAX, DataSources.isIdx(data.data) ? Rows.BYTES : Rows.FLOATS);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * A batch that gives a small table enough steps per epoch: about 1/32 of the rows as a power of two, between 8
   * and the usual 64 (120 rows: 8; 1,000 rows: 16; 2,048 rows and more: 64).
   */
  static int adaptiveBatch(int rows) {
    return Math.min(TrainingConfig.DEFAULT_BATCH_SIZE, Math.max(8, Integer.highestOneBit(Math.max(1, rows / 32))));
  }

  /** The schema's choices, once, for the run's header: each column that is not plain numbers, then the rest. */
  static List<String> schemaLines(PreparedData prepared) {
    List<String> lines = new ArrayList<>(prepared.notes());
    if (prepared.schema() == null) {
      return lines;
    }
    List<String> plain = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (dev.backprop.data.TableSchema.Column c : prepared.schema().columns()) {
      if (c.kind() == dev.backprop.data.ColumnKind.NUMERIC && !c.missingIndicator() && c.reason().equals("inferred")) {
        plain.add(c.name());
      } else {
        other.add("  " + c.describe());
      }
    }
    if (other.isEmpty()) {
      lines.add("columns: " + plain.size() + " numeric");
      return lines;
    }
    lines.add("columns: " + (plain.isEmpty() ? "" : plain.size() + " numeric (" + abbreviate(plain) + "), ")
        + other.size() + " more:");
    lines.addAll(other);
    return lines;
  }

  private static String abbreviate(List<String> names) {
    return names.size() <= 8 ? String.join(", ", names)
        : String.join(", ", names.subList(0, 6)) + ", ..., " + names.get(names.size() - 1);
  }

  /** A regression target's standardisation for training, folded into the output layer afterwards. */
  static final class TargetScale {
    final double mean;
    final double scale;

    TargetScale(double mean, double scale) {
      this.mean = mean;
      this.scale = scale;
    }

    boolean active() {
      return mean != 0 || scale != 1;
    }

    Dataset apply(Dataset d) {
      if (!active()) {
        return d;
      }
      Matrix t = d.targets();
      float[] y = new float[t.rows()];
      for (int i = 0; i < y.length; i++) {
        y[i] = (float) ((t.get(i, 0) - mean) / scale);
      }
      return Dataset.regression(d.source(), d.featureNames(), d.features(), Matrix.wrap(y.length, 1, y));
    }

    /**
     * Makes the identity output layer give the target's units: W' = W s and b' = b s + m, so that the saved model,
     * its evaluation, predict, report and export need no step of their own.
     */
    void fold(Network net) {
      if (!active()) {
        return;
      }
      Dense last = net.blocks().get(net.blocks().size() - 1).dense();
      Matrix w = last.weight().value();
      for (int r = 0; r < w.rows(); r++) {
        for (int c = 0; c < w.cols(); c++) {
          w.set(r, c, w.get(r, c) * scale);
        }
      }
      Matrix b = last.bias().value();
      for (int c = 0; c < b.cols(); c++) {
        b.set(0, c, b.get(0, c) * scale + mean);
      }
    }
  }

  /** Standard target scaling when asked, or by default with the adaptive defaults for an identity output. */
  private TargetScale targetScale(PreparedData prepared, boolean adaptive, Model initial) {
    boolean regression = prepared.info().task() == Task.REGRESSION;
    boolean identity = network.outputActivation == null || network.outputActivation.equals("identity");
    boolean wanted = targetScaling != null ? targetScaling.equals("standard") : adaptive;
    if (!regression || !wanted) {
      return new TargetScale(0, 1);
    }
    if (!identity || initial != null) {
      if (targetScaling != null) {
        throw new UsageException("--target-scaling standard needs an identity output layer trained from scratch "
            + "(not --output-activation " + network.outputActivation + " or --init)");
      }
      return new TargetScale(0, 1);
    }
    Matrix t = prepared.train().targets();
    double mean = 0;
    for (int i = 0; i < t.rows(); i++) {
      mean += t.get(i, 0);
    }
    mean /= t.rows();
    double var = 0;
    for (int i = 0; i < t.rows(); i++) {
      var += (t.get(i, 0) - mean) * (t.get(i, 0) - mean);
    }
    double sd = Math.sqrt(var / t.rows());
    return new TargetScale(mean, sd > 1e-12 ? sd : 1);
  }

  /** The one line that tells where a stopped run's work went and how to continue it. */
  private String interruption(History history) {
    int done = history.epochs().size();
    String where = history.interruptedBatches() == 0 ? "after epoch " + done
        : "in epoch " + (done + 1) + " after " + history.interruptedBatches() + " batches";
    return "backprop: " + InvalidInputException.escape("interrupted " + where + "; model saved to " + out
        + ", checkpoint in " + stopFolder() + "; resume with: " + resumeCommand());
  }

  /**
   * Where a run that has no checkpoint folder saves its state when a signal stops it: next to the model, named
   * after it ({@code model.safetensors} gives {@code model.checkpoint}).
   */
  private Path interruptFolder() {
    String name = out.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return out.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".checkpoint");
  }

  /** The folder that holds the checkpoint of a stopped run. */
  private Path stopFolder() {
    Path checkpoints = checkpointFolder();
    return checkpoints != null ? checkpoints : interruptFolder();
  }

  /** The command that continues a stopped run: this one's arguments, with --resume naming its checkpoint. */
  private String resumeCommand() {
    List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--resume") && i + 1 < args.size()) {
        args.subList(i, i + 2).clear();
        i--;
      } else if (args.get(i).startsWith("--resume=")) {
        args.remove(i--);
      }
    }
    args.add("--resume");
    args.add(stopFolder().toString());
    StringBuilder command = new StringBuilder("backprop");
    if (args.isEmpty() || !args.get(0).equals("train")) {
      command.append(" train");
    }
    for (String arg : args) {
      command.append(' ').append(shellQuoted(arg));
    }
    return command.toString();
  }

  /** {@code arg} as a POSIX shell reads it back: as it is when safe, else in single quotes. */
  private static String shellQuoted(String arg) {
    if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_./=:,+@%-]+")) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  /** Trains; a divergence says which checkpoint, if any, is kept. */
  private History fit(Trainer trainer, Network net, Loss loss, Dataset train, Dataset validation, Dataset test) {
    Path checkpoints = checkpointFolder();
    try {
      return trainer.fit(net, loss, train, validation, test);
    } catch (IncompatibleCheckpointException e) {
      if (e.otherRun()) {
        throw new UsageException("--resume: " + e.getMessage() + "; resume with the flags of the run that wrote it");
      }
      throw new InvalidInputException(CheckpointFile.in(resume).toString(), "", e.getMessage());
    } catch (UncheckedIOException e) {
      throw new InvalidInputException(checkpoints == null ? "" : checkpoints.toString(), "", e.getMessage());
    } catch (DivergenceException e) {
      if (checkpoints != null && Files.isRegularFile(CheckpointFile.in(checkpoints))) {
        throw e.withNote("the last good checkpoint, after epoch " + CheckpointFile.load(checkpoints).epoch()
            + ", is kept in " + checkpoints);
      }
      throw e;
    }
  }

  /**
   * The run's configuration. The library checks most values itself (an InvalidSettingException, reported with the
   * flag's name); the checks here are the ones it cannot make: values that the command line spells its own way
   * or allows in fewer forms than the library.
   */
  private TrainingConfig config() {
    int batch = batchSize();
    OptimizerSettings.Kind kind;
    try {
      kind = OptimizerSettings.Kind.parse(optimizer);
    } catch (IllegalArgumentException e) {
      throw Flags.usageError("--optimizer", e);
    }
    OptimizerSettings settings = new OptimizerSettings(kind,
        learningRate != null ? learningRate : OptimizerSettings.defaultLearningRate(kind));
    try {
      settings = momentum == null ? settings : settings.withMomentum(momentum);
    } catch (IllegalArgumentException e) {
      throw Flags.usageError("--momentum", e);
    }
    try {
      settings = weightDecay == null ? settings : settings.withWeightDecay(weightDecay);
    } catch (IllegalArgumentException e) {
      throw Flags.usageError("--weight-decay", e);
    }
    // the epochs are checked before the schedule, whose defaults and warm-up check read them
    TrainingConfig config = new TrainingConfig(epochs, batch, !noShuffle, seed, settings, Schedule.constant(),
        clipNorm(), earlyStopping(), shards, minDelta == null ? 0 : minDelta);
    return config.withSchedule(schedule());
  }

  /** --batch-size: 'all' or a positive number (the library's 0 for the full batch is spelt 'all' here). */
  private int batchSize() {
    if (batchSize.equals("all")) {
      return TrainingConfig.FULL_BATCH;
    }
    int batch;
    try {
      batch = Integer.parseInt(batchSize);
    } catch (NumberFormatException e) {
      throw new UsageException("--batch-size must be a positive whole number or 'all', got '" + batchSize + "'");
    }
    if (batch <= 0) {
      throw new UsageException("--batch-size must be a positive whole number or 'all', got " + batch);
    }
    return batch;
  }

  /** The schedule; the library checks the step, gamma and warm-up, this the warm-up against the epochs. */
  private Schedule schedule() {
    Schedule.Kind kind;
    try {
      kind = Schedule.Kind.parse(schedule);
    } catch (IllegalArgumentException e) {
      throw Flags.usageError("--schedule", e);
    }
    if (warmupEpochs > epochs) {
      throw new UsageException("--warmup-epochs must be between 0 and the " + epochs + " epochs, got " + warmupEpochs);
    }
    if ((lrStep != null && kind != Schedule.Kind.STEP)
        || (lrGamma != null && kind != Schedule.Kind.STEP && kind != Schedule.Kind.EXPONENTIAL)) {
      throw new UsageException("--lr-step and --lr-gamma shape the step schedule (--lr-gamma also exponential), "
          + "not --schedule " + kind.id());
    }
    int step = lrStep != null ? lrStep : Math.max(1, epochs / 3);
    double gamma = lrGamma != null ? lrGamma : Schedule.defaultGamma(kind);
    return new Schedule(kind, step, gamma, warmupEpochs);
  }

  /** --clip-norm: off when absent; the library's 0 for "off" is rejected here, so the message is the CLI's. */
  private double clipNorm() {
    if (clipNorm == null) {
      return 0;
    }
    if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
      throw new UsageException("--clip-norm must be a positive finite number, got " + clipNorm);
    }
    return clipNorm;
  }

  /**
   * --early-stopping and the flags around it; the library checks the patience itself, and the rest only when it
   * uses them (a --validation-split of 0 skips the split, --checkpoint-every 0 means "only when stopped").
   */
  private int earlyStopping() {
    if (!(validationSplit >= 0 && validationSplit < 1)) {
      throw new UsageException("--validation-split must be at least 0 and below 1, got " + validationSplit);
    }
    if (earlyStopping > 0 && validationSplit == 0) {
      throw new UsageException("--early-stopping needs validation rows: add --validation-split, e.g. 0.1");
    }
    // without --epochs a table gets the adaptive defaults, early stopping included
    if (minDelta != null && minDelta != 0 && earlyStopping == 0 && epochsGiven != null) {
      throw new UsageException("--min-delta applies to early stopping: add --early-stopping N");
    }
    if (checkpointEvery < 1) {
      throw new UsageException("--checkpoint-every must be 1 or more epochs, got " + checkpointEvery);
    }
    if (checkpointDir != null && Files.exists(checkpointDir) && !Files.isDirectory(checkpointDir)) {
      throw new UsageException("--checkpoint-dir " + checkpointDir + " is a file, not a folder");
    }
    if (resume != null && !Files.isDirectory(resume)) {
      throw new UsageException("--resume " + resume + ": no such folder");
    }
    return earlyStopping;
  }

  /** Where checkpoints go: --checkpoint-dir, else the folder resumed from, else none (null). */
  private Path checkpointFolder() {
    return checkpointDir != null ? checkpointDir : resume;
  }

  /** The network of the --init model (PreparedData has checked that it fits the data). */
  private Network initialNetwork(Model model) {
    if (network.layers != null || network.loss != null || network.outputActivation != null) {
      spec.commandLine().getErr().println(InvalidInputException.escape("backprop: note: --init takes the "
          + "architecture from " + init + "; --layers, --loss and --output-activation are ignored"));
    }
    return network.dropout > 0 ? model.network().withHiddenDropout(network.dropout) : model.network();
  }

  /** Sets the compute threads when --threads was given. */
  static void applyThreads(Integer threads) {
    if (threads == null) {
      return;
    }
    int cores = Runtime.getRuntime().availableProcessors();
    if (threads < 1 || threads > 4 * cores) {
      throw new UsageException("--threads must be between 1 and " + 4 * cores + " (4 x the " + cores
          + " cores), got " + threads);
    }
    Compute.useThreads(threads);
  }

  /** Fails before any work when the model cannot be written where --out says. */
  static void checkOutput(Path out) {
    Path parent = out.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new UsageException("--out " + out + ": the folder " + parent + " does not exist");
    }
    if (Files.isDirectory(out)) {
      throw new UsageException("--out " + out + " is a folder; give a file name such as model.safetensors");
    }
    if (!Files.isWritable(parent)) {
      throw new UsageException("--out " + out + ": the folder " + parent + " is not writable");
    }
  }

  private Map<String, Object> metrics(History history, Evaluation test, double seconds, double samplesPerSecond) {
    Map<String, Object> m = new LinkedHashMap<>();
    EpochResult last = history.last();
    // the adaptive defaults report the epochs run; an explicit --epochs is reported as given, as before
    m.put("epochs", epochsGiven == null && epochs == ADAPTIVE_MAX_EPOCHS ? history.epochs().size() : epochs);
    m.put("train_loss", last == null ? null : finiteOrNull(last.trainLoss()));
    m.put("test_loss", finiteOrNull(test.loss()));
    if (test.classification() != null) {
      m.put("test_accuracy", test.accuracy());
    } else {
      m.put("test_mse", test.regression().mse());
      m.put("test_mae", test.regression().mae());
      m.put("test_r2", test.regression().r2());
    }
    m.put("seconds", seconds);
    m.put("samples_per_second", samplesPerSecond);
    return m;
  }

  /**
   * One object per epoch run (after a resume, the epochs of this run only), so that scripts see the first epoch, the
   * JIT's warm-up included, beside the others: epoch, learning rate, losses, metrics and the epoch's training seconds.
   */
  private static List<Map<String, Object>> epochHistory(History history) {
    List<Map<String, Object>> epochs = new ArrayList<>();
    for (EpochResult r : history.epochs()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("epoch", r.epoch());
      e.put("learning_rate", r.learningRate());
      e.put("train_loss", finiteOrNull(r.trainLoss()));
      if (!Double.isNaN(r.trainAccuracy())) {
        e.put("train_accuracy", r.trainAccuracy());
      }
      putEvaluation(e, "validation", r.validation());
      putEvaluation(e, "test", r.test());
      e.put("seconds", r.seconds());
      epochs.add(e);
    }
    return epochs;
  }

  private static void putEvaluation(Map<String, Object> e, String prefix, Evaluation evaluation) {
    if (evaluation == null) {
      return;
    }
    e.put(prefix + "_loss", finiteOrNull(evaluation.loss()));
    if (evaluation.classification() != null) {
      e.put(prefix + "_accuracy", evaluation.accuracy());
    } else {
      e.put(prefix + "_mse", finiteOrNull(evaluation.regression().mse()));
      e.put(prefix + "_r2", finiteOrNull(evaluation.regression().r2()));
    }
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private Map<String, Object> provenance(PreparedData prepared, TrainingConfig config, History history,
      Map<String, Object> metrics, Dataset train, Dataset validation) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("backprop_version", Version.VERSION);
    p.put("data", data.data);
    p.put("data_format", prepared.source().format().id());
    p.put("data_sha256", prepared.source().sha256());
    p.put("test_data", prepared.split());
    if (data.testData == null && prepared.source().test() == null) {
      p.put("test_split", data.testSplit);
    }
    p.put("train_rows", train.size());
    if (validation != null) {
      p.put("validation_split", validationSplit);
      p.put("validation_rows", validation.size());
    }
    p.put("test_rows", prepared.test().size());
    if (prepared.schema() != null) {
      p.put("columns", prepared.schema().describe());
    }
    if (!prepared.notes().isEmpty()) {
      p.put("notes", prepared.notes());
    }
    p.put("seed", seed);
    p.put("epochs", epochs);
    p.put("batch_size", batchSize);
    if (epochsGiven == null && epochs == ADAPTIVE_MAX_EPOCHS) {
      p.put("adaptive_defaults", true);
    }
    p.put("shuffle", !noShuffle);
    p.putAll(config.optimizer().toMap());
    p.put("schedule", config.schedule().kind().id());
    if (config.schedule().warmupEpochs() > 0) {
      p.put("warmup_epochs", config.schedule().warmupEpochs());
    }
    if (config.schedule().kind() == Schedule.Kind.STEP) {
      p.put("lr_step", config.schedule().stepSize());
    }
    if (config.schedule().kind() == Schedule.Kind.STEP || config.schedule().kind() == Schedule.Kind.EXPONENTIAL) {
      p.put("lr_gamma", config.schedule().gamma());
    }
    if (network.dropout > 0) {
      p.put("dropout", network.dropout);
    }
    if (config.clipNorm() > 0) {
      p.put("clip_norm", config.clipNorm());
    }
    if (config.patience() > 0) {
      p.put("early_stopping", config.patience());
    }
    if (config.shards() > 1) {
      p.put("shards", config.shards());
    }
    p.put("kept_epoch", history.keptEpoch());
    p.put("stopped_early", history.stoppedEarly());
    if (init != null) {
      p.put("init", init.toString());
    }
    p.put("arguments", spec.commandLine().getParseResult().originalArgs());
    p.put("metrics", metrics);
    return p;
  }
}
