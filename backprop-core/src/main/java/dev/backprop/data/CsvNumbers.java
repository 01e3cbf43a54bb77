package dev.backprop.data;

import java.nio.charset.StandardCharsets;

/**
 * Decimal text to a number without a String: {@code [+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?}, exactly the cells that
 * {@link CsvTable} has always accepted, converted to the same value as {@code Double.parseDouble} gives.
 */
final class CsvNumbers {
  private static final double[] POWERS = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POWERS.length; i++) {
      POWERS[i] = p;
      p *= 10;
    }
  }

  private CsvNumbers() {
  }

  /**
   * The value of the decimal in {@code b[from, to)}, or NaN when the bytes are not such a decimal (the grammar
   * has no NaN, so NaN is free to mean "not a number").
   */
  static double parse(byte[] b, int from, int to) {
    int i = from;
    if (i < to && (b[i] == '+' || b[i] == '-')) {
      i++;
    }
    long m = 0;
    int significant = 0;
    int intDigits = 0;
    for (; i < to && isDigit(b[i]); i++, intDigits++) {
      m = m * 10 + (b[i] - '0');
      if (m != 0) {
        significant++;
      }
    }
    int fracDigits = 0;
    if (i < to && b[i] == '.') {
      for (i++; i < to && isDigit(b[i]); i++, fracDigits++) {
        m = m * 10 + (b[i] - '0');
        if (m != 0) {
          significant++;
        }
      }
    }
    if (intDigits + fracDigits == 0) {
      return Double.NaN;
    }
    long exponent = 0;
    if (i < to && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      boolean negative = false;
      if (i < to && (b[i] == '+' || b[i] == '-')) {
        negative = b[i] == '-';
        i++;
      }
      int start = i;
      for (; i < to && isDigit(b[i]); i++) {
        if (exponent < 1_000_000_000L) {
          exponent = exponent * 10 + (b[i] - '0');
        }
      }
      if (i == start) {
        return Double.NaN;
      }
      exponent = negative ? -exponent : exponent;
    }
    if (i != to) {
      return Double.NaN;
    }
    boolean negative = b[from] == '-';
    // Clinger's fast path: a significand below 2^53 and a power of ten that a double holds exactly give one
    // correctly rounded multiplication or division, the same double as Double.parseDouble. (m overflowed
    // silently when significant > 18, and is not used then.)
    long e = exponent - fracDigits;
    if (significant <= 15 && e >= -22 && e <= 22) {
      double v = m == 0 ? 0.0 : e >= 0 ? m * POWERS[(int) e] : m / POWERS[(int) -e];
      return negative ? -v : v;
    }
    return Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }
}
