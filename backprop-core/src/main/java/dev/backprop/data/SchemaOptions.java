package dev.backprop.data;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The user's say in how a table's columns are read: columns forced to a kind, the texts that mean "missing",
 * and the most levels a categorical column keeps.
 *
 * @param categorical columns to one-hot encode whatever they hold (integers included)
 * @param numeric columns that must hold numbers (a text cell is an input error)
 * @param ignore columns to leave out
 * @param naValues cell texts (after trimming, matched exactly) that mean a missing value; an empty cell always does
 * @param maxLevels the most levels a categorical column keeps: the rarest of an inferred column go into one
 *     "(other)" level, and a column forced categorical with more distinct values is an input error
 */
public record SchemaOptions(Set<String> categorical, Set<String> numeric, Set<String> ignore,
    List<String> naValues, int maxLevels) {
  /** Missing-value texts when the user names none: those of pandas and R that do not look like a category. */
  public static final List<String> DEFAULT_NA_VALUES = List.of("", "NA", "N/A", "NaN", "null", "?");
  /** The default cap on a categorical column's levels. */
  public static final int DEFAULT_MAX_LEVELS = 50;

  public SchemaOptions {
    categorical = Set.copyOf(categorical);
    numeric = Set.copyOf(numeric);
    ignore = Set.copyOf(ignore);
    naValues = List.copyOf(Objects.requireNonNull(naValues, "naValues"));
    if (maxLevels < 2) {
      throw new IllegalArgumentException("maxLevels must be at least 2, got " + maxLevels);
    }
  }

  /** Everything inferred, the default missing-value texts and level cap. */
  public static SchemaOptions defaults() {
    return new SchemaOptions(Set.of(), Set.of(), Set.of(), DEFAULT_NA_VALUES, DEFAULT_MAX_LEVELS);
  }
}
