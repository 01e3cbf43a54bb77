package dev.backprop.spark;

import dev.backprop.data.Task;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Network;
import dev.backprop.tensor.Matrix;
import dev.backprop.train.History;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Training on the rows of a DataFrame: which columns are the features and which the label, as an immutable value
 * ({@code with...} methods return a new one). The features are either named numeric columns or one column of
 * {@code array<float>} or {@code array<double>} (a Spark ML vector column becomes one with
 * {@code org.apache.spark.ml.functions.vector_to_array}); the label is text (classification, classes sorted as
 * the command line sorts them) or a number (regression, or classification with {@link #withTask}).
 *
 * <pre>{@code
 * History h = SparkTraining.onColumns("a", "b", "c", "d").withLabel("species")
 *     .fit(df, network, new CrossEntropyLoss(), TrainingConfig.builder().shards(8).build());
 * }</pre>
 *
 * <p>The rows, in the DataFrame's order, become the training {@link dev.backprop.data.Dataset} on the driver
 * (float32, no scaling: apply a {@link dev.backprop.data.Normalization} to it for that), and training runs as
 * {@link SparkShards} does: K = {@link TrainingConfig#shards()} partitions, the same bits as local training with
 * {@code --shards K} on the same rows in the same order. A missing column, a column of another type, a null or a
 * non-finite value is an {@link IllegalArgumentException} that names the column (and the row).
 */
public final class SparkTraining {
  /** The label column when none is named, as in Spark ML. */
  public static final String DEFAULT_LABEL = "label";

  private final List<String> featureColumns;
  private final String arrayColumn;
  private final String labelColumn;
  private final Task task;

  private SparkTraining(List<String> featureColumns, String arrayColumn, String labelColumn, Task task) {
    this.featureColumns = featureColumns;
    this.arrayColumn = arrayColumn;
    this.labelColumn = labelColumn;
    this.task = task;
  }

  /** Features from these numeric columns, in this order; each is a feature of that name. */
  public static SparkTraining onColumns(String... columns) {
    if (columns.length == 0) {
      throw new IllegalArgumentException("name at least one feature column");
    }
    List<String> names = List.of(columns);
    if (new LinkedHashSet<>(names).size() != names.size()) {
      throw new IllegalArgumentException("a feature column is named twice: " + names);
    }
    return new SparkTraining(names, null, DEFAULT_LABEL, null);
  }

  /**
   * Features from one column of {@code array<float>} or {@code array<double>}, the same length in every row; its
   * elements are the features {@code column[0]}, {@code column[1]}, ...
   */
  public static SparkTraining onArray(String column) {
    return new SparkTraining(null, Objects.requireNonNull(column, "column"), DEFAULT_LABEL, null);
  }

  /** The same, with the label in {@code column} (default {@value #DEFAULT_LABEL}). */
  public SparkTraining withLabel(String column) {
    return new SparkTraining(featureColumns, arrayColumn, Objects.requireNonNull(column, "column"), task);
  }

  /**
   * The same, with the task given: a numeric label for {@link Task#CLASSIFICATION} names its classes by its values
   * (integers without a fraction, sorted by value); by default a text label is classification, a number regression.
   */
  public SparkTraining withTask(Task task) {
    return new SparkTraining(featureColumns, arrayColumn, labelColumn, Objects.requireNonNull(task, "task"));
  }

  /** The label column. */
  public String labelColumn() {
    return labelColumn;
  }

  /**
   * Trains {@code network} in place on {@code rows} with {@code config}, one Spark partition per shard, on the
   * rows' own Spark session.
   */
  public History fit(Dataset<Row> rows, Network network, Loss loss, TrainingConfig config) {
    return fit(rows, new Trainer(config), network, loss);
  }

  /**
   * Trains with {@code trainer} (its configuration, listeners, checkpoints and state to resume from), which is set
   * to compute its shard sums on the rows' Spark session.
   */
  public History fit(Dataset<Row> rows, Trainer trainer, Network network, Loss loss) {
    dev.backprop.data.Dataset data = collect(rows);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
    return trainer.shardsOn(new SparkShards(sc)).fit(network, loss, data, null);
  }

  /**
   * The rows as Backprop's training data, in the DataFrame's order (as {@code collect()} returns them): the features
   * as float32, the label as class indexes (classification) or a target (regression).
   */
  public dev.backprop.data.Dataset collect(Dataset<Row> rows) {
    StructType schema = rows.schema();
    List<String> names = new ArrayList<>();
    List<String> selected = new ArrayList<>();
    if (arrayColumn != null) {
      DataType type = field(schema, arrayColumn, "feature").dataType();
      if (!(type instanceof ArrayType array) || !(array.elementType() == DataTypes.FloatType
          || array.elementType() == DataTypes.DoubleType)) {
        throw new IllegalArgumentException("the feature column '" + arrayColumn + "' is " + type.simpleString()
            + ", not array<float> or array<double>");
      }
      selected.add(arrayColumn);
    } else {
      for (String c : featureColumns) {
        DataType type = field(schema, c, "feature").dataType();
        if (!(type instanceof NumericType)) {
          throw new IllegalArgumentException("the feature column '" + c + "' is " + type.simpleString()
              + ", not a number");
        }
      }
      names.addAll(featureColumns);
      selected.addAll(featureColumns);
    }
    DataType labelType = field(schema, labelColumn, "label").dataType();
    Task kind = task != null ? task : labelType == DataTypes.StringType ? Task.CLASSIFICATION : Task.REGRESSION;
    if (!(labelType instanceof NumericType) && !(labelType == DataTypes.StringType && kind == Task.CLASSIFICATION)) {
      throw new IllegalArgumentException("the label column '" + labelColumn + "' is " + labelType.simpleString()
          + ", not " + (kind == Task.REGRESSION ? "a number" : "text or a number"));
    }
    if (featureColumns != null && featureColumns.contains(labelColumn)) {
      throw new IllegalArgumentException("the column '" + labelColumn + "' is both a feature and the label");
    }
    selected.add(labelColumn);
    List<Row> collected = rows.selectExpr(selected.stream().map(SparkTraining::quoted).toArray(String[]::new))
        .collectAsList();
    int n = collected.size();
    if (n == 0) {
      throw new IllegalArgumentException("the DataFrame has no rows");
    }
    int d = arrayColumn == null ? names.size() : arrayLength(collected.get(0));
    if (arrayColumn != null) {
      for (int j = 0; j < d; j++) {
        names.add(elementName(arrayColumn, j));
      }
    }
    float[] x = new float[Math.multiplyExact(n, d)];
    Object[] labels = new Object[n];
    int labelAt = selected.size() - 1;
    for (int i = 0; i < n; i++) {
      Row r = collected.get(i);
      if (arrayColumn != null) {
        List<Object> values = r.getList(0);
        if (values.size() != d) {
          throw new IllegalArgumentException("the feature column '" + arrayColumn + "' has " + values.size()
              + " elements in row " + i + ", " + d + " in row 0");
        }
        for (int j = 0; j < d; j++) {
          x[i * d + j] = feature(values.get(j), elementName(arrayColumn, j), i);
        }
      } else {
        for (int j = 0; j < d; j++) {
          x[i * d + j] = feature(r.get(j), featureColumns.get(j), i);
        }
      }
      labels[i] = r.get(labelAt);
      if (labels[i] == null) {
        throw new IllegalArgumentException("the label column '" + labelColumn + "' is null in row " + i);
      }
    }
    String source = "DataFrame";
    Matrix features = Matrix.wrap(n, d, x);
    if (kind == Task.REGRESSION) {
      float[] y = new float[n];
      for (int i = 0; i < n; i++) {
        y[i] = finite(((Number) labels[i]).doubleValue(), labelColumn, i);
      }
      return dev.backprop.data.Dataset.regression(source, names, features, Matrix.wrap(n, 1, y));
    }
    String[] texts = new String[n];
    for (int i = 0; i < n; i++) {
      texts[i] = labels[i] instanceof Number v ? spell(finite(v.doubleValue(), labelColumn, i)) : labels[i].toString();
    }
    List<String> classes = new ArrayList<>(new LinkedHashSet<>(Arrays.asList(texts)));
    // sorted as the command line sorts a CSV label: by value when every class is a number, else as text
    classes.sort(labelType instanceof NumericType
        ? Comparator.<String>comparingDouble(Double::parseDouble).thenComparing(Comparator.naturalOrder())
        : Comparator.<String>naturalOrder());
    if (classes.size() < 2) {
      throw new IllegalArgumentException("the label column '" + labelColumn + "' has only one class '"
          + classes.get(0) + "'; classification needs at least two");
    }
    Map<String, Integer> index = new HashMap<>();
    for (int c = 0; c < classes.size(); c++) {
      index.put(classes.get(c), c);
    }
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = index.get(texts[i]);
    }
    return dev.backprop.data.Dataset.classification(source, names, features, classes, y);
  }

  private static StructField field(StructType schema, String column, String role) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(column)) {
        return f;
      }
    }
    throw new IllegalArgumentException("the DataFrame has no " + role + " column '" + column + "'; its columns are "
        + String.join(", ", schema.fieldNames()));
  }

  /** A column name for selectExpr, taken literally whatever characters it has. */
  private static String quoted(String column) {
    return "`" + column.replace("`", "``") + "`";
  }

  private int arrayLength(Row first) {
    if (first.isNullAt(0)) {
      throw new IllegalArgumentException("the feature column '" + arrayColumn + "' is null in row 0");
    }
    int d = first.getList(0).size();
    if (d == 0) {
      throw new IllegalArgumentException("the feature column '" + arrayColumn + "' has no elements in row 0");
    }
    return d;
  }

  private float feature(Object value, String column, int row) {
    if (value == null) {
      throw new IllegalArgumentException("the feature column '" + column + "' is null in row " + row);
    }
    return finite(((Number) value).doubleValue(), column, row);
  }

  private static float finite(double v, String column, int row) {
    float f = (float) v;
    if (!Float.isFinite(f)) {
      throw new IllegalArgumentException("the column '" + column + "' has " + v + " in row " + row
          + (Double.isFinite(v) ? ", beyond float32" : "") + "; training needs finite numbers");
    }
    return f;
  }

  /** A numeric class name: an integer without a fraction, as a CSV label is read. */
  private static String spell(float v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15f ? Long.toString((long) v) : Float.toString(v);
  }

  /** The feature name of element {@code j} of the array column {@code column}: {@code column[j]}. */
  static String elementName(String column, int j) {
    return column + "[" + j + "]";
  }
}
