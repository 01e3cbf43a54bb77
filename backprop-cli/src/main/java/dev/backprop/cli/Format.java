package dev.backprop.cli;

import java.util.Locale;

/** Number formatting shared by the commands' human-readable output. */
final class Format {
  private Format() {}

  /** A compact form that keeps small learning rates readable: 0.1, 0.001, 1e-05. */
  static String number(double v) {
    return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+(e|$)", "$1");
  }

  /** One row of values, each printed with {@code format} and separated by two spaces. */
  static String row(double[] values, String format) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      sb.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, format, values[i]));
    }
    return sb.toString();
  }
}
