package dev.backprop.cli;

import dev.backprop.spark.SparkCluster;

/**
 * {@code --spark MASTER}: the connection to Spark, made only when asked for, so that a run without it never loads
 * Spark's classes (which the launcher puts on the class path only for such runs).
 */
final class SparkOption {
  private SparkOption() {}

  /** Connects to {@code master}; a usage error when Spark's jars are not on the class path. */
  static SparkCluster connect(String master, String command) {
    if (master.isBlank()) {
      throw new UsageException("--spark needs a master: local[K] or spark://HOST:PORT");
    }
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
