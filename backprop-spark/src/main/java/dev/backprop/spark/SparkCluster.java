package dev.backprop.spark;

import dev.backprop.data.Dataset;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Network;
import dev.backprop.train.ShardExecutor;
import dev.backprop.train.TrainingConfig;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

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

  private static boolean isParquet(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".parquet");
  }

  @Override
  public void close() {
    spark.stop();
  }
}
