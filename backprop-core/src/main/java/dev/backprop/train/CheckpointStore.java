package dev.backprop.train;

import java.io.IOException;

/** Where a run saves its {@link TrainingState} every few epochs (a folder on disk, in the CLI). */
public interface CheckpointStore {
  /**
   * Saves {@code state} so that a crash at any moment leaves either the previous checkpoint or this one,
   * whole.
   */
  void save(TrainingState state) throws IOException;
}
