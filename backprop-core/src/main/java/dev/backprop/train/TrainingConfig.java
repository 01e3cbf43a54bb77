package dev.backprop.train;

import dev.backprop.optim.OptimizerSettings;
import java.util.Objects;

/**
 * How to train: epochs, mini-batch size, shuffling, the seed of every random choice, the optimizer and
 * its learning-rate schedule, gradient clipping and early stopping.
 *
 * @param epochs passes over the training data; 0 leaves the network as it is
 * @param batchSize rows per mini-batch; {@link #FULL_BATCH} (0) takes all rows at once
 * @param shuffle whether each epoch visits the rows in a new order, derived from (seed, epoch)
 * @param seed the seed of shuffling and dropout (the network's initial weights have their own seed in its
 *     builder)
 * @param optimizer which optimizer, with its learning rate and other settings
 * @param schedule how the learning rate changes over the epochs
 * @param clipNorm the largest global L2 norm of all gradients together; larger gradients are scaled down
 *     to it before the update (0 = no clipping)
 * @param patience with validation data, stop after this many epochs without a lower validation loss and
 *     restore the best epoch's weights (0 = no early stopping)
 */
public record TrainingConfig(int epochs, int batchSize, boolean shuffle, long seed, OptimizerSettings optimizer,
    Schedule schedule, double clipNorm, int patience) {
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
    Objects.requireNonNull(schedule, "schedule");
    if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("the clipping norm must be a finite number >= 0 (0 = off), got " + clipNorm);
    }
    if (patience < 0) {
      throw new IllegalArgumentException("early-stopping patience must be 0 (off) or more, got " + patience);
    }
  }

  /** A plain configuration: constant learning rate, no clipping, no early stopping. */
  public TrainingConfig(int epochs, int batchSize, boolean shuffle, long seed, OptimizerSettings optimizer) {
    this(epochs, batchSize, shuffle, seed, optimizer, Schedule.constant(), 0, 0);
  }

  /** Defaults: 10 epochs, batches of 64, shuffled, seed 42, plain SGD at lr 0.1. */
  public static TrainingConfig defaults() {
    return new TrainingConfig(DEFAULT_EPOCHS, DEFAULT_BATCH_SIZE, true, DEFAULT_SEED,
        OptimizerSettings.sgd(OptimizerSettings.DEFAULT_SGD_LEARNING_RATE));
  }

  public TrainingConfig withEpochs(int value) {
    return new TrainingConfig(value, batchSize, shuffle, seed, optimizer, schedule, clipNorm, patience);
  }

  public TrainingConfig withBatchSize(int value) {
    return new TrainingConfig(epochs, value, shuffle, seed, optimizer, schedule, clipNorm, patience);
  }

  public TrainingConfig withSeed(long value) {
    return new TrainingConfig(epochs, batchSize, shuffle, value, optimizer, schedule, clipNorm, patience);
  }

  public TrainingConfig withOptimizer(OptimizerSettings value) {
    return new TrainingConfig(epochs, batchSize, shuffle, seed, value, schedule, clipNorm, patience);
  }

  public TrainingConfig withSchedule(Schedule value) {
    return new TrainingConfig(epochs, batchSize, shuffle, seed, optimizer, value, clipNorm, patience);
  }

  public TrainingConfig withClipNorm(double value) {
    return new TrainingConfig(epochs, batchSize, shuffle, seed, optimizer, schedule, value, patience);
  }

  public TrainingConfig withPatience(int value) {
    return new TrainingConfig(epochs, batchSize, shuffle, seed, optimizer, schedule, clipNorm, value);
  }
}
