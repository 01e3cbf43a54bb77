package dev.backprop.train;

/** Callbacks from {@link Trainer#fit}; every method has an empty default. */
public interface TrainingListener {
  /** Before the first epoch. */
  default void onTrainingStart(int epochs, int batchesPerEpoch) {}

  /** After each mini-batch's update; {@code batch} is 1-based, {@code loss} per sample. */
  default void onBatchEnd(int epoch, int batch, int batchesPerEpoch, double loss) {}

  /** After each epoch, with its results. */
  default void onEpochEnd(EpochResult result) {}
}
