package dev.backprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import dev.backprop.data.Dataset;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activations;
import dev.backprop.optim.OptimizerSettings;
import dev.backprop.tensor.Matrix;
import dev.backprop.train.EpochResult;
import dev.backprop.train.History;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import dev.backprop.train.TrainingListener;
import dev.backprop.train.TrainingState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Training on Spark local[2] gives the bits of local sharded training with the same K. */
class SparkTrainingTest {
  private static final long SEED = 77;
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    SparkJava.assumeSupported();
    sc = SparkJava.context("local[2]", "backprop-test");
  }

  @AfterAll
  static void stop() {
    if (sc != null) {
      sc.stop();
    }
  }

  @Test
  void twoPartitionsEqualTwoLocalShardsForSgdAndAdamWithDropout() {
    Dataset data = data(90, SEED);
    for (OptimizerSettings optimizer : List.of(OptimizerSettings.sgd(0.1), OptimizerSettings.adam(0.01))) {
      TrainingConfig config = config(2, optimizer);
      double[] local = train(config, data, null);
      double[] spark = train(config, data, new SparkShards(sc));
      assertArrayEquals(local, spark, optimizer.kind().id());
      assertNotEquals(Arrays.toString(local), Arrays.toString(train(config.withShards(1), data, null)));
    }
  }

  @Test
  void oneShardOnSparkIsUnshardedTraining() {
    Dataset data = data(90, SEED);
    TrainingConfig config = config(1, OptimizerSettings.adam(0.01));
    assertArrayEquals(train(config, data, null), train(config, data, new SparkShards(sc)));
  }

  /** Uneven shards (45 and 46 rows), an odd batch split 9 + 8, a short last step. */
  private static TrainingConfig config(int shards, OptimizerSettings optimizer) {
    return TrainingConfig.builder().epochs(2).batchSize(17).seed(SEED).optimizer(optimizer).shards(shards).build();
  }

  @Test
  void aStoppedSparkRunResumesToTheBitsOfAnUninterruptedOne() {
    Dataset data = data(90, SEED);
    TrainingConfig config = config(2, OptimizerSettings.adam(0.01)).withEpochs(3);
    double[] local = train(config, data, null);
    double[] whole = train(config, data, new SparkShards(sc));
    assertArrayEquals(local, whole);
    // stopped in the middle of epoch 2 (after its batch 3 of 6), and at the end of epoch 1
    for (int[] at : new int[][] {{2, 3}, {1, 6}}) {
      List<TrainingState> saved = new ArrayList<>();
      Trainer first = new Trainer(config).shardsOn(new SparkShards(sc)).checkpoints(saved::add,
          Trainer.ONLY_WHEN_STOPPED);
      first.addListener(new TrainingListener() {
        @Override
        public void onBatchEnd(int epoch, int batch, int batchesPerEpoch, double loss) {
          if (epoch == at[0] && batch == at[1]) {
            first.requestStop();
          }
        }
      });
      Network stopped = network();
      History cut = first.fit(stopped, new CrossEntropyLoss(), data, null);
      assertTrue(cut.interrupted(), Arrays.toString(at));
      assertEquals(1, saved.size());
      assertEquals(at[0] - (at[1] == 6 ? 0 : 1), saved.get(0).epoch(), "epochs complete at the stop");
      Network resumed = network();
      Trainer second = new Trainer(config).shardsOn(new SparkShards(sc)).resumeFrom(saved.get(0));
      double[] result = result(resumed, second.fit(resumed, new CrossEntropyLoss(), data, null));
      assertArrayEquals(whole, result, "stopped at epoch " + at[0] + ", batch " + at[1]);
      // the checkpoint of a Spark run resumes locally too: it holds only what the driver holds
      Network here = network();
      double[] locally = result(here, new Trainer(config).resumeFrom(saved.get(0)).fit(here, new CrossEntropyLoss(),
          data, null));
      assertArrayEquals(whole, locally, "resumed locally");
    }
  }

  private static Network network() {
    return Network.builder(4).dense(8, Activations.tanh()).dropout(0.25).dense(3, Activations.softmax())
        .seed(SEED).build();
  }

  /** The final weights and every epoch's training loss and accuracy. */
  static double[] train(TrainingConfig config, Dataset data, SparkShards spark) {
    Network net = network();
    Trainer trainer = new Trainer(config);
    if (spark != null) {
      trainer.shardsOn(spark);
    }
    return result(net, trainer.fit(net, new CrossEntropyLoss(), data, null));
  }

  private static double[] result(Network net, History history) {
    double[] w = NetworkShape.weights(net);
    double[] all = Arrays.copyOf(w, w.length + 2 * history.epochs().size());
    int at = w.length;
    for (EpochResult e : history.epochs()) {
      all[at++] = e.trainLoss();
      all[at++] = e.trainAccuracy();
    }
    return all;
  }

  static Dataset data(int rows, long seed) {
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    Matrix x = Matrix.zeros(rows, 4);
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = random.nextInt(3);
      for (int j = 0; j < 4; j++) {
        x.set(i, j, random.nextGaussian() + (j == labels[i] ? 2 : 0));
      }
    }
    return Dataset.classification("random", List.of("a", "b", "c", "d"), x, List.of("x", "y", "z"), labels);
  }
}
