package dev.backprop.onnx;

/**
 * The model holds something that the ONNX export cannot express; the message says what. Nothing has been
 * written when it is thrown.
 */
public final class UnsupportedModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnsupportedModelException(String message) {
    super(message);
  }
}
