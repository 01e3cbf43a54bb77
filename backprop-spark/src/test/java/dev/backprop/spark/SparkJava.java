package dev.backprop.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;

/** Spark 4.0 runs on Java 17 and 21: from Java 23, Hadoop's login (Subject.getSubject) throws in SparkContext. */
final class SparkJava {
  private SparkJava() {}

  static void assumeSupported() {
    Assumptions.assumeTrue(Runtime.version().feature() <= 21,
        "Spark 4.0 does not start on Java " + Runtime.version().feature() + " (only 17 and 21)");
  }

  /** A context on {@code master}, bound to loopback and without the web UI, as every test runs Spark. */
  static JavaSparkContext context(String master, String app) {
    return new JavaSparkContext(new SparkConf().setMaster(master).setAppName(app).set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1"));
  }

  /** The same as a session, for the DataFrame API. */
  static SparkSession session(String master, String app) {
    return SparkSession.builder().master(master).appName(app).config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
  }
}
