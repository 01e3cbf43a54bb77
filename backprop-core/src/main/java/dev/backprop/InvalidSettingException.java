package dev.backprop;

import java.util.Objects;

/**
 * A setting given to the library is outside what it accepts: a learning rate of zero, a batch size of -1, a
 * loss that cannot follow the output activation.
 *
 * <p>The message names the setting as the Java API spells it ({@code "learningRate"}), the value given and
 * what is allowed. Front ends that spell settings otherwise (the command line's {@code --lr}) rebuild the
 * message from {@link #setting()}, {@link #value()} and {@link #expected()} with {@link #messageFor(String)};
 * the command line maps this exception to exit code 2.
 */
public class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String setting;
  private final String value;
  private final String expected;

  /**
   * @param setting the setting's name in the Java API, e.g. {@code "learningRate"}
   * @param value the value given, as it reads to the user
   * @param expected what is allowed, phrased to follow "must be", e.g. {@code "a finite number > 0"}
   */
  public InvalidSettingException(String setting, Object value, String expected) {
    super(format(setting, String.valueOf(value), expected));
    this.setting = Objects.requireNonNull(setting, "setting");
    this.value = String.valueOf(value);
    this.expected = Objects.requireNonNull(expected, "expected");
  }

  private static String format(String name, String value, String expected) {
    return name + " must be " + expected + ", got " + value;
  }

  /** The setting's name in the Java API, e.g. {@code "learningRate"}. */
  public String setting() {
    return setting;
  }

  /** The value that was given, as text. */
  public String value() {
    return value;
  }

  /** What the setting accepts, phrased to follow "must be". */
  public String expected() {
    return expected;
  }

  /** The message with the setting called {@code name} instead, e.g. a command-line flag. */
  public String messageFor(String name) {
    return format(name, value, expected);
  }
}
