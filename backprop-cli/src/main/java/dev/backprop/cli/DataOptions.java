package dev.backprop.cli;

import dev.backprop.data.DataSources;
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

  void validate() {
    if (!(testSplit > 0 && testSplit < 1)) {
      throw new UsageException("--test-split must be between 0 and 1, got " + testSplit);
    }
    if (data.isBlank()) {
      throw new UsageException("--data must name a file, a folder or one of " + DataSources.BUILT_IN);
    }
  }
}
