package dev.backprop;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file or value supplied by the user is unreadable, malformed or inconsistent with what it is used for.
 *
 * <p>The message always names the source (a file, or a built-in dataset) and the place in it: a 1-based row
 * and column, a byte offset, or a field. It is one line: control characters that came with the user's data (a
 * quoted CSV cell may hold a line break) are written out by {@link #escape(String)}. The command line maps this
 * exception to exit code 3.
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
    return escape(place == null || place.isEmpty() ? source + ": " + problem : source + ": " + place + ": " + problem);
  }

  /**
   * {@code text} with its control characters written out, so that a value echoed from the user's data keeps a
   * message on one line: line feed, carriage return and tab as {@code \n}, {@code \r} and {@code \t}, the
   * others (below 0x20, and 0x7f to 0x9f) as &#92;u and four hex digits. Everything else, backslashes included,
   * is kept, so escaping twice changes nothing.
   */
  public static String escape(String text) {
    int first = 0;
    while (first < text.length() && !Character.isISOControl(text.charAt(first))) {
      first++;
    }
    if (first == text.length()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
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
