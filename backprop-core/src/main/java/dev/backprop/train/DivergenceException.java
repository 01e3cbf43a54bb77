package dev.backprop.train;

/**
 * Training produced a non-finite loss or gradient. Names the epoch, the step and where the first
 * non-finite value was seen; the command line maps it to exit code 4.
 *
 * <p>The usual remedy is a lower learning rate; the message leaves it to the caller to say so in the terms
 * of its own front end (the command line names its flag).
 */
public final class DivergenceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final int step;
  private final String where;

  public DivergenceException(int epoch, int step, String where, double value) {
    this("training diverged at epoch " + epoch + ", step " + step + ": " + where + " became " + value, epoch, step,
        where);
  }

  private DivergenceException(String message, int epoch, int step, String where) {
    super(message);
    this.epoch = epoch;
    this.step = step;
    this.where = where;
  }

  /** The same divergence with a sentence added to its message (e.g. where the last checkpoint is). */
  public DivergenceException withNote(String note) {
    DivergenceException e = new DivergenceException(getMessage() + "; " + note, epoch, step, where);
    e.setStackTrace(getStackTrace());
    return e;
  }

  public int epoch() {
    return epoch;
  }

  public int step() {
    return step;
  }

  /** "the loss" or the parameter whose gradient was not finite, e.g. "the gradient of layers.1.weight". */
  public String where() {
    return where;
  }
}
