package dev.backprop.train;

import dev.backprop.InvalidSettingException;
import dev.backprop.optim.OptimizerSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to train: epochs, mini-batch size, shuffling, the seed of every random choice, the optimizer and
 * its learning-rate schedule, gradient clipping and early stopping. Build one from the defaults with
 * {@link #builder()}, e.g. {@code TrainingConfig.builder().epochs(3).batchSize(8).seed(5).build()}, and
 * change one setting of an existing configuration with its {@code with} method.
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
 * @param shards K, the fixed shards of the training rows whose gradient sums each step adds up in shard order
 *     (see {@link ShardPlan}); 1 (the default) is plain mini-batch training
 * @param minDelta with early stopping, how much lower than the best so far a validation loss must be to count as an
 *     improvement (0, the default: any lower value)
 */
public record TrainingConfig(int epochs, int batchSize, boolean shuffle, long seed, OptimizerSettings optimizer,
    Schedule schedule, double clipNorm, int patience, int shards, double minDelta) {
  public static final int DEFAULT_EPOCHS = 10;
  public static final int DEFAULT_BATCH_SIZE = 64;
  public static final long DEFAULT_SEED = 42;
  /** The batch size that means "every training row in one batch". */
  public static final int FULL_BATCH = 0;
  /** One shard: every step computes its batch's gradient at once. */
  public static final int DEFAULT_SHARDS = 1;

  public TrainingConfig {
    if (epochs < 0) {
      throw new InvalidSettingException("epochs", epochs, "0 or more");
    }
    if (batchSize < 0) {
      throw new InvalidSettingException("batchSize", batchSize, "1 or more rows, or 0 (FULL_BATCH) for all rows at "
          + "once");
    }
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(schedule, "schedule");
    if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
      throw new InvalidSettingException("clipNorm", clipNorm, "a finite number >= 0 (0 turns clipping off)");
    }
    if (patience < 0) {
      throw new InvalidSettingException("patience", patience, "0 (no early stopping) or more epochs");
    }
    if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
      throw new InvalidSettingException("minDelta", minDelta, "a finite number >= 0 (0: any lower loss improves)");
    }
    if (shards < 1) {
      throw new InvalidSettingException("shards", shards, "1 or more (1: no sharding)");
    }
    if (shards > 1 && batchSize != FULL_BATCH && batchSize < shards) {
      throw new InvalidSettingException("shards", shards, "at most the batch size " + batchSize
          + ", so that every shard gives rows to every step");
    }
  }

  /** A configuration where any lower validation loss is an improvement. */
  public TrainingConfig(int epochs, int batchSize, boolean shuffle, long seed, OptimizerSettings optimizer,
      Schedule schedule, double clipNorm, int patience, int shards) {
    this(epochs, batchSize, shuffle, seed, optimizer, schedule, clipNorm, patience, shards, 0);
  }

  /** A configuration with one shard. */
  public TrainingConfig(int epochs, int batchSize, boolean shuffle, long seed, OptimizerSettings optimizer,
      Schedule schedule, double clipNorm, int patience) {
    this(epochs, batchSize, shuffle, seed, optimizer, schedule, clipNorm, patience, DEFAULT_SHARDS);
  }

  /**
   * Defaults: 10 epochs, batches of 64, shuffled, seed 42, plain SGD at lr 0.1, constant learning rate, no
   * clipping, no early stopping.
   */
  public static TrainingConfig defaults() {
    return builder().build();
  }

  /**
   * Every setting by its name in the Java API, as text that round-trips (the doubles in Java's shortest exact
   * form), in a fixed order: what a checkpoint records so that a resumed run can say which setting differs.
   */
  public Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("epochs", String.valueOf(epochs));
    s.put("batchSize", String.valueOf(batchSize));
    s.put("shuffle", String.valueOf(shuffle));
    s.put("seed", String.valueOf(seed));
    s.put("optimizer", optimizer.kind().id());
    s.put("learningRate", String.valueOf(optimizer.learningRate()));
    s.put("momentum", String.valueOf(optimizer.momentum()));
    s.put("weightDecay", String.valueOf(optimizer.weightDecay()));
    s.put("schedule", schedule.kind().id());
    s.put("stepEpochs", String.valueOf(schedule.stepSize()));
    s.put("gamma", String.valueOf(schedule.gamma()));
    s.put("warmupEpochs", String.valueOf(schedule.warmupEpochs()));
    s.put("clipNorm", String.valueOf(clipNorm));
    s.put("patience", String.valueOf(patience));
    s.put("shards", String.valueOf(shards));
    if (minDelta != 0) {
      // only when set, so that checkpoints written before the setting existed still match
      s.put("minDelta", String.valueOf(minDelta));
    }
    return s;
  }

  /** A builder that starts from the {@linkplain #defaults() defaults}. */
  public static Builder builder() {
    return new Builder();
  }

  public TrainingConfig withEpochs(int value) {
    return new TrainingConfig(value, batchSize, shuffle, seed, optimizer, schedule, clipNorm, patience, shards,
        minDelta);
  }

  public TrainingConfig withBatchSize(int value) {
    return new TrainingConfig(epochs, value, shuffle, seed, optimizer, schedule, clipNorm, patience, shards, minDelta);
  }

  public TrainingConfig withSeed(long value) {
    return new TrainingConfig(epochs, batchSize, shuffle, value, optimizer, schedule, clipNorm, patience, shards,
        minDelta);
  }

  public TrainingConfig withOptimizer(OptimizerSettings value) {
    return new TrainingConfig(epochs, batchSize, shuffle, seed, value, schedule, clipNorm, patience, shards, minDelta);
  }

  public TrainingConfig withSchedule(Schedule value) {
    return new TrainingConfig(epochs, batchSize, shuffle, seed, optimizer, value, clipNorm, patience, shards, minDelta);
  }

  public TrainingConfig withClipNorm(double value) {
    return new TrainingConfig(epochs, batchSize, shuffle, seed, optimizer, schedule, value, patience, shards, minDelta);
  }

  public TrainingConfig withPatience(int value) {
    return new TrainingConfig(epochs, batchSize, shuffle, seed, optimizer, schedule, clipNorm, value, shards, minDelta);
  }

  public TrainingConfig withMinDelta(double value) {
    return new TrainingConfig(epochs, batchSize, shuffle, seed, optimizer, schedule, clipNorm, patience, shards, value);
  }

  public TrainingConfig withShards(int value) {
    return new TrainingConfig(epochs, batchSize, shuffle, seed, optimizer, schedule, clipNorm, patience, value,
        minDelta);
  }

  /**
   * The record's usual text, without {@code shards} when there is one: the text older checkpoints recorded as
   * their run's signature, which must still match.
   */
  @Override
  public String toString() {
    return "TrainingConfig[epochs=" + epochs + ", batchSize=" + batchSize + ", shuffle=" + shuffle + ", seed=" + seed
        + ", optimizer=" + optimizer + ", schedule=" + schedule + ", clipNorm=" + clipNorm + ", patience=" + patience
        + (shards == DEFAULT_SHARDS ? "" : ", shards=" + shards) + (minDelta == 0 ? "" : ", minDelta=" + minDelta)
        + "]";
  }

  /** Collects the settings, each starting at its default; {@link #build()} checks them. */
  public static final class Builder {
    private int epochs = DEFAULT_EPOCHS;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private boolean shuffle = true;
    private long seed = DEFAULT_SEED;
    private OptimizerSettings optimizer = OptimizerSettings.sgd(OptimizerSettings.DEFAULT_SGD_LEARNING_RATE);
    private Schedule schedule = Schedule.constant();
    private double clipNorm;
    private int patience;
    private int shards = DEFAULT_SHARDS;
    private double minDelta;

    private Builder() {}

    public Builder epochs(int value) {
      epochs = value;
      return this;
    }

    /** Rows per mini-batch; {@link #FULL_BATCH} for all rows at once. */
    public Builder batchSize(int value) {
      batchSize = value;
      return this;
    }

    /** Whether each epoch visits the rows in a new order (the default) or in the data's order. */
    public Builder shuffle(boolean value) {
      shuffle = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public Builder optimizer(OptimizerSettings value) {
      optimizer = value;
      return this;
    }

    public Builder schedule(Schedule value) {
      schedule = value;
      return this;
    }

    /** The largest global gradient norm; 0 (the default) turns clipping off. */
    public Builder clipNorm(double value) {
      clipNorm = value;
      return this;
    }

    /** Epochs without a lower validation loss before training stops; 0 (the default) never stops early. */
    public Builder patience(int value) {
      patience = value;
      return this;
    }

    /** K fixed shards of the training rows whose gradient sums every step adds up; 1 (the default): none. */
    public Builder shards(int value) {
      shards = value;
      return this;
    }

    /** How much lower than the best a validation loss must be to count as an improvement; 0 (the default): any. */
    public Builder minDelta(double value) {
      minDelta = value;
      return this;
    }

    /** The configuration; throws InvalidSettingException when a setting is outside what it accepts. */
    public TrainingConfig build() {
      return new TrainingConfig(epochs, batchSize, shuffle, seed, optimizer, schedule, clipNorm, patience, shards,
          minDelta);
    }
  }
}
