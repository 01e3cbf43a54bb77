package dev.backprop.data;

import java.util.Locale;

/** What a table column is to the encoder. */
public enum ColumnKind {
  /** Numbers, fed as they are (then scaled); gaps take the training median plus a missing-indicator input. */
  NUMERIC,
  /** Text levels (or integers the user names), one-hot encoded from the training vocabulary. */
  CATEGORICAL,
  /** Exactly two text values and no gaps: one 0/1 input. */
  BOOLEAN,
  /** Left out: named by the user, the same text in every row, or a different text in every row (an ID). */
  IGNORED;

  /** The lower-case name used in files and messages. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind an {@link #id()} names. */
  public static ColumnKind parse(String id) {
    for (ColumnKind k : values()) {
      if (k.id().equals(id)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown column kind '" + id + "'; expected numeric, categorical, boolean "
        + "or ignored");
  }
}
