package dev.backprop.cli;

import dev.backprop.spark.SparkCluster;
import java.util.List;

/**
 * {@code --spark MASTER}: the connection to Spark, made only when asked for, so that a run without it never loads
 * Spark's classes (which the launcher puts on the class path only for such runs).
 */
final class SparkOption {
  private SparkOption() {}

  /** The loggers of Spark and the libraries it brings, which log warnings and failed tasks' stack traces. */
  private static final List<String> SPARK_LOGGERS = List.of("org.apache.spark", "org.apache.hadoop",
      "org.apache.parquet", "org.sparkproject", "io.netty");

  /**
   * Turns Spark's own logging off (before its loggers exist): the command line reports an error in one line, and
   * Spark's stack trace of the same failure would bury it. --verbose keeps it, and so does a level the user set
   * ({@code -Dorg.slf4j.simpleLogger.log.org.apache.spark=warn} in BACKPROP_JAVA_OPTS).
   */
  private static void quietSpark() {
    if ("info".equals(System.getProperty("org.slf4j.simpleLogger.defaultLogLevel"))) {
      return;
    }
    for (String name : SPARK_LOGGERS) {
      String key = "org.slf4j.simpleLogger.log." + name;
      if (System.getProperty(key) == null) {
        System.setProperty(key, "off");
      }
    }
  }

  /** Whether {@code name} ends in {@code .parquet}: a file read with Spark (--spark), never by Backprop's reader. */
  static boolean isParquet(String name) {
    return name.toLowerCase(java.util.Locale.ROOT).endsWith(".parquet");
  }

  /** Connects to {@code master}; a usage error when Spark's jars are not on the class path. */
  static SparkCluster connect(String master, String command) {
    if (master.isBlank()) {
      throw new UsageException("--spark needs a master: local[K] or spark://HOST:PORT");
    }
    quietSpark();
    try {
      return SparkCluster.connect(master, "backprop " + command);
    } catch (UnsupportedOperationException e) {
      // Hadoop's login inside Spark 4.0 calls Subject.getSubject, which throws from Java 23 on.
      throw new UsageException("--spark: Spark could not start on Java " + Runtime.version().feature()
          + " (Spark 4.0 runs on Java 17 and 21): " + e.getMessage());
    } catch (NoClassDefFoundError e) {
      throw new UsageException("--spark needs Apache Spark's jars on the class path; run through the backprop "
          + "launcher, which fetches them (missing: " + e.getMessage() + ")");
    }
  }
}
