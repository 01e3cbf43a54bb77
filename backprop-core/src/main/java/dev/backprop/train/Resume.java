package dev.backprop.train;

/** The checks a checkpoint's state must pass before a run continues from it. */
final class Resume {
  private Resume() {}

  /** Throws IllegalArgumentException saying what is impossible in {@code state} for a run of these settings. */
  static void requireConsistent(TrainingState state, int epochs, boolean earlyStopping, int batchesPerEpoch) {
    if (state.epoch() < 0 || state.epoch() > epochs) {
      throw new IllegalArgumentException("its epoch " + state.epoch() + " is outside 0.." + epochs);
    }
    if (state.history().size() != state.epoch()) {
      throw new IllegalArgumentException("it holds " + state.history().size() + " epochs of history for epoch "
          + state.epoch());
    }
    if (state.bestEpoch() < 0 || state.bestEpoch() > state.epoch() || state.badEpochs() < 0) {
      throw new IllegalArgumentException("its early-stopping state (best epoch " + state.bestEpoch()
          + ", epochs since " + state.badEpochs() + ") is impossible after epoch " + state.epoch());
    }
    if (earlyStopping && state.bestEpoch() > 0 && state.bestParameters() == null) {
      throw new IllegalArgumentException("it has no best weights for early stopping");
    }
    int done = state.partial().batches();
    if (done >= batchesPerEpoch || (done > 0 && (state.epoch() == epochs || state.stopped()))) {
      throw new IllegalArgumentException("it stopped after " + done + " batches of epoch " + (state.epoch() + 1)
          + ", which has " + batchesPerEpoch + " batches in this run");
    }
  }
}
