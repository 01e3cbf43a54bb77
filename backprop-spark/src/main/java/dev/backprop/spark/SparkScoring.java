package dev.backprop.spark;

import dev.backprop.data.ColumnKind;
import dev.backprop.data.TableSchema;
import dev.backprop.data.Task;
import dev.backprop.io.Model;
import dev.backprop.io.ModelFile;
import dev.backprop.tensor.Matrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Batch scoring: a trained model applied to every row of a DataFrame, partition by partition, with the model file
 * broadcast once and loaded once per executor JVM. A model trained on a table (with its schema: categorical columns,
 * gaps) reads the table's raw columns by name, as {@link Model#predictRows} does: text, numbers and booleans, a null
 * being a missing value and an unseen category no error. Any other model reads the columns named by its
 * {@code featureNames} (any numeric type), as {@link Model#predict} reads them (float32, before scaling), or, for a
 * model trained on one array column ({@link SparkTraining#onArray}: features {@code v[0]}, {@code v[1]}...), that
 * column when the data has it. The
 * result has the input's columns and then, for a classifier, {@code prediction} (the most probable class) and
 * {@code probability_<class>} for each class; for a regression, {@code prediction} (or {@code prediction_<i>} for
 * several targets). A row with a null feature is an error naming the column.
 */
public final class SparkScoring {
  /** Rows per call of {@link Model#predict} inside a partition. */
  static final int CHUNK = 1024;
  /** Models loaded in this JVM, by the id of the scoring call that broadcast them. */
  private static final Map<String, Model> LOADED = new ConcurrentHashMap<>();

  private SparkScoring() {}

  /** Scores {@code rows} with the model saved in {@code modelFile} (read on the driver). */
  public static Dataset<Row> score(Dataset<Row> rows, Path modelFile) {
    Model model = ModelFile.load(modelFile);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(modelFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + modelFile + ": " + e.getMessage(), e);
    }
    SparkSession spark = rows.sparkSession();
    TableSchema table = model.info().schema();
    List<String> names = table == null ? model.info().featureNames() : table.columns().stream()
        .filter(c -> c.kind() != ColumnKind.IGNORED).map(TableSchema.Column::name).toList();
    int[] columns = new int[names.size()];
    List<String> present = List.of(rows.columns());
    List<String> missing = new ArrayList<>();
    for (int j = 0; j < columns.length; j++) {
      columns[j] = present.indexOf(names.get(j));
      if (columns[j] < 0) {
        missing.add(names.get(j));
      }
    }
    // a model trained on one array column (SparkTraining.onArray) names its features v[0], v[1]...: read that column
    int arrayColumn = table == null && !missing.isEmpty() ? arrayColumn(names, rows.schema()) : -1;
    if (arrayColumn >= 0) {
      missing.clear();
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("the data has no column " + String.join(", ", missing.stream()
          .map(n -> "'" + n + "'").toList()) + (missing.size() == 1 ? ", a column" : ", columns") + " the model reads");
    }
    StructType schema = rows.schema();
    List<String> outputs = outputNames(model);
    boolean classifier = model.info().task() == Task.CLASSIFICATION;
    if (classifier) {
      schema = schema.add(new StructField("prediction", DataTypes.StringType, false, org.apache.spark.sql.types.Metadata.empty()));
    }
    for (String o : outputs) {
      schema = schema.add(o, DataTypes.DoubleType, false);
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<byte[]> file = sc.broadcast(bytes);
    String id = UUID.randomUUID().toString();
    String[] classes = model.info().classes().toArray(new String[0]);
    // what the tasks capture must serialise: the names, not the schema
    List<String> header = table == null ? null : new ArrayList<>(names);
    JavaRDD<Row> scored = rows.javaRDD().mapPartitions((Iterator<Row> it) ->
        new Scorer(loaded(id, file), header, columns, arrayColumn, classifier, classes, it), true);
    return spark.createDataFrame(scored, schema);
  }

  /**
   * The index of the array column whose elements are the model's features when they are named {@code v[0]},
   * {@code v[1]}... in order and the data has an array column {@code v} of numbers; else -1.
   */
  static int arrayColumn(List<String> names, StructType schema) {
    String first = SparkTraining.elementName("", 0);
    if (names.isEmpty() || !names.get(0).endsWith(first)) {
      return -1;
    }
    String base = names.get(0).substring(0, names.get(0).length() - first.length());
    for (int j = 0; j < names.size(); j++) {
      if (!names.get(j).equals(SparkTraining.elementName(base, j))) {
        return -1;
      }
    }
    List<String> fields = List.of(schema.fieldNames());
    int at = fields.indexOf(base);
    if (at < 0 || !(schema.fields()[at].dataType() instanceof ArrayType array)
        || !(array.elementType() instanceof NumericType)) {
      return -1;
    }
    return at;
  }

  private static List<String> outputNames(Model model) {
    List<String> names = new ArrayList<>();
    if (model.info().task() == Task.CLASSIFICATION) {
      for (String c : model.info().classes()) {
        names.add("probability_" + c);
      }
    } else if (model.network().outputSize() == 1) {
      names.add("prediction");
    } else {
      for (int i = 0; i < model.network().outputSize(); i++) {
        names.add("prediction_" + i);
      }
    }
    return names;
  }

  private static Model loaded(String id, Broadcast<byte[]> file) {
    return LOADED.computeIfAbsent(id, key -> {
      LOADED.clear();
      try {
        Path tmp = Files.createTempFile("backprop-model", ".safetensors");
        try {
          Files.write(tmp, file.value());
          return ModelFile.load(tmp);
        } finally {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the broadcast model to a temporary file: " + e.getMessage(), e);
      }
    });
  }

  /** The scored rows of one partition, computed a chunk at a time. */
  private static final class Scorer implements Iterator<Row> {
    private final Model model;
    /** The raw columns' names for a model with a table schema, else null (numeric features). */
    private final List<String> header;
    private final int[] columns;
    /** The array column holding every feature, or -1 when they are columns of their own. */
    private final int arrayColumn;
    private final boolean classifier;
    private final String[] classes;
    private final Iterator<Row> input;
    private final List<Row> chunk = new ArrayList<>();
    private Matrix out;
    private int next;

    Scorer(Model model, List<String> header, int[] columns, int arrayColumn, boolean classifier, String[] classes,
        Iterator<Row> input) {
      this.model = model;
      this.header = header;
      this.columns = columns;
      this.arrayColumn = arrayColumn;
      this.classifier = classifier;
      this.classes = classes;
      this.input = input;
    }

    @Override
    public boolean hasNext() {
      if (next < chunk.size()) {
        return true;
      }
      chunk.clear();
      next = 0;
      while (chunk.size() < CHUNK && input.hasNext()) {
        chunk.add(input.next());
      }
      if (chunk.isEmpty()) {
        return false;
      }
      if (header != null) {
        List<String[]> cells = new ArrayList<>(chunk.size());
        for (Row r : chunk) {
          String[] row = new String[columns.length];
          for (int j = 0; j < columns.length; j++) {
            row[j] = SparkCluster.text(r.get(columns[j]));
          }
          cells.add(row);
        }
        out = model.predictRows(header, cells);
        return true;
      }
      Matrix x = Matrix.zeros(chunk.size(), columns.length);
      for (int i = 0; i < chunk.size(); i++) {
        Row r = chunk.get(i);
        if (arrayColumn >= 0) {
          readArray(r, x, i);
          continue;
        }
        for (int j = 0; j < columns.length; j++) {
          if (r.isNullAt(columns[j])) {
            throw new IllegalArgumentException("a row has no value in column '" + r.schema().fieldNames()[columns[j]]
                + "'");
          }
          x.set(i, j, ((Number) r.get(columns[j])).doubleValue());
        }
      }
      out = model.predict(x);
      return true;
    }

    /** Row {@code i} of {@code x} from the array column, which must hold one number per feature. */
    private void readArray(Row r, Matrix x, int i) {
      String name = r.schema().fieldNames()[arrayColumn];
      if (r.isNullAt(arrayColumn)) {
        throw new IllegalArgumentException("a row has no value in column '" + name + "'");
      }
      List<Object> values = r.getList(arrayColumn);
      if (values.size() != columns.length) {
        throw new IllegalArgumentException("column '" + name + "' has " + values.size() + " values in a row; the model "
            + "reads " + columns.length);
      }
      for (int j = 0; j < columns.length; j++) {
        Object v = values.get(j);
        if (v == null) {
          throw new IllegalArgumentException("a row has no value in column '" + SparkTraining.elementName(name, j)
              + "'");
        }
        x.set(i, j, ((Number) v).doubleValue());
      }
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      Row r = chunk.get(next);
      int k = out.cols();
      Object[] values = new Object[r.length() + k + (classifier ? 1 : 0)];
      for (int c = 0; c < r.length(); c++) {
        values[c] = r.get(c);
      }
      int at = r.length();
      if (classifier) {
        int best = 0;
        for (int c = 1; c < k; c++) {
          if (out.get(next, c) > out.get(next, best)) {
            best = c;
          }
        }
        values[at++] = classes[best];
      }
      for (int c = 0; c < k; c++) {
        values[at + c] = out.get(next, c);
      }
      next++;
      return RowFactory.create(values);
    }
  }
}
