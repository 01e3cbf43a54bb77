package dev.backprop.train;

import dev.backprop.optim.OptimizerSettings;
import java.util.Objects;

/**
 * How to train: epochs, mini-batch size, shuffling, the seed of every random choice, and the optimizer.
 *
 * @param epochs passes over the training data; 0 leaves the network as it is
 * @param batchSize rows per mini-batch; {@link #FULL_BATCH} (0) takes all rows at once
 * @param shuffle whether each epoch visits the rows in a new order, derived from (seed, epoch)
 * @param seed the seed of shuffling (the network's initial weights have their own seed in its builder)
 * @param optimizer which optimizer, with its learning rate
 */
public record TrainingConfig(int epochs, int batchSize, boolean shuffle, long seed, OptimizerSettings optimizer) {
  public static final int DEFAULT_EPOCHS = 10;
  public static final int DEFAULT_BATCH_SIZE = 64;
  public static final long DEFAULT_SEED = 42;
  /** The batch size that means "every training row in one batch". */
  public static final int FULL_BATCH = 0;

  public TrainingConfig {
    if (epochs < 0) {
      throw new IllegalArgumentException("epochs must be 0 or more, got " + epochs);
    }
    if (batchSize < 0) {
      throw new IllegalArgumentException("batch size must be positive (or 0 for the full batch), got " + batchSize);
    }
    Objects.requireNonNull(optimizer, "optimizer");
  }

  /** Defaults: 10 epochs, batches of 64, shuffled, seed 42, plain SGD at lr 0.1. */
  public static TrainingConfig defaults() {
    return new TrainingConfig(DEFAULT_EPOCHS, DEFAULT_BATCH_SIZE, true, DEFAULT_SEED,
        OptimizerSettings.sgd(OptimizerSettings.DEFAULT_SGD_LEARNING_RATE));
  }

  public TrainingConfig withEpochs(int value) {
    return new TrainingConfig(value, batchSize, shuffle, seed, optimizer);
  }

  public TrainingConfig withBatchSize(int value) {
    return new TrainingConfig(epochs, value, shuffle, seed, optimizer);
  }

  public TrainingConfig withShuffle(boolean value) {
    return new TrainingConfig(epochs, batchSize, value, seed, optimizer);
  }

  public TrainingConfig withSeed(long value) {
    return new TrainingConfig(epochs, batchSize, shuffle, value, optimizer);
  }

  public TrainingConfig withOptimizer(OptimizerSettings value) {
    return new TrainingConfig(epochs, batchSize, shuffle, seed, value);
  }
}
