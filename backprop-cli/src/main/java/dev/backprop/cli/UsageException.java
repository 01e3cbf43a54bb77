package dev.backprop.cli;

/** A flag value that cannot work, found after parsing (exit code 2). */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
