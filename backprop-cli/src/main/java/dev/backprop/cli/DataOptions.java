package dev.backprop.cli;

import dev.backprop.data.DataSources;
import dev.backprop.data.SchemaOptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Option;

/** The flags that say which data to train or test on. */
final class DataOptions {
  static final double DEFAULT_TEST_SPLIT = 0.2;

  @Option(names = "--data", paramLabel = "D", defaultValue = "digits",
      description = "A CSV file, a folder or prefix of IDX files, or a built-in name: digits, iris, diabetes, "
          + "fashion-mnist (default: ${DEFAULT-VALUE}).")
  String data;

  @Option(names = "--label", paramLabel = "COL",
      description = "CSV label column, by name or 0-based index (default: the last column).")
  String label;

  @Option(names = "--task", paramLabel = "TASK",
      description = "classification or regression (default: inferred: text or few integer labels = classification).")
  String task;

  @Option(names = "--test-data", paramLabel = "D",
      description = "Held-out data, reported after each epoch (default: the built-in test split, or a stratified "
          + "share of a CSV file, see --test-split).")
  String testData;

  @Option(names = "--test-split", paramLabel = "F", defaultValue = "0.2",
      description = "Share of CSV rows held out for testing when --test-data is not given (default: ${DEFAULT-VALUE}).")
  double testSplit;

  @Option(names = "--normalize", paramLabel = "KIND",
      description = "none, standard or minmax, fitted on the training rows and stored in the model "
          + "(default: standard for CSV, none for IDX, whose pixels are scaled to [0,1]).")
  String normalize;

  @Option(names = "--categorical", paramLabel = "COLS", split = ",",
      description = "CSV columns to one-hot encode whatever they hold, e.g. integer codes (default: inferred: "
          + "mostly text = categorical).")
  List<String> categorical = new ArrayList<>();

  @Option(names = "--numeric", paramLabel = "COLS", split = ",",
      description = "CSV columns that must hold numbers; a text cell is an input error (default: inferred: "
          + "mostly numbers = numeric).")
  List<String> numeric = new ArrayList<>();

  @Option(names = "--ignore", paramLabel = "COLS", split = ",",
      description = "CSV columns to leave out (default: none; a text column with the same value or a different "
          + "value in every row is left out by itself).")
  List<String> ignore = new ArrayList<>();

  @Option(names = "--na-values", paramLabel = "LIST", split = ",",
      description = "Cell texts that mean a missing value, besides the empty cell (default: NA,N/A,NaN,null,?).")
  List<String> naValues;

  @Option(names = "--max-levels", paramLabel = "N", defaultValue = "50",
      description = "Most levels a categorical column keeps; rarer ones share an '(other)' level "
          + "(default: ${DEFAULT-VALUE}).")
  int maxLevels = SchemaOptions.DEFAULT_MAX_LEVELS;

  /** The schema flags for the library. */
  SchemaOptions schemaOptions() {
    LinkedHashSet<String> na = new LinkedHashSet<>();
    na.add("");
    na.addAll(naValues == null ? SchemaOptions.DEFAULT_NA_VALUES : naValues.stream().map(String::strip).toList());
    for (String a : categorical) {
      if (numeric.contains(a) || ignore.contains(a)) {
        throw new UsageException("column '" + a + "' is named by --categorical and by "
            + (numeric.contains(a) ? "--numeric" : "--ignore") + "; name it once");
      }
    }
    for (String a : numeric) {
      if (ignore.contains(a)) {
        throw new UsageException("column '" + a + "' is named by --numeric and by --ignore; name it once");
      }
    }
    if (maxLevels < 2) {
      throw new UsageException("--max-levels must be 2 or more, got " + maxLevels);
    }
    return new SchemaOptions(new LinkedHashSet<>(categorical), new LinkedHashSet<>(numeric),
        new LinkedHashSet<>(ignore), List.copyOf(na), maxLevels);
  }

  void validate() {
    if (!(testSplit > 0 && testSplit < 1)) {
      throw new UsageException("--test-split must be between 0 and 1, got " + testSplit);
    }
    if (data.isBlank()) {
      throw new UsageException("--data must name a file, a folder or one of " + DataSources.BUILT_IN);
    }
  }
}
