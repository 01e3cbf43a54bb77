package dev.backprop.train;

/**
 * The running totals of an epoch after some of its batches: what a run stopped within an epoch carries over to
 * finish it as the uninterrupted run would have.
 *
 * @param batches the batches done
 * @param lossSum the sum over those batches of the per-sample loss times the batch's rows
 * @param correct the training rows classified correctly in them
 * @param seconds their wall time
 */
public record EpochProgress(int batches, double lossSum, long correct, double seconds) {
  /** Nothing done yet. */
  public static final EpochProgress NONE = new EpochProgress(0, 0, 0, 0);

  public EpochProgress {
    if (batches < 0 || correct < 0) {
      throw new IllegalArgumentException("an epoch's progress counts up from 0, got " + batches + " batches and "
          + correct + " correct rows");
    }
  }

  /** These totals and one more batch. */
  EpochProgress plus(double batchLoss, long batchCorrect) {
    return new EpochProgress(batches + 1, lossSum + batchLoss, correct + batchCorrect, seconds);
  }

  /** These totals, {@code more} seconds later. */
  EpochProgress plusSeconds(double more) {
    return new EpochProgress(batches, lossSum, correct, seconds + more);
  }
}
