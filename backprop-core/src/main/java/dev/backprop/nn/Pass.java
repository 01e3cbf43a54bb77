package dev.backprop.nn;

/**
 * What a forward pass is for. Inference uses every output as it is; a training pass draws the dropout masks of
 * step {@code step} from {@code seed}, so the same (seed, step) draws the same masks in any process, and a resumed
 * run draws what the uninterrupted one drew.
 *
 * @param training whether dropout is active
 * @param seed the seed of the dropout masks (the training seed)
 * @param step the 1-based step of the run whose masks this pass draws
 * @param shard in sharded training (K > 1 shards), the shard whose rows this pass runs, which keys the masks
 *     too; {@link #WHOLE_BATCH} otherwise
 */
public record Pass(boolean training, long seed, long step, int shard) {
  /** The shard of a pass over a whole batch: the masks are keyed by (seed, step) alone. */
  public static final int WHOLE_BATCH = -1;
  /** A pass in evaluation mode: no dropout. */
  public static final Pass INFERENCE = new Pass(false, 0, 0);

  /** A pass over a whole batch. */
  public Pass(boolean training, long seed, long step) {
    this(training, seed, step, WHOLE_BATCH);
  }

  /** This pass over the rows of shard {@code k} of a step (0-based), whose dropout masks are its own. */
  public Pass forShard(int k) {
    if (k < 0) {
      throw new IllegalArgumentException("a shard index is 0 or more, got " + k);
    }
    return new Pass(training, seed, step, k);
  }

  /** A training pass of step {@code step} under {@code seed}. */
  public static Pass training(long seed, long step) {
    return new Pass(true, seed, step);
  }
}
