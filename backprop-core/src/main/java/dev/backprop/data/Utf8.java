package dev.backprop.data;

/** Strict UTF-8 checking, as the JDK's decoder does it: no overlong forms, no surrogates, nothing above U+10FFFF. */
final class Utf8 {
  private Utf8() {
  }

  /** The index of the first byte in {@code b[from, to)} that does not start or continue valid UTF-8, or -1. */
  static int firstInvalid(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n;
      int min2 = 0x80;
      int max2 = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
      } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) {
          min2 = 0xA0;
        } else if (c == 0xED) {
          max2 = 0x9F;
        }
      } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) {
          min2 = 0x90;
        } else if (c == 0xF4) {
          max2 = 0x8F;
        }
      } else {
        return i;
      }
      if (i + n > to) {
        return i;
      }
      int c2 = b[i + 1] & 0xff;
      if (c2 < min2 || c2 > max2) {
        return i;
      }
      for (int k = 2; k < n; k++) {
        if ((b[i + k] & 0xC0) != 0x80) {
          return i;
        }
      }
      i += n;
    }
    return -1;
  }
}
