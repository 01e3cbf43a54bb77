package dev.backprop.data;

import dev.backprop.internal.EnumIds;

/** What the label of a dataset is: a class out of a few, or a real value. */
public enum Task {
  CLASSIFICATION,
  REGRESSION;

  /** The lower-case name used on the command line and in model files. */
  public String id() {
    return EnumIds.id(this);
  }

  /** The task whose {@link #id()} is {@code id}; throws InvalidSettingException listing every id. */
  public static Task parse(String id) {
    return EnumIds.parse(Task.class, "task", id);
  }
}
