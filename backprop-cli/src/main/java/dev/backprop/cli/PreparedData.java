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
    return prepare(options, null, null, seed, () -> { });
  }

  /**
   * Reads the data of {@code options} for training on from the model {@code initial} (read from
   * {@code initPath}): the data must fit the model, whose normalisation is kept. {@code afterRead} runs once the
   * source is read, before the rest is prepared.
   */
  static PreparedData prepare(DataOptions options, Model initial, Path initPath, long seed, Runnable afterRead) {
    return prepare(options, initial, initPath, seed, DataSources::open, afterRead);
  }

  /** The same, with the sources (--data, --test-data) opened by {@code open}: Spark reads Parquet for --spark. */
  static PreparedData prepare(DataOptions options, Model initial, Path initPath, long seed,
      Function<String, DataSources.Source> open, Runnable afterRead) {
    options.validate();
    Task task = options.task == null ? null : parseTask(options.task);
    DataSources.Source source = open.apply(options.data);
    Timings.mark("file read");
    afterRead.run();
    Dataset all;
    Dataset test = null;
    String labelName;
    String split;
    TableSchema schema = null;
    List<String> notes = new ArrayList<>();
    if (source.table() != null) {
      CsvTable table = source.table();
      // the run keeps the source's name and fingerprint; the table itself goes once its rows are encoded
      source = new DataSources.Source(source.name(), source.format(), null, null, null, source.sha256());
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
      boolean classification = labels.task() == Task.CLASSIFICATION;
      Splits.Rows parts = options.testData != null ? null : Splits.rows(table.source(), labels.rows().length,
          classification ? labels.classIndex() : null, labels.classes().size(), options.testSplit, seed,
          Splits.SPLIT_STREAM);
      int[] fitRows = parts == null ? labels.rows() : select(labels.rows(), parts.train());
      if (initial != null && table.header().containsAll(initial.info().encoder().columns().stream()
          .filter(c -> c.kind() != ColumnKind.IGNORED).map(TableSchema.Column::name).toList())) {
        // training on from a model encodes as the model does; a table that lacks its columns gets a schema of its
        // own, which then fails the check that the data fits the model
        schema = initial.info().encoder();
      } else {
        schema = TableSchema.fit(table, labelName, fitRows, schemaOptions);
      }
      Timings.mark("schema fitted (labels and split first)");
      if (parts != null) {
        // each part encoded straight into its own matrix, which is then scaled in place
        List<Matrix> x = schema.encode(table, List.of(fitRows, select(labels.rows(), parts.heldOut())));
        Timings.mark("rows encoded");
        String name = table.source();
        table = null;  // no longer reachable from this frame while the parts are scaled
        Dataset train = TabularData.dataset(name, schema, x.get(0), labels, parts.train());
        test = TabularData.dataset(name, schema, x.get(1), labels, parts.heldOut());
        split = (classification ? "stratified " : "random ") + options.testSplit + " of the rows";
        return finish(options, initial, initPath, source, train, train, test, labelName, split, schema, notes, true);
      }
      all = TabularData.dataset(table, schema, labels);
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
    return finish(options, initial, initPath, source, all, train, test, labelName, split, schema, notes, false);
  }

  /** A table (CSV, or Parquet read by Spark), whose rows are kept after reading only as encoded matrices. */
  private static boolean tabular(DataSources.Source source) {
    return source.format() == DataSources.Format.CSV || source.format() == DataSources.Format.PARQUET;
  }

  /**
   * Fits the scaling on the training rows and scales both parts; {@code owned}: their feature matrices were made
   * for this run alone, and are scaled in place rather than copied.
   */
  private static PreparedData finish(DataOptions options, Model initial, Path initPath, DataSources.Source source,
      Dataset all, Dataset train, Dataset test, String labelName, String split, TableSchema schema,
      List<String> notes, boolean owned) {
    Normalization.Kind kind = options.normalize == null
        ? (tabular(source) ? Normalization.Kind.STANDARD : Normalization.Kind.NONE)
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
    if (owned && normalization.kind() != Normalization.Kind.NONE) {
      normalization.applyInPlace(train.features());
      normalization.applyInPlace(test.features());
    } else {
      train = normalization.apply(train);
      test = normalization.apply(test);
    }
    Timings.mark("features scaled");
    return new PreparedData(train, test, info, source, split, schema, notes);
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
