package dev.backprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Compute;
import dev.backprop.SeededRandom;
import dev.backprop.TestData;
import dev.backprop.data.Dataset;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.loss.SquaredErrorLoss;
import dev.backprop.nn.Network;
import dev.backprop.nn.Pass;
import dev.backprop.nn.Parameter;
import dev.backprop.nn.activation.Activations;
import dev.backprop.optim.OptimizerSettings;
import dev.backprop.optim.Sgd;
import dev.backprop.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The training loop: determinism, batching, history, listeners and divergence. */
class TrainerTest {
  private static final List<String> CLASSES = List.of("left", "right", "up");

  // ---------------------------------------------------------------- determinism

  @Test
  void sameSeedAndConfigGiveBitIdenticalWeights() {
    Dataset data = blobs(60, 101);
    TrainingConfig config = TrainingConfig.builder().epochs(3).batchSize(8).seed(5)
        .optimizer(OptimizerSettings.adam(0.01)).build();
    Network a = classifier(7);
    Network b = classifier(7);
    new Trainer(config).fit(a, new CrossEntropyLoss(), data, null);
    new Trainer(config).fit(b, new CrossEntropyLoss(), data, null);
    assertSameParameters(a, b);
    assertNotEquals(classifier(7).parameters().get(0).value(), a.parameters().get(0).value(),
        "training changed the weights");
  }

  @Test
  void differentShuffleSeedsGiveDifferentWeights() {
    Dataset data = blobs(60, 102);
    TrainingConfig config = TrainingConfig.builder().epochs(3).batchSize(8).seed(5)
        .optimizer(OptimizerSettings.sgd(0.1)).build();
    Network a = classifier(7);
    Network b = classifier(7);
    new Trainer(config).fit(a, new CrossEntropyLoss(), data, null);
    new Trainer(config.withSeed(6)).fit(b, new CrossEntropyLoss(), data, null);
    assertNotEquals(a.parameters().get(0).value(), b.parameters().get(0).value());
  }

  @Test
  void fullBatchWithoutShuffleIgnoresTheTrainingSeed() {
    Dataset data = blobs(60, 103);
    TrainingConfig config = TrainingConfig.builder().epochs(3).batchSize(TrainingConfig.FULL_BATCH)
        .shuffle(false).seed(5).optimizer(OptimizerSettings.sgd(0.1)).build();
    Network a = classifier(7);
    Network b = classifier(7);
    new Trainer(config).fit(a, new CrossEntropyLoss(), data, null);
    new Trainer(config.withSeed(987654321L)).fit(b, new CrossEntropyLoss(), data, null);
    assertSameParameters(a, b);
  }

  // ---------------------------------------------------------------- history and listeners

  @Test
  void historyHasOneFiniteResultPerEpochWithTestEvaluation() {
    Dataset train = blobs(60, 104);
    Dataset test = blobs(21, 105);
    TrainingConfig config = TrainingConfig.builder().epochs(4).batchSize(16).seed(5)
        .optimizer(OptimizerSettings.sgd(0.1)).build();
    History history = new Trainer(config).fit(classifier(8), new CrossEntropyLoss(), train, test);
    assertEquals(4, history.epochs().size());
    for (int e = 0; e < 4; e++) {
      EpochResult r = history.epochs().get(e);
      assertEquals(e + 1, r.epoch());
      assertEquals(0.1, r.learningRate());
      assertTrue(Double.isFinite(r.trainLoss()) && r.trainLoss() > 0, "train loss " + r.trainLoss());
      assertTrue(r.trainAccuracy() >= 0 && r.trainAccuracy() <= 1, "train accuracy " + r.trainAccuracy());
      assertNotNull(r.test(), "epoch " + (e + 1) + " has no test evaluation");
      assertEquals(21, r.test().rows());
      assertTrue(Double.isFinite(r.test().loss()), "test loss " + r.test().loss());
      assertNotNull(r.test().classification());
    }
    assertEquals(history.epochs().get(3), history.last());
  }

  @Test
  void withoutTestDataThereIsNoEvaluation() {
    History history = new Trainer(TrainingConfig.builder().epochs(2).batchSize(16).seed(5)
        .optimizer(OptimizerSettings.sgd(0.1)).build())
        .fit(classifier(8), new CrossEntropyLoss(), blobs(30, 106), null);
    assertEquals(2, history.epochs().size());
    for (EpochResult r : history.epochs()) {
      assertNull(r.test());
    }
  }

  @Test
  void listenersHearEveryStage() {
    Dataset data = blobs(10, 107);
    List<String> events = new ArrayList<>();
    TrainingListener listener = new TrainingListener() {
      @Override
      public void onTrainingStart(int epochs, int batchesPerEpoch) {
        events.add("start " + epochs + " " + batchesPerEpoch);
      }

      @Override
      public void onBatchEnd(int epoch, int batch, int batchesPerEpoch, double loss) {
        assertTrue(Double.isFinite(loss));
        events.add("batch " + epoch + "." + batch + "/" + batchesPerEpoch);
      }

      @Override
      public void onEpochEnd(EpochResult result) {
        events.add("epoch " + result.epoch());
      }
    };
    new Trainer(TrainingConfig.builder().epochs(2).batchSize(4).seed(5)
        .optimizer(OptimizerSettings.sgd(0.1)).build()).addListener(listener)
        .fit(classifier(9), new CrossEntropyLoss(), data, null);
    // 10 rows in batches of 4: 4 + 4 + 2, three batches per epoch
    assertEquals(List.of("start 2 3",
        "batch 1.1/3", "batch 1.2/3", "batch 1.3/3", "epoch 1",
        "batch 2.1/3", "batch 2.2/3", "batch 2.3/3", "epoch 2"), events);
  }

  @Test
  void aFailingListenerStopsTheRunAndTheNextRunIsUnaffected() {
    // the next batch is gathered aside while a listener runs; the listener's exception must come out as it
    // was, and the gathering left behind must not disturb the next run
    Dataset data = blobs(60, 103);
    TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(8).seed(5)
        .optimizer(OptimizerSettings.adam(0.01)).build();
    IllegalStateException stop = new IllegalStateException("stop here");
    Trainer failing = new Trainer(config).addListener(new TrainingListener() {
      @Override
      public void onBatchEnd(int epoch, int batch, int batchesPerEpoch, double loss) {
        if (batch == 3) {
          throw stop;
        }
      }
    });
    assertTrue(stop == assertThrows(IllegalStateException.class, () -> failing.fit(classifier(7), new CrossEntropyLoss(), data, null)));
    Network a = classifier(7);
    Network b = classifier(7);
    new Trainer(config).fit(a, new CrossEntropyLoss(), data, null);
    new Trainer(config).fit(b, new CrossEntropyLoss(), data, null);
    assertSameParameters(a, b);
  }

  @Test
  void lastPartialBatchIsTrainedLikeAManualLoop() {
    Dataset data = blobs(10, 108);
    Network trained = classifier(10);
    Network manual = classifier(10);
    History history = new Trainer(TrainingConfig.builder().epochs(1).batchSize(4).shuffle(false).seed(5)
        .optimizer(OptimizerSettings.sgd(0.2)).build())
        .fit(trained, new CrossEntropyLoss(), data, null);

    // the same epoch by hand: rows 0-3, 4-7 and 8-9, one SGD step each
    Sgd sgd = new Sgd(manual.parameters(), 0.2);
    double weightedLoss = 0;
    int[][] batches = {{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}};
    for (int[] rows : batches) {
      Matrix x = Matrix.zeros(rows.length, data.featureCount());
      Matrix y = Matrix.zeros(rows.length, data.outputCount());
      for (int i = 0; i < rows.length; i++) {
        for (int j = 0; j < data.featureCount(); j++) {
          x.set(i, j, data.features().get(rows[i], j));
        }
        y.set(i, data.label(rows[i]), 1);
      }
      // cross-entropy is a mean over the batch: weight each batch by its rows
      weightedLoss += Objective.of(new CrossEntropyLoss(), manual).computeGradients(manual, x, y, Pass.training(0, 0))
          * rows.length;
      sgd.step();
    }
    assertSameParameters(manual, trained);
    assertEquals(weightedLoss / 10, history.last().trainLoss(), 1e-12);
  }

  @Test
  void shuffledBatchesGatheredAsideAreTrainedLikeAManualLoop() {
    // two compute threads, so that each next batch is gathered aside into the other buffer while one trains:
    // 23 rows in batches of 4 alternate between the two full-size buffers and end with a batch of 3
    Compute.useThreads(2);
    try {
      Dataset data = blobs(23, 109);
      Network trained = classifier(12);
      Network manual = classifier(12);
      long seed = 31;
      new Trainer(TrainingConfig.builder().epochs(3).batchSize(4).seed(seed)
          .optimizer(OptimizerSettings.sgd(0.1)).build()).fit(trained, new CrossEntropyLoss(), data, null);

      Sgd sgd = new Sgd(manual.parameters(), 0.1);
      for (int epoch = 1; epoch <= 3; epoch++) {
        int[] order = SeededRandom.derive(seed, Trainer.SHUFFLE_STREAM, epoch).permutation(23);
        for (int from = 0; from < 23; from += 4) {
          int rows = Math.min(4, 23 - from);
          Matrix x = Matrix.zeros(rows, data.featureCount());
          Matrix y = Matrix.zeros(rows, data.outputCount());
          for (int i = 0; i < rows; i++) {
            int row = order[from + i];
            for (int j = 0; j < data.featureCount(); j++) {
              x.set(i, j, data.features().get(row, j));
            }
            y.set(i, data.label(row), 1);
          }
          Objective.of(new CrossEntropyLoss(), manual).computeGradients(manual, x, y, Pass.training(0, 0));
          sgd.step();
        }
      }
      assertSameParameters(manual, trained);
    } finally {
      Compute.useThreads(Runtime.getRuntime().availableProcessors());
    }
  }

  // ---------------------------------------------------------------- divergence and learning

  @Test
  void hugeLearningRateDivergesWithEpochAndStepInTheMessage() {
    long seed = 109;
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    Matrix x = Matrix.zeros(12, 2);
    Matrix t = Matrix.zeros(12, 1);
    for (int i = 0; i < 12; i++) {
      x.set(i, 0, random.nextDouble(0.5, 2));
      x.set(i, 1, -random.nextDouble(0.5, 2));
      t.set(i, 0, 3 * x.get(i, 0) - x.get(i, 1) + 0.5);
    }
    Dataset data = Dataset.regression("lines", List.of("a", "b"), x, t);
    Network net = Network.builder(2)
        .dense(1, Activations.identity())
        .seed(3)
        .build();
    TrainingConfig config = TrainingConfig.builder().epochs(50).batchSize(4).shuffle(false).seed(5)
        .optimizer(OptimizerSettings.sgd(1e6)).build();
    DivergenceException e = assertThrows(DivergenceException.class, () -> new Trainer(config).fit(net, SquaredErrorLoss.sse(), data, null));
    assertTrue(e.epoch() >= 1 && e.epoch() <= 50, "epoch " + e.epoch());
    assertTrue(e.step() >= 2, "the first step starts from finite weights, step " + e.step());
    // 3 batches per epoch: the step lies in the epoch
    assertTrue(e.step() > (e.epoch() - 1) * 3 && e.step() <= e.epoch() * 3,
        "epoch " + e.epoch() + ", step " + e.step());
    assertTrue(e.getMessage().contains("epoch " + e.epoch()), e.getMessage());
    assertTrue(e.getMessage().contains("step " + e.step()), e.getMessage());
  }

  @Test
  void trainingLowersTheLossOnSeparableData() {
    Dataset data = blobs(90, 110);
    TrainingConfig config = TrainingConfig.builder().epochs(15).batchSize(10).seed(5)
        .optimizer(OptimizerSettings.sgd(0.1)).build();
    History history = new Trainer(config).fit(classifier(11), new CrossEntropyLoss(), data, data);
    double first = history.epochs().get(0).trainLoss();
    double last = history.last().trainLoss();
    assertTrue(first > last, "loss went from " + first + " to " + last);
    assertTrue(history.last().test().accuracy() > 0.9, "accuracy " + history.last().test().accuracy());
  }

  @Test
  void dataOfTheWrongWidthIsRejected() {
    Dataset wide = Dataset.classification("t", List.of("a", "b", "c"), Matrix.zeros(4, 3).fill(1), CLASSES,
        new int[] {0, 1, 2, 0});
    assertThrows(IllegalArgumentException.class,
        () -> new Trainer(TrainingConfig.defaults()).fit(classifier(1), new CrossEntropyLoss(), wide, null));
  }

  // ---------------------------------------------------------------- helpers

  /** 2 -> 6 tanh -> 3 softmax, cross-entropy, initial weights from {@code seed}. */
  private static Network classifier(long seed) {
    return Network.builder(2)
        .dense(6, Activations.tanh())
        .dense(3, Activations.softmax())
        .seed(seed)
        .build();
  }

  /** Three well separated Gaussian blobs around (-3, 0), (3, 0) and (0, 3), labels in a seeded order. */
  private static Dataset blobs(int rows, long seed) {
    return TestData.blobs(rows, seed, 0.5, CLASSES);
  }

  private static void assertSameParameters(Network expected, Network actual) {
    List<Parameter> e = expected.parameters();
    List<Parameter> a = actual.parameters();
    assertEquals(e.size(), a.size());
    for (int i = 0; i < e.size(); i++) {
      assertEquals(e.get(i).value(), a.get(i).value(), e.get(i).name());
    }
  }
}
