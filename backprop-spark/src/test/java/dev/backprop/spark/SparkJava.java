package dev.backprop.spark;

import org.junit.jupiter.api.Assumptions;

/** Spark 4.0 runs on Java 17 and 21: from Java 23, Hadoop's login (Subject.getSubject) throws in SparkContext. */
final class SparkJava {
  private SparkJava() {}

  static void assumeSupported() {
    Assumptions.assumeTrue(Runtime.version().feature() <= 21,
        "Spark 4.0 does not start on Java " + Runtime.version().feature() + " (only 17 and 21)");
  }
}
