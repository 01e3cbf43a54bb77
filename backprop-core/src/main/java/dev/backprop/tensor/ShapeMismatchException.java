package dev.backprop.tensor;

/** Two matrices whose shapes do not fit the operation; the message gives the actual and the expected shapes. */
public final class ShapeMismatchException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ShapeMismatchException(String message) {
    super(message);
  }
}
