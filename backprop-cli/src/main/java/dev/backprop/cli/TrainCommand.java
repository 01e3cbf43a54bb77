package dev.backprop.cli;

import dev.backprop.Version;
import dev.backprop.data.Task;
import dev.backprop.Compute;
import dev.backprop.io.Model;
import dev.backprop.io.ModelFile;
import dev.backprop.io.ModelInfo;
import dev.backprop.metrics.Evaluation;
import dev.backprop.nn.Network;
import dev.backprop.optim.OptimizerSettings;
import dev.backprop.tensor.DType;
import dev.backprop.train.EpochResult;
import dev.backprop.train.History;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
        + "the model.", "With no flags: a 64-128-10 relu/softmax network on the bundled digits, 10 epochs of Adam."})
final class TrainCommand implements Callable<Integer> {
  @Mixin DataOptions data = new DataOptions();
  @Mixin NetworkOptions network = new NetworkOptions();

  @Option(names = "--optimizer", paramLabel = "O", defaultValue = "adam",
      description = "sgd (the seed's W = W - lr dC/dW) or adam (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: 0.1 for sgd, 0.001 for adam).")
  Double learningRate;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64",
      description = "Rows per mini-batch, or 'all' for the full batch (default: ${DEFAULT-VALUE}).")
  String batchSize;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "10",
      description = "Passes over the training data; 0 initialises and saves without training (default: ${DEFAULT-VALUE}).")
  int epochs;

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
    PrintWriter stdout = spec.commandLine().getOut();
    TrainingConfig config = config();
    checkOutput(out);
    applyThreads(threads);
    Model initial = init == null ? null : ModelFile.load(init);
    PreparedData prepared = PreparedData.prepare(data, initial, init, seed);
    Network net = initial == null ? Networks.build(network, prepared.train(), seed, DType.FLOAT32)
        : initialNetwork(initial);
    PrintWriter progress = common.json ? spec.commandLine().getErr() : stdout;
    if (!quiet) {
      progress.printf(Locale.ROOT, "training %s (%,d parameters) on %s: %,d training rows, %,d test rows%n", net.describe(),
          net.parameterCount(), data.data, prepared.train().size(), prepared.test().size());
      progress.printf(Locale.ROOT, "%s, lr %s, batch %s, %d epochs, seed %d%n", config.optimizer().kind().id(),
          Format.number(config.optimizer().learningRate()), batchSize, epochs, seed);
    }
    Trainer trainer = new Trainer(config);
    if (!quiet) {
      trainer.addListener(Progress.create(progress, prepared.train().size()));
    }
    History history = trainer.fit(net, prepared.train(), prepared.test());
    Evaluation test = Evaluation.of(net, prepared.test());
    double seconds = history.trainingSeconds();
    double samplesPerSecond = seconds > 0 ? (double) epochs * prepared.train().size() / seconds : 0;

    Map<String, Object> metrics = metrics(history, test, seconds, samplesPerSecond);
    ModelInfo info = prepared.info().withProvenance(provenance(prepared, config, metrics));
    ModelFile.save(new Model(net, info), out);

    if (common.json) {
      Map<String, Object> result = new LinkedHashMap<>(metrics);
      result.put("model", out.toString());
      stdout.println(dev.backprop.io.Json.writePretty(result));
    } else {
      if (prepared.info().task() == Task.CLASSIFICATION) {
        stdout.printf(Locale.ROOT, "test accuracy %.4f (loss %.4f)", test.accuracy(), test.loss());
      } else {
        stdout.printf(Locale.ROOT, "test mse %.6g, r2 %.4f", test.regression().mse(), test.regression().r2());
      }
      stdout.printf(Locale.ROOT, " after %d epochs in %.1f s (%,.0f samples/s)%n", epochs, seconds, samplesPerSecond);
      stdout.println("model saved to " + out);
    }
    return Main.OK;
  }

  private TrainingConfig config() {
    if (epochs < 0) {
      throw new UsageException("--epochs must be 0 or more, got " + epochs);
    }
    int batch;
    if (batchSize.equals("all")) {
      batch = TrainingConfig.FULL_BATCH;
    } else {
      try {
        batch = Integer.parseInt(batchSize);
      } catch (NumberFormatException e) {
        throw new UsageException("--batch-size must be a positive whole number or 'all', got '" + batchSize + "'");
      }
      if (batch <= 0) {
        throw new UsageException("--batch-size must be a positive whole number or 'all', got " + batch);
      }
    }
    OptimizerSettings.Kind kind;
    try {
      kind = OptimizerSettings.Kind.parse(optimizer);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--optimizer: " + e.getMessage());
    }
    double lr = learningRate != null ? learningRate : OptimizerSettings.defaultLearningRate(kind);
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new UsageException("--lr must be a positive finite number, got " + lr);
    }
    return new TrainingConfig(epochs, batch, !noShuffle, seed, new OptimizerSettings(kind, lr));
  }

  /** The network of the --init model (PreparedData has checked that it fits the data). */
  private Network initialNetwork(Model model) {
    if (network.layers != null || network.loss != null || network.outputActivation != null) {
      spec.commandLine().getErr().println("backprop: note: --init takes the architecture from " + init
          + "; --layers, --loss and --output-activation are ignored");
    }
    return model.network();
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
    m.put("epochs", epochs);
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

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private Map<String, Object> provenance(PreparedData prepared, TrainingConfig config, Map<String, Object> metrics) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("backprop_version", Version.VERSION);
    p.put("data", data.data);
    p.put("data_format", prepared.source().format().id());
    p.put("data_sha256", prepared.source().sha256());
    p.put("test_data", prepared.split());
    if (data.testData == null && prepared.source().test() == null) {
      p.put("test_split", data.testSplit);
    }
    p.put("train_rows", prepared.train().size());
    p.put("test_rows", prepared.test().size());
    p.put("seed", seed);
    p.put("epochs", epochs);
    p.put("batch_size", batchSize);
    p.put("shuffle", !noShuffle);
    p.put("optimizer", config.optimizer().kind().id());
    p.put("learning_rate", config.optimizer().learningRate());
    if (init != null) {
      p.put("init", init.toString());
    }
    p.put("arguments", spec.commandLine().getParseResult().originalArgs());
    p.put("metrics", metrics);
    return p;
  }
}
