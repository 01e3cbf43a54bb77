package dev.backprop.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The per-epoch results of a training run, in order. */
public final class History {
  private final List<EpochResult> epochs = new ArrayList<>();
  private int keptEpoch;
  private boolean stoppedEarly;
  private boolean interrupted;
  private int interruptedBatches;

  void add(EpochResult result) {
    epochs.add(result);
    keptEpoch = result.epoch();
  }

  void keep(int epoch, boolean early) {
    keptEpoch = epoch;
    stoppedEarly = early;
  }

  /** Records that a stop request ended the run after {@code epoch} epochs and {@code batches} of the next. */
  void interrupt(int epoch, int batches) {
    interrupted = true;
    keptEpoch = epoch;
    interruptedBatches = batches;
  }

  /** Whether a stop request ended the run before its last epoch (see {@link Trainer#requestStop()}). */
  public boolean interrupted() {
    return interrupted;
  }

  /** With {@link #interrupted()}, how many batches of the epoch after the last completed one were done. */
  public int interruptedBatches() {
    return interruptedBatches;
  }

  /**
   * The epoch whose weights the network holds at the end: the last one, or with early stopping the one with
   * the best validation loss (0 when no epoch ran).
   */
  public int keptEpoch() {
    return keptEpoch;
  }

  /** Whether early stopping ended the run before its last epoch. */
  public boolean stoppedEarly() {
    return stoppedEarly;
  }

  public List<EpochResult> epochs() {
    return Collections.unmodifiableList(epochs);
  }

  /** The last epoch's result, or null when no epoch ran. */
  public EpochResult last() {
    return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
  }

  /** Wall time of all epochs' training, in seconds. */
  public double trainingSeconds() {
    double s = 0;
    for (EpochResult e : epochs) {
      s += e.seconds();
    }
    return s;
  }
}
