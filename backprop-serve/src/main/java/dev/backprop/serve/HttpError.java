package dev.backprop.serve;

/** A request the server refuses: its HTTP status and the message sent to the client as {@code {"error": ...}}. */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String allow;

  HttpError(int status, String message) {
    this(status, message, null);
  }

  private HttpError(int status, String message, String allow) {
    super(message, null, false, false);
    this.status = status;
    this.allow = allow;
  }

  /** A 405 for a path that takes only {@code allowed}. */
  static HttpError methodNotAllowed(String allowed, String message) {
    return new HttpError(405, message, allowed);
  }

  int status() {
    return status;
  }

  /** The method the path takes, for the Allow header of a 405; null otherwise. */
  String allow() {
    return allow;
  }
}
