package dev.backprop.data;

import java.nio.charset.StandardCharsets;

/**
 * Decimal text to a number without a String: {@code [+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?}, exactly the cells that
 * {@link CsvTable} has always accepted, converted to the same value as {@code Double.parseDouble} gives.
 */
final class CsvNumbers {
  private static final double[] POWERS = new double[23];
  private static final long[] TENS = new long[19];
  private static final java.lang.invoke.VarHandle WORDS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  static {
    double p = 1;
    for (int i = 0; i < POWERS.length; i++) {
      POWERS[i] = p;
      p *= 10;
    }
    long t = 1;
    for (int i = 0; i < TENS.length; i++) {
      TENS[i] = t;
      t *= 10;
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
    int intDigits = 0;
    for (; i < to && isDigit(b[i]); i++, intDigits++) {
      m = m * 10 + (b[i] - '0');
    }
    int fracDigits = 0;
    if (i < to && b[i] == '.') {
      for (i++; i < to && isDigit(b[i]); i++, fracDigits++) {
        m = m * 10 + (b[i] - '0');
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
    return value(b, from, to, m, intDigits + fracDigits, exponent - fracDigits);
  }

  /**
   * The value of the decimal in {@code b[from, to)}, already scanned: {@code m} its digits as a number, exact when
   * there are at most 18 of them ({@code digits}), {@code e} the power of ten that m is to be scaled by. The
   * scanners share this step, so that they give the same double.
   */
  static double value(byte[] b, int from, int to, long m, int digits, long e) {
    // Clinger's fast path: a significand of at most 2^53 and a power of ten that a double holds exactly give one
    // correctly rounded multiplication or division, the same double as Double.parseDouble gives. The sign is set
    // as a bit (minus zero included): a branch on it would go either way from one cell to the next.
    if (digits <= 18 && m <= 1L << 53 && e >= -22 && e <= 22) {
      double v = e >= 0 ? m * POWERS[(int) e] : m / POWERS[(int) -e];
      long sign = b[from] == '-' ? Long.MIN_VALUE : 0;
      return Double.longBitsToDouble(Double.doubleToRawLongBits(v) | sign);
    }
    return Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
  }

  /** Eight bytes of b from index i (which must leave room for them), the first in the lowest bits. */
  static long word(byte[] b, int i) {
    return (long) WORDS.get(b, i);
  }

  /** How many of the eight bytes of {@code word}, from its lowest, are decimal digits before the first that is not. */
  static int leadingDigits(long word) {
    // each byte of x is the digit's value for a digit; x + 0x76 carries into its top bit from 10 on, and a byte
    // with its top bit already set is no digit either (its carry only reaches bytes above the first non-digit)
    long x = word ^ 0x3030303030303030L;
    long notDigit = ((x + 0x7676767676767676L) | x) & 0x8080808080808080L;
    return Long.numberOfTrailingZeros(notDigit) >>> 3;
  }

  /** The number that the lowest {@code n} bytes of {@code word} (1 to 8, all digits) spell, the first digit first. */
  static long digits(long word, int n) {
    // the digits' values moved to the top bytes, below them zeros as leading digits; then pairs, fours and eights of
    // digits are combined by three multiplications
    long x = (word ^ 0x3030303030303030L) << (64 - 8 * n);
    x = (x * 10 + (x >>> 8)) & 0x00FF00FF00FF00FFL;
    x = (x * 100 + (x >>> 16)) & 0x0000FFFF0000FFFFL;
    return (x * 10000 + (x >>> 32)) & 0xFFFFFFFFL;
  }

  /** 10^n for n from 0 to 18. */
  static long powerOfTen(int n) {
    return TENS[n];
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }
}
