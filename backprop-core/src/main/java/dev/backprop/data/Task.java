package dev.backprop.data;

import java.util.Locale;

/** What the label of a dataset is: a class out of a few, or a real value. */
public enum Task {
  CLASSIFICATION,
  REGRESSION;

  /** The lower-case name used on the command line and in model files. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@link #id()}; throws IllegalArgumentException naming the accepted values. */
  public static Task parse(String id) {
    for (Task t : values()) {
      if (t.id().equals(id)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown task '" + id + "', expected classification or regression");
  }
}
