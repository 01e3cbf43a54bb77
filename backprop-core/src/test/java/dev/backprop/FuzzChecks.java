package dev.backprop;

/** What every rejection that a fuzz test meets must say. */
public final class FuzzChecks {
  private FuzzChecks() {}

  /** Fails unless the exception names {@code source}, as its source and at the start of its message. */
  public static void requireSource(InvalidInputException e, String source) {
    if (!e.source().equals(source) || !e.getMessage().startsWith(source + ": ")) {
      throw new AssertionError("the message does not start with the source '" + source + "': " + e.getMessage(), e);
    }
  }
}
