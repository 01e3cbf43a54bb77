package dev.backprop.cli;

import dev.backprop.Compute;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activations;
import dev.backprop.optim.OptimizerSettings;
import dev.backprop.train.TrainingConfig;
import dev.backprop.train.Warmup;
import java.time.Duration;

/**
 * The warm-up {@code train} starts before its command line is parsed: the products and the common layers of any
 * network (relu and sigmoid layers, softmax and cross-entropy, Adam) on a small network, so that C2 starts on the
 * kernels while the parser still runs; {@link TrainCommand} replaces it with a warm-up of the run's own kinds. Only
 * from {@link Main#main}, only for {@code train}, and only when {@code backprop.warmup=true} (the launcher).
 */
final class EarlyWarmup {
  private static Warmup running;

  private EarlyWarmup() {
  }

  /** Starts the warm-up when {@code args} are a {@code train} command and the launcher asks for warm-ups. */
  static synchronized void startFor(String[] args) {
    if (running != null || args.length == 0 || !args[0].equals("train")
        || !Boolean.parseBoolean(System.getProperty(TrainCommand.WARMUP_PROPERTY))) {
      return;
    }
    Integer threads = threads(args);
    if (threads != null && threads == 0) {
      return; // a --threads the command refuses: it reports it
    }
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h") || arg.equals("--version") || arg.equals("-V")) {
        return; // the command prints and exits
      }
      if (arg.equals("--epochs=0") || arg.equals("--epochs") && i + 1 < args.length && args[i + 1].equals("0")) {
        return; // nothing to train: the warm-up would only take a core from reading the data
      }
    }
    if (threads != null) {
      // the pool the run will use, so that setting it later does not replace the one the warm-up runs on
      Compute.useThreads(threads);
    }
    Network small = Network.builder(40).seed(1).dense(64, Activations.relu()).dense(64, Activations.sigmoid())
        .dense(10, Activations.softmax()).build();
    TrainingConfig config = TrainingConfig.builder().optimizer(OptimizerSettings.adam(1e-3)).build();
    running = Warmup.start(small, new CrossEntropyLoss(), config, Duration.ofSeconds(10));
  }

  /** Whether an early warm-up was started and not yet stopped. */
  static synchronized boolean started() {
    return running != null;
  }

  /** Asks the early warm-up, if any, to end (without waiting for it, as {@link Warmup#stop()}). */
  static synchronized void stop() {
    if (running != null) {
      running.stop();
      running = null;
    }
  }

  /**
   * The value of {@code --threads N} or {@code --threads=N} in {@code args}: null when absent, 0 when it is not a
   * count the command accepts (1 to 4 x the cores).
   */
  static Integer threads(String[] args) {
    String value = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--threads") && i + 1 < args.length) {
        value = args[i + 1];
      } else if (args[i].startsWith("--threads=")) {
        value = args[i].substring("--threads=".length());
      }
    }
    if (value == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(value);
      return n >= 1 && n <= 4 * Runtime.getRuntime().availableProcessors() ? n : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
