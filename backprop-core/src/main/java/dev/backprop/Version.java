package dev.backprop;

/** The version of Backprop, recorded in every model file it writes. */
public final class Version {
  /** The release this code belongs to. */
  public static final String VERSION = "0.1.0";

  private Version() {}
}
