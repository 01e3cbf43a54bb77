package dev.backprop.spark;

import dev.backprop.data.Dataset;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Network;
import dev.backprop.train.ShardExecutor;
import dev.backprop.train.TrainingConfig;
import dev.backprop.InvalidInputException;
import dev.backprop.data.CsvTable;
import dev.backprop.data.DataSources;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * A connection to a Spark master for the command line, whose signatures name no Spark type: the command line
 * loads Spark's classes only when it is asked to use Spark.
 */
public final class SparkCluster implements ShardExecutor.Factory, AutoCloseable {
  private final SparkSession spark;
  private final SparkShards shards;

  private SparkCluster(SparkSession spark) {
    this.spark = spark;
    this.shards = new SparkShards(JavaSparkContext.fromSparkContext(spark.sparkContext()));
  }

  /** Connects to {@code master} ({@code local[k]} or {@code spark://host:port}). */
  public static SparkCluster connect(String master, String appName) {
    SparkSession.Builder b = SparkSession.builder().master(master).appName(appName).config("spark.ui.enabled", "false");
    if (master.startsWith("local")) {
      b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
    } else if (!SparkConfHolder.submitted()) {
      // Started without spark-submit: ship Backprop's own jars to the executors, with the Vector API module.
      b.config("spark.jars", jarOf(SparkCluster.class) + "," + jarOf(ShardExecutor.class))
          .config("spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector");
    }
    return new SparkCluster(b.getOrCreate());
  }

  /** The jar (or classes folder) a class was loaded from. */
  private static String jarOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException("cannot locate the jar of " + type.getName(), e);
    }
  }

  /** Whether spark-submit started this JVM (it sets spark.jars and the executors' options itself). */
  private static final class SparkConfHolder {
    static boolean submitted() {
      return System.getProperty("spark.submit.deployMode") != null;
    }
  }

  @Override
  public ShardExecutor open(TrainingConfig config, Loss loss, Network network, Dataset train) {
    return shards.open(config, loss, network, train);
  }

  /**
   * Scores {@code data} (CSV with a header, or Parquet when the name ends in {@code .parquet}) with the model in
   * {@code model}, writing its columns and the predictions to the directory {@code out} in the same way.
   */
  public void predict(Path model, String data, String out) {
    DataFrameReader reader = spark.read();
    org.apache.spark.sql.Dataset<Row> rows = isParquet(data) ? reader.parquet(data)
        : reader.option("header", "true").option("inferSchema", "true").csv(data);
    org.apache.spark.sql.Dataset<Row> scored = SparkScoring.score(rows, model);
    if (isParquet(out)) {
      scored.write().mode(SaveMode.ErrorIfExists).parquet(out);
    } else {
      scored.write().mode(SaveMode.ErrorIfExists).option("header", "true").csv(out);
    }
  }

  /**
   * Reads a Parquet file (or a folder of part files) with Spark into the table that a CSV file of the same rows
   * gives, so that the command line treats it as it treats CSV: a column name per header cell, and per cell the
   * value spelled so that the CSV reader gets it back exactly (a number as its shortest exact decimal, an integral
   * one without a fraction, text quoted where needed, booleans as {@code true}/{@code false}, null as an empty
   * cell). The rows are gathered on the driver in the file's order. Columns of other types (binary, dates, arrays,
   * maps, structs) are an input error naming the column.
   *
   * @throws InvalidInputException when the file cannot be read as Parquet or has a column of another type
   */
  public DataSources.Source readParquet(String file) {
    if (!file.contains("://") && !Files.exists(Path.of(file))) {
      throw new InvalidInputException(file, "", "file not found");
    }
    org.apache.spark.sql.Dataset<Row> rows;
    List<Row> collected;
    try {
      rows = spark.read().parquet(file);
      StructField[] fields = rows.schema().fields();
      for (int c = 0; c < fields.length; c++) {
        DataType type = fields[c].dataType();
        if (!(type instanceof NumericType || type == DataTypes.StringType || type == DataTypes.BooleanType)) {
          throw new InvalidInputException(file, "column " + (c + 1) + " (" + fields[c].name() + ")", "its type is "
              + type.simpleString() + "; training reads numbers and text (categories)");
        }
      }
      collected = rows.collectAsList();
    } catch (InvalidInputException e) {
      throw e;
    } catch (Exception e) {
      // Spark wraps a task's failure in several layers; the innermost says what (not Parquet, no such path, ...)
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String message = root.getMessage() == null ? root.getClass().getSimpleName()
          : root.getMessage().lines().findFirst().orElse("").strip();
      throw new InvalidInputException(file, "", "cannot read it as Parquet: " + message);
    }
    StringBuilder csv = new StringBuilder();
    String[] names = rows.schema().fieldNames();
    for (int c = 0; c < names.length; c++) {
      csv.append(c == 0 ? "" : ",").append(quote(names[c]));
    }
    csv.append('\n');
    for (Row r : collected) {
      for (int c = 0; c < names.length; c++) {
        csv.append(c == 0 ? "" : ",").append(cell(r.get(c)));
      }
      csv.append('\n');
    }
    CsvTable table = CsvTable.parse(file, new StringReader(csv.toString()));
    return new DataSources.Source(file, DataSources.Format.PARQUET, table, null, null, sha256(file));
  }

  /** A cell as CSV text that the CSV reader turns back into the same value. */
  static String cell(Object value) {
    return value instanceof String t ? quote(t) : text(value);
  }

  /**
   * A value as the text of a CSV cell that the reader turns back into it (before quoting): the one spelling of
   * numbers for training from Parquet and for scoring rows, so that a category coded as a number finds its level.
   */
  static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double || value instanceof Float) {
      double v = ((Number) value).doubleValue();
      if (v == Math.rint(v) && Math.abs(v) < 1e15) {
        return (v == 0 && 1 / v < 0 ? "-" : "") + Long.toString((long) v);
      }
      // a float widened exactly: the reader parses a double and rounds it to float32, which gives it back
      return Double.toString(v);
    }
    if (value instanceof java.math.BigDecimal d) {
      return d.toPlainString();
    }
    return value.toString();
  }

  /** Text as a CSV field: quoted when it has a comma, a quote, a line break or whitespace at either end. */
  private static String quote(String text) {
    boolean plain = !text.isEmpty() && text.strip().equals(text) && text.chars().noneMatch(ch -> ch == ',' || ch == '"'
        || ch == '\n' || ch == '\r');
    return plain ? text : '"' + text.replace("\"", "\"\"") + '"';
  }

  /** The SHA-256 of a local file, or of its part files in name order for a folder; null for a remote path. */
  private static String sha256(String file) {
    if (file.contains("://")) {
      return null;
    }
    Path path = Path.of(file);
    if (!Files.isDirectory(path)) {
      return DataSources.sha256(path);
    }
    try (java.util.stream.Stream<Path> parts = Files.list(path)) {
      StringBuilder all = new StringBuilder();
      for (Path p : parts.filter(p -> !p.getFileName().toString().startsWith(".")
          && !p.getFileName().toString().startsWith("_") && Files.isRegularFile(p)).sorted().toList()) {
        all.append(DataSources.sha256(p));
      }
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
          all.toString().getBytes(StandardCharsets.US_ASCII)));
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new InvalidInputException(file, "", "cannot list the folder: " + e.getMessage());
    }
  }

  /** Whether {@code name} ends in {@code .parquet}: a file that the command line reads with Spark. */
  public static boolean isParquet(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".parquet");
  }

  /** Stops the Spark session; a second call does nothing. */
  @Override
  public void close() {
    spark.stop();
  }
}
