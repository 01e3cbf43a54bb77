package dev.backprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.data.Dataset;
import dev.backprop.optim.OptimizerSettings;
import dev.backprop.train.TrainingConfig;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A task that fails after computing its sum (its worker's state already changed) and is retried by Spark gives the
 * same model as a run without failures: local[2,3] allows three attempts per task.
 */
class SparkRetryTest {
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    SparkJava.assumeSupported();
    sc = SparkJava.context("local[2,3]", "backprop-retry-test");
  }

  @AfterAll
  static void stop() {
    if (sc != null) {
      sc.stop();
    }
  }

  @AfterEach
  void noMoreFailures() {
    SparkShards.failFirstAttempt = null;
  }

  @Test
  void aRetriedTaskGivesTheSameBits() {
    Dataset data = SparkTrainingTest.data(90, 5);
    TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(17).seed(5)
        .optimizer(OptimizerSettings.adam(0.01)).shards(2).build();
    double[] clean = SparkTrainingTest.train(config, data, new SparkShards(sc));
    int before = SparkShards.INJECTED_FAILURES.get();
    // partition 1 fails once at step 4 (epoch 1), partition 0 once at step 9 (epoch 2)
    for (String fail : new String[] {"1:4", "0:9"}) {
      SparkShards.failFirstAttempt = fail;
      assertArrayEquals(clean, SparkTrainingTest.train(config, data, new SparkShards(sc)), fail);
    }
    assertEquals(before + 2, SparkShards.INJECTED_FAILURES.get(), "each injected failure happened once");
    assertArrayEquals(SparkTrainingTest.train(config, data, null), clean, "and local --shards 2 agrees");
  }
}
