package dev.backprop.data;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The distinct texts of one column in one chunk, each stored once as UTF-8 bytes: cells refer to them by code,
 * in order of first appearance, so that a column of a few distinct texts costs one int per row.
 */
final class CsvTexts {
  private byte[] arena = new byte[256];
  private int used;
  private int[] starts = new int[16];
  private int[] lengths = new int[16];
  private boolean[] numeric = new boolean[16];
  private int size;
  private int numericSize;
  private int[] slots = new int[32];

  /** The code of this text, added if new; {@code isNumber} says whether it is a finite number. */
  int intern(byte[] b, int from, int to, boolean isNumber) {
    int hash = 1;
    for (int i = from; i < to; i++) {
      hash = 31 * hash + b[i];
    }
    hash ^= hash >>> 16;
    int mask = slots.length - 1;
    for (int s = hash & mask; ; s = (s + 1) & mask) {
      int code = slots[s] - 1;
      if (code < 0) {
        return add(b, from, to, isNumber, s);
      }
      if (lengths[code] == to - from && Arrays.equals(arena, starts[code], starts[code] + lengths[code], b, from, to)) {
        return code;
      }
    }
  }

  private int add(byte[] b, int from, int to, boolean isNumber, int slot) {
    int length = to - from;
    if (used + length > arena.length) {
      arena = Arrays.copyOf(arena, Math.max(2 * arena.length, used + length));
    }
    System.arraycopy(b, from, arena, used, length);
    if (size == starts.length) {
      starts = Arrays.copyOf(starts, 2 * size);
      lengths = Arrays.copyOf(lengths, 2 * size);
      numeric = Arrays.copyOf(numeric, 2 * size);
    }
    starts[size] = used;
    lengths[size] = length;
    numeric[size] = isNumber;
    used += length;
    slots[slot] = size + 1;
    if (isNumber) {
      numericSize++;
    }
    size++;
    if (2 * size > slots.length) {
      rehash();
    }
    return size - 1;
  }

  private void rehash() {
    slots = new int[2 * slots.length];
    int mask = slots.length - 1;
    for (int code = 0; code < size; code++) {
      int hash = 1;
      for (int i = starts[code]; i < starts[code] + lengths[code]; i++) {
        hash = 31 * hash + arena[i];
      }
      hash ^= hash >>> 16;
      int s = hash & mask;
      while (slots[s] != 0) {
        s = (s + 1) & mask;
      }
      slots[s] = code + 1;
    }
  }

  int size() {
    return size;
  }

  /** How many of the texts are finite numbers. */
  int numericSize() {
    return numericSize;
  }

  boolean isNumeric(int code) {
    return numeric[code];
  }

  String text(int code) {
    return new String(arena, starts[code], lengths[code], StandardCharsets.UTF_8);
  }
}
