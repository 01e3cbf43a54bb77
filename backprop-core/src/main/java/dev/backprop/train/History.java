package dev.backprop.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The per-epoch results of a training run, in order. */
public final class History {
  private final List<EpochResult> epochs = new ArrayList<>();

  void add(EpochResult result) {
    epochs.add(result);
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
