package dev.backprop.train;

/**
 * A state to resume from does not fit the run: it was written by a run with other settings, or its
 * contents do not fit the network and optimizer (a damaged or edited checkpoint).
 */
public final class IncompatibleCheckpointException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final boolean otherRun;

  IncompatibleCheckpointException(String message, boolean otherRun) {
    super(message);
    this.otherRun = otherRun;
  }

  /** True when the checkpoint belongs to a run with other settings, false when its contents are broken. */
  public boolean otherRun() {
    return otherRun;
  }
}
