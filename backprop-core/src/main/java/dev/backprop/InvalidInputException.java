package dev.backprop;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file or value supplied by the user is unreadable, malformed or inconsistent with what it is used for.
 *
 * <p>The message always names the source (a file, or a built-in dataset) and the place in it: a 1-based row
 * and column, a byte offset, or a field. The command line maps this exception to exit code 3.
 */
public class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String place;

  /**
   * @param source the file or dataset name, as the user gave it
   * @param place where in the source, e.g. {@code "row 12, column 3"} or {@code "byte 1040"}; may be empty
   * @param problem what is wrong and what was expected
   */
  public InvalidInputException(String source, String place, String problem) {
    super(format(source, place, problem));
    this.source = Objects.requireNonNull(source, "source");
    this.place = place == null ? "" : place;
  }

  public InvalidInputException(Path source, String place, String problem) {
    this(source.toString(), place, problem);
  }

  public InvalidInputException(String source, String place, String problem, Throwable cause) {
    this(source, place, problem);
    initCause(cause);
  }

  private static String format(String source, String place, String problem) {
    return place == null || place.isEmpty() ? source + ": " + problem : source + ": " + place + ": " + problem;
  }

  /** The file or dataset the problem is in. */
  public String source() {
    return source;
  }

  /** Where in the source the problem is, or the empty string when it concerns the whole source. */
  public String place() {
    return place;
  }
}
