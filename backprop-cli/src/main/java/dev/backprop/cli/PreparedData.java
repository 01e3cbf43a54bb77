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
import dev.backprop.data.ColumnKind;
import dev.backprop.data.SchemaOptions;
import dev.backprop.data.TableSchema;
import dev.backprop.data.TabularData;
import dev.backprop.tensor.Matrix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
 * @param schema the table schema fitted on the training rows (null for IDX data)
 * @param notes lines to print once in the run's header: what was left out or inferred
 */
record PreparedData(Dataset train, Dataset test, ModelInfo info, DataSources.Source source, String split,
    TableSchema schema, List<String> notes) {

  /** Reads the data of {@code options} and fits the normalisation on its training rows. */
  static PreparedData prepare(DataOptions options, long seed) {
    return prepare(options, null, null, seed);
  }

  /**
   * Reads the data of {@code options} for training on from the model {@code initial} (read from
   * {@code initPath}): the data must fit the model, whose normalisation is kept.
   */
  static PreparedData prepare(DataOptions options, Model initial, Path initPath, long seed) {
    return prepare(options, initial, initPath, seed, DataSources::open);
  }

  /** The same, with the sources (--data, --test-data) opened by {@code open}: Spark reads Parquet for --spark. */
  static PreparedData prepare(DataOptions options, Model initial, Path initPath, long seed,
      Function<String, DataSources.Source> open) {
    options.validate();
    Task task = options.task == null ? null : parseTask(options.task);
    DataSources.Source source = open.apply(options.data);
    Dataset all;
    Dataset test = null;
    String labelName;
    String split;
    TableSchema schema = null;
    List<String> notes = new ArrayList<>();
    if (source.table() != null) {
      CsvTable table = source.table();
      int label = options.label == null ? table.header().size() - 1 : table.columnIndex(options.label);
      labelName = table.header().get(label);
      if (table.header().size() < 2) {
        throw new InvalidInputException(table.source(), "", "the only column is the label '" + labelName
            + "'; a dataset needs at least one feature column");
      }
      SchemaOptions schemaOptions = options.schemaOptions();
      TabularData.Labels labels = TabularData.forTraining(table, label, task, new HashSet<>(schemaOptions.naValues()));
      if (labels.missing() > 0) {
        notes.add(labels.missing() + (labels.missing() == 1 ? " row has" : " rows have")
            + " no label and " + (labels.missing() == 1 ? "is" : "are") + " left out");
      }
      // the split depends only on the labels, so it is drawn before the schema is fitted on the training rows
      Dataset positions = positions(table.source(), labels);
      int[] trainPositions = null;
      int[] testPositions = null;
      if (options.testData == null) {
        Splits.Split parts = Splits.split(positions, options.testSplit, seed);
        trainPositions = rowsOf(parts.train());
        testPositions = rowsOf(parts.heldOut());
      }
      int[] fitRows = trainPositions == null ? labels.rows() : select(labels.rows(), trainPositions);
      if (initial != null && table.header().containsAll(initial.info().encoder().columns().stream()
          .filter(c -> c.kind() != ColumnKind.IGNORED).map(TableSchema.Column::name).toList())) {
        // training on from a model encodes as the model does; a table that lacks its columns gets a schema of its
        // own, which then fails the check that the data fits the model
        schema = initial.info().encoder();
      } else {
        schema = TableSchema.fit(table, labelName, fitRows, schemaOptions);
      }
      TableSchema.Encoded encoded = schema.encode(table);
      all = TabularData.dataset(table.source(), schema, encoded.features(), labels);
      if (trainPositions != null) {
        Dataset train = all.subset(trainPositions);
        test = all.subset(testPositions);
        split = (all.task() == Task.CLASSIFICATION ? "stratified " : "random ") + options.testSplit + " of the rows";
        return finish(options, initial, initPath, source, all, train, test, labelName, split, schema, notes);
      }
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
    Dataset train = all;
    if (options.testData != null) {
      test = readTestData(open.apply(options.testData), options.testData, all, labelName, schema);
      split = "--test-data " + options.testData;
    } else if (test == null) {
      Splits.Split parts = Splits.split(all, options.testSplit, seed);
      train = parts.train();
      test = parts.heldOut();
      split = (all.task() == Task.CLASSIFICATION ? "stratified " : "random ") + options.testSplit + " of the rows";
    } else {
      split = "the source's own test set";
    }
    return finish(options, initial, initPath, source, all, train, test, labelName, split, schema, notes);
  }

  private static PreparedData finish(DataOptions options, Model initial, Path initPath, DataSources.Source source,
      Dataset all, Dataset train, Dataset test, String labelName, String split, TableSchema schema,
      List<String> notes) {
    Normalization.Kind kind = options.normalize == null
        ? (source.table() != null ? Normalization.Kind.STANDARD : Normalization.Kind.NONE)
        : parseNormalization(options.normalize);
    Normalization normalization;
    if (initial != null) {
      requireFit(initial.info(), initPath, all, options.data);
      normalization = initial.info().normalization();
    } else {
      normalization = kind == Normalization.Kind.NONE ? Normalization.none(train.featureCount())
          : numericOnly(Normalization.fit(kind, train.features()), schema);
    }
    ModelInfo info = new ModelInfo(all.task(), all.featureNames(), labelName, all.classes(), normalization, Map.of(),
        initial != null ? initial.info().schema() : schema);
    return new PreparedData(normalization.apply(train), normalization.apply(test), info, source, split, schema,
        notes);
  }

  /**
   * The scaling with the one-hot, boolean and missing-indicator inputs left as 0 and 1: only a numeric column's
   * own input is scaled, as scikit-learn's pipelines and H2O do.
   */
  private static Normalization numericOnly(Normalization fitted, TableSchema schema) {
    if (schema == null) {
      return fitted;
    }
    double[] offset = fitted.offset();
    double[] scale = fitted.scale();
    int j = 0;
    boolean changed = false;
    for (TableSchema.Column c : schema.columns()) {
      int inputs = c.inputs().size();
      for (int k = c.kind() == ColumnKind.NUMERIC ? 1 : 0; k < inputs; k++) {
        offset[j + k] = 0;
        scale[j + k] = 1;
        changed = true;
      }
      j += inputs;
    }
    return changed ? new Normalization(fitted.kind(), offset, scale) : fitted;
  }

  /** A dataset of the labelled rows whose one feature is the row's position, to draw the split from. */
  private static Dataset positions(String source, TabularData.Labels labels) {
    int n = labels.rows().length;
    float[] p = new float[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    Matrix x = Matrix.wrap(n, 1, p);
    return labels.task() == Task.CLASSIFICATION
        ? Dataset.classification(source, List.of("position"), x, labels.classes(), labels.classIndex())
        : Dataset.regression(source, List.of("position"), x, Matrix.wrap(n, 1, labels.targets().clone()));
  }

  private static int[] rowsOf(Dataset positions) {
    int[] rows = new int[positions.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = (int) positions.features().get(i, 0);
    }
    return rows;
  }

  private static int[] select(int[] values, int[] positions) {
    int[] out = new int[positions.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = values[positions[i]];
    }
    return out;
  }

  /** Throws an input error naming the model file when the data's features, task or classes differ. */
  private static void requireFit(ModelInfo model, Path modelPath, Dataset data, String dataName) {
    if (model.task() == data.task() && model.featureNames().equals(data.featureNames())
        && model.classes().equals(data.classes())) {
      return;
    }
    throw new InvalidInputException(modelPath.toString(), "", "the model does not fit the data " + dataName
        + ": the model takes " + model.featureNames().size() + " features " + abbreviate(model.featureNames())
        + " for " + model.task().id() + describeClasses(model.classes()) + ", the data has "
        + data.featureNames().size() + " features " + abbreviate(data.featureNames()) + " for "
        + data.task().id() + describeClasses(data.classes()));
  }

  private static String describeClasses(List<String> classes) {
    return classes.isEmpty() ? "" : " of classes " + abbreviate(classes);
  }

  private static String abbreviate(List<String> names) {
    return names.size() <= 6 ? names.toString()
        : "[" + String.join(", ", names.subList(0, 3)) + ", ..., " + names.get(names.size() - 1) + "]";
  }

  /** Held-out data read to fit the training data's features, label and classes. */
  private static Dataset readTestData(DataSources.Source source, String spec, Dataset train, String labelName,
      TableSchema schema) {
    Dataset test;
    if (source.table() != null && schema != null) {
      CsvTable table = source.table();
      TabularData.Labels labels = TabularData.forModel(table, labelName, train.task(), train.classes(),
          new HashSet<>(schema.naValues()));
      test = TabularData.dataset(table, schema, labels);
    } else if (source.table() != null) {
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
