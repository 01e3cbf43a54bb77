package dev.backprop.cli;

import dev.backprop.InvalidInputException;
import dev.backprop.data.CsvTable;
import dev.backprop.data.DataSources;
import dev.backprop.data.Dataset;
import dev.backprop.data.Normalization;
import dev.backprop.data.Splits;
import dev.backprop.data.Task;
import dev.backprop.io.ModelInfo;
import dev.backprop.io.Model;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Training and test data as a command uses them: read, split, and scaled with the normalisation fitted on
 * the training rows.
 *
 * @param train the scaled training rows
 * @param test the scaled held-out rows (never null: a split, the source's own test part, or --test-data)
 * @param info the model information the data fixes (task, features, label, classes, normalisation); its
 *     provenance is empty
 * @param source the training source as read, for provenance
 * @param split how the test rows were chosen, for provenance
 */
record PreparedData(Dataset train, Dataset test, ModelInfo info, DataSources.Source source, String split) {

  /** Reads the data of {@code options} and fits the normalisation on its training rows. */
  static PreparedData prepare(DataOptions options, long seed) {
    return prepare(options, null, null, seed);
  }

  /**
   * Reads the data of {@code options} for training on from the model {@code initial} (read from
   * {@code initPath}): the data must fit the model, whose normalisation is kept.
   */
  static PreparedData prepare(DataOptions options, Model initial, Path initPath, long seed) {
    options.validate();
    Task task = options.task == null ? null : parseTask(options.task);
    DataSources.Source source = DataSources.open(options.data);
    Dataset all;
    Dataset test = null;
    String labelName;
    String split;
    if (source.format() == DataSources.Format.CSV) {
      String[] label = new String[1];
      all = csvDataset(source.table(), options.label, task, label);
      labelName = label[0];
      // The table is not needed any more: without it, a large file's floats are not held twice while splitting.
      source = new DataSources.Source(source.name(), source.format(), null, null, null, source.sha256());
    } else {
      if (task == Task.REGRESSION) {
        throw new UsageException("--task regression does not fit IDX images, whose labels are classes");
      }
      if (options.label != null) {
        throw new UsageException("--label is for CSV files; IDX files have their labels in their own file");
      }
      all = source.train();
      test = source.test();
      labelName = "label";
    }
    Task allTask = all.task();
    List<String> allFeatures = all.featureNames();
    List<String> allClasses = all.classes();
    Dataset train = all;
    if (options.testData != null) {
      test = readTestData(options.testData, all, labelName);
      split = "--test-data " + options.testData;
    } else if (test == null) {
      Splits.Split parts = Splits.split(all, options.testSplit, seed);
      all = null; // the split copied its rows; let the whole go before scaling copies them again
      train = parts.train();
      test = parts.heldOut();
      split = (allTask == Task.CLASSIFICATION ? "stratified " : "random ") + options.testSplit + " of the rows";
    } else {
      split = "the source's own test set";
    }
    Normalization.Kind kind = options.normalize == null
        ? (source.format() == DataSources.Format.CSV ? Normalization.Kind.STANDARD : Normalization.Kind.NONE)
        : parseNormalization(options.normalize);
    Normalization normalization;
    if (initial != null) {
      requireFit(initial.info(), initPath, allTask, allFeatures, allClasses, options.data);
      normalization = initial.info().normalization();
    } else {
      normalization = kind == Normalization.Kind.NONE ? Normalization.none(train.featureCount())
          : Normalization.fit(kind, train.features());
    }
    ModelInfo info = new ModelInfo(allTask, allFeatures, labelName, allClasses, normalization, Map.of());
    return new PreparedData(normalization.apply(train), normalization.apply(test), info, source, split);
  }

  /** Throws an input error naming the model file when the data's features, task or classes differ. */
  private static void requireFit(ModelInfo model, Path modelPath, Task task, List<String> featureNames,
      List<String> classes, String dataName) {
    if (model.task() == task && model.featureNames().equals(featureNames) && model.classes().equals(classes)) {
      return;
    }
    throw new InvalidInputException(modelPath.toString(), "", "the model does not fit the data " + dataName
        + ": the model takes " + model.featureNames().size() + " features " + abbreviate(model.featureNames())
        + " for " + model.task().id() + describeClasses(model.classes()) + ", the data has "
        + featureNames.size() + " features " + abbreviate(featureNames) + " for "
        + task.id() + describeClasses(classes));
  }

  /** The table's dataset; {@code labelName[0]} receives the label column's name. */
  private static Dataset csvDataset(CsvTable table, String label, Task task, String[] labelName) {
    Dataset all = table.toDataset(label, task);
    labelName[0] = label == null ? table.header().get(table.header().size() - 1)
        : table.header().get(table.columnIndex(label));
    return all;
  }

  private static String describeClasses(List<String> classes) {
    return classes.isEmpty() ? "" : " of classes " + abbreviate(classes);
  }

  private static String abbreviate(List<String> names) {
    return names.size() <= 6 ? names.toString()
        : "[" + String.join(", ", names.subList(0, 3)) + ", ..., " + names.get(names.size() - 1) + "]";
  }

  /** Held-out data read to fit the training data's features, label and classes. */
  private static Dataset readTestData(String spec, Dataset train, String labelName) {
    DataSources.Source source = DataSources.open(spec);
    Dataset test;
    if (source.format() == DataSources.Format.CSV) {
      test = source.table().toDataset(train.featureNames(), labelName, train.task(), train.classes());
    } else {
      test = source.test() != null ? source.test() : source.train();
    }
    if (test.featureCount() != train.featureCount() || !test.classes().equals(train.classes())) {
      throw new InvalidInputException(spec, "", "has " + test.featureCount() + " features and classes "
          + test.classes() + ", the training data " + train.featureCount() + " and " + train.classes());
    }
    return test;
  }

  static Task parseTask(String value) {
    try {
      return Task.parse(value);
    } catch (IllegalArgumentException e) {
      throw Flags.usageError("--task", e);
    }
  }

  static Normalization.Kind parseNormalization(String value) {
    try {
      return Normalization.Kind.parse(value);
    } catch (IllegalArgumentException e) {
      throw Flags.usageError("--normalize", e);
    }
  }
}
