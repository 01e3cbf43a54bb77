package dev.backprop.nn;

/**
 * What a forward pass is for. Inference uses every output as it is; a training pass draws the dropout masks of
 * step {@code step} from {@code seed}, so the same (seed, step) draws the same masks in any process, and a resumed
 * run draws what the uninterrupted one drew.
 *
 * @param training whether dropout is active
 * @param seed the seed of the dropout masks (the training seed)
 * @param step the 1-based step of the run whose masks this pass draws
 */
public record Pass(boolean training, long seed, long step) {
  /** A pass in evaluation mode: no dropout. */
  public static final Pass INFERENCE = new Pass(false, 0, 0);

  /** A training pass of step {@code step} under {@code seed}. */
  public static Pass training(long seed, long step) {
    return new Pass(true, seed, step);
  }
}
