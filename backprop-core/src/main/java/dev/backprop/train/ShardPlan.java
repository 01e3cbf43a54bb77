package dev.backprop.train;

import dev.backprop.InvalidSettingException;
import dev.backprop.SeededRandom;
import java.util.Arrays;

/**
 * Which rows each step of sharded training takes from each of its K fixed shards.
 *
 * <p>The rule, for n training rows, K shards and a batch size B (n for {@link TrainingConfig#FULL_BATCH}, and
 * never more than n):
 * <ul>
 *   <li>Shard k holds rows [floor(k n / K), floor((k + 1) n / K)) of the training data, n_k of them (or, on a
 *       cluster, the rows of partition k).
 *   <li>Each epoch e visits shard k's rows in the order {@code derive(seed, SHUFFLE_STREAM, e, k).permutation(n_k)}
 *       (for K = 1, {@code derive(seed, SHUFFLE_STREAM, e)}: the unsharded order), or in their order without
 *       shuffling.
 *   <li>A step takes q_k = floor(B / K) rows from shard k, plus one for the first B mod K shards; when B covers
 *       all rows, q_k = n_k. Step b of an epoch (0-based) takes positions [b q_k, (b + 1) q_k) of shard k's order,
 *       cut at n_k.
 *   <li>An epoch has as many steps as the shard that needs most: max over k of ceil(n_k / q_k). In its last steps a
 *       shard may give fewer rows, or none; every row is visited once per epoch.
 * </ul>
 * With K = 1 this is exactly unsharded mini-batch training.
 */
public final class ShardPlan {
  private final int[] sizes;
  private final int[] quotas;
  private final long seed;
  private final boolean shuffle;
  private final int steps;

  private ShardPlan(int[] sizes, int batchSize, long seed, boolean shuffle) {
    int k = sizes.length;
    long n = 0;
    for (int i = 0; i < k; i++) {
      if (sizes[i] <= 0) {
        throw new InvalidSettingException("shards", k, "at most the number of training rows (shard " + i
            + " would have none)");
      }
      n += sizes[i];
    }
    int b = batchSize == TrainingConfig.FULL_BATCH ? (int) n : (int) Math.min(batchSize, n);
    if (b < k) {
      throw new InvalidSettingException("shards", k, "at most the batch size " + b
          + ", so that every shard gives rows to every step");
    }
    this.sizes = sizes.clone();
    this.quotas = new int[k];
    int most = 0;
    for (int i = 0; i < k; i++) {
      quotas[i] = b == n ? sizes[i] : b / k + (i < b % k ? 1 : 0);
      most = Math.max(most, (sizes[i] + quotas[i] - 1) / quotas[i]);
    }
    this.seed = seed;
    this.shuffle = shuffle;
    this.steps = most;
  }

  /** The plan of {@code config} for {@code rows} training rows cut into {@code config.shards()} ranges. */
  public static ShardPlan of(int rows, TrainingConfig config) {
    int k = config.shards();
    int[] sizes = new int[k];
    for (int i = 0; i < k; i++) {
      sizes[i] = (int) (firstRow(rows, k, i + 1) - firstRow(rows, k, i));
    }
    return new ShardPlan(sizes, config.batchSize(), config.seed(), config.shuffle());
  }

  /** The plan of {@code config} for shards of the given sizes, e.g. a cluster's partitions. */
  public static ShardPlan ofSizes(int[] sizes, TrainingConfig config) {
    if (sizes.length != config.shards()) {
      throw new IllegalArgumentException(sizes.length + " shard sizes for " + config.shards() + " shards");
    }
    return new ShardPlan(sizes, config.batchSize(), config.seed(), config.shuffle());
  }

  /** The first row of shard k of {@code rows} rows cut into {@code shards}: floor(k rows / shards). */
  public static long firstRow(int rows, int shards, int k) {
    return (long) k * rows / shards;
  }

  /** K. */
  public int count() {
    return sizes.length;
  }

  /** n_k, the rows of shard k. */
  public int size(int k) {
    return sizes[k];
  }

  /** Steps per epoch. */
  public int steps() {
    return steps;
  }

  /** Where step b's rows start in shard k's order of the epoch. */
  public int from(int k, int b) {
    return (int) Math.min((long) b * quotas[k], sizes[k]);
  }

  /** Where step b's rows end in shard k's order of the epoch. */
  public int to(int k, int b) {
    return (int) Math.min((long) (b + 1) * quotas[k], sizes[k]);
  }

  /** The rows of step b, over all shards: the batch whose mean the gradient is. */
  public int batchRows(int b) {
    int m = 0;
    for (int k = 0; k < sizes.length; k++) {
      m += to(k, b) - from(k, b);
    }
    return m;
  }

  /** The order of shard k's rows (0 .. n_k - 1) in {@code epoch}. */
  public int[] order(int k, int epoch) {
    if (!shuffle) {
      int[] identity = new int[sizes[k]];
      Arrays.setAll(identity, i -> i);
      return identity;
    }
    SeededRandom random = sizes.length == 1 ? SeededRandom.derive(seed, Trainer.SHUFFLE_STREAM, epoch)
        : SeededRandom.derive(seed, Trainer.SHUFFLE_STREAM, epoch, k);
    return random.permutation(sizes[k]);
  }

  /** The seed of the shuffles and the dropout masks. */
  public long seed() {
    return seed;
  }
}
