package dev.backprop.cli;

import dev.backprop.internal.io.AtomicFiles;
import dev.backprop.train.Trainer;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM while {@code train} runs. The first asks the trainer to stop after its current batch,
 * so that the command can save the model and a checkpoint and exit with {@link Main#INTERRUPTED}; the second halts
 * at once with that code, after deleting the temporary files of the writes in progress, so that no file is left
 * half written ({@link AtomicFiles#abandonWrites()}).
 *
 * <p>{@code sun.misc.Signal} rather than a shutdown hook: a hook runs only once the JVM is already exiting, too late
 * to let the training loop finish its batch and the command save and report. The handlers stay for the rest of the
 * process, which ends with the command.
 */
final class StopSignals {
  private static final String[] NAMES = {"INT", "TERM"};

  private final Trainer trainer;
  private final PrintWriter err;
  private final AtomicInteger received = new AtomicInteger();

  private StopSignals(Trainer trainer, PrintWriter err) {
    this.trainer = trainer;
    this.err = err;
  }

  /** Handles SIGINT and SIGTERM from now on by stopping {@code trainer}; a platform without one keeps its default. */
  static StopSignals install(Trainer trainer, PrintWriter err) {
    StopSignals signals = new StopSignals(trainer, err);
    for (String name : NAMES) {
      try {
        Signal.handle(new Signal(name), signals::handle);
      } catch (IllegalArgumentException unavailable) {
        // unknown on this platform, or reserved by the JVM (-Xrs): the default behaviour stays
      }
    }
    return signals;
  }

  /** Whether a stop signal has arrived. */
  boolean received() {
    return received.get() > 0;
  }

  private void handle(Signal signal) {
    if (received.incrementAndGet() == 1) {
      trainer.requestStop();
      return;
    }
    AtomicFiles.abandonWrites();
    err.println("backprop: interrupted again: stopped at once; files being written were not kept");
    err.flush();
    Runtime.getRuntime().halt(Main.INTERRUPTED);
  }
}
