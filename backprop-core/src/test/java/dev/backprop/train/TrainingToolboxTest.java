package dev.backprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.TestData;
import dev.backprop.data.Dataset;
import dev.backprop.io.CheckpointFile;
import dev.backprop.io.SafeTensors;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.nn.Network;
import dev.backprop.nn.Pass;
import dev.backprop.nn.Parameter;
import dev.backprop.nn.activation.Activations;
import dev.backprop.optim.OptimizerSettings;
import dev.backprop.tensor.Matrix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedules, clipping, early stopping and checkpoints in the training loop. */
class TrainingToolboxTest {
  private static final List<String> CLASSES = List.of("a", "b", "c");

  // ---------------------------------------------------------------- schedules

  @Test
  void schedulesFollowTheirFormulas() {
    Schedule step = new Schedule(Schedule.Kind.STEP, 3, 0.5, 0);
    assertEquals(0.8, step.rate(0.8, 1, 10));
    assertEquals(0.8, step.rate(0.8, 3, 10));
    assertEquals(0.4, step.rate(0.8, 4, 10));
    assertEquals(0.1, step.rate(0.8, 10, 10));
    Schedule exp = new Schedule(Schedule.Kind.EXPONENTIAL, 1, 0.9, 0);
    assertEquals(1.0, exp.rate(1, 1, 5));
    assertEquals(0.9 * 0.9 * 0.9, exp.rate(1, 4, 5), 1e-15);
    Schedule cosine = new Schedule(Schedule.Kind.COSINE, 1, 1, 0);
    assertEquals(1.0, cosine.rate(1, 1, 4), 1e-15);
    assertEquals(0.5, cosine.rate(1, 3, 4), 1e-15);
    assertEquals((1 + Math.cos(Math.PI * 3 / 4)) / 2, cosine.rate(1, 4, 4), 1e-15);
    assertEquals(0.3, Schedule.constant().rate(0.3, 7, 10));
  }

  @Test
  void warmupRampsLinearlyThenRunsTheScheduleOverTheRest() {
    Schedule s = new Schedule(Schedule.Kind.COSINE, 1, 1, 2);
    assertEquals(0.5, s.rate(1, 1, 6), 1e-15);
    assertEquals(1.0, s.rate(1, 2, 6), 1e-15);
    assertEquals(1.0, s.rate(1, 3, 6), 1e-15);
    assertEquals(0.5, s.rate(1, 5, 6), 1e-15);
  }

  @Test
  void historyRecordsTheScheduledRateOfEachEpoch() {
    TrainingConfig config = TrainingConfig.builder().epochs(4).batchSize(16).seed(3)
        .optimizer(OptimizerSettings.sgd(0.2)).schedule(new Schedule(Schedule.Kind.STEP, 2, 0.1, 0)).build();
    History h = new Trainer(config).fit(classifier(0), new CrossEntropyLoss(), blobs(60, 1), null);
    double[] expected = {0.2, 0.2, 0.02, 0.02};
    for (int e = 0; e < 4; e++) {
      assertEquals(expected[e], h.epochs().get(e).learningRate(), 1e-15, "epoch " + (e + 1));
    }
  }

  @Test
  void badScheduleValuesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Schedule(Schedule.Kind.STEP, 0, 0.1, 0));
    assertThrows(IllegalArgumentException.class, () -> new Schedule(Schedule.Kind.STEP, 1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Schedule(Schedule.Kind.STEP, 1, Double.NaN, 0));
    assertThrows(IllegalArgumentException.class, () -> new Schedule(Schedule.Kind.COSINE, 1, 1, -1));
    assertThrows(IllegalArgumentException.class, () -> Schedule.Kind.parse("linear"));
  }

  // ---------------------------------------------------------------- clipping

  @Test
  void clippingScalesTheGlobalNormDownAndReturnsTheNormBefore() {
    Network net = classifier(1);
    Dataset data = blobs(20, 2);
    Matrix x = Matrix.zeros(20, 2);
    Matrix y = Matrix.zeros(20, 3);
    data.gather(identity(20), 0, 20, x, y);
    Objective.of(new CrossEntropyLoss(), net).computeGradients(net, x, y, Pass.training(0, 0));
    double norm = GradientClipping.globalNorm(net.parameters());
    assertTrue(norm > 0.1, "norm " + norm);
    List<Matrix> before = grads(net);
    double returned = GradientClipping.clip(net.parameters(), norm / 4);
    assertEquals(norm, returned);
    assertEquals(norm / 4, GradientClipping.globalNorm(net.parameters()), 1e-5 * norm);
    List<Matrix> after = grads(net);
    double ratio = after.get(0).getFlat(0) / before.get(0).getFlat(0);
    assertEquals(0.25, ratio, 1e-5);
    // under the limit nothing changes
    assertEquals(norm / 4, GradientClipping.clip(net.parameters(), norm), 1e-5 * norm);
    assertEquals(after, grads(net));
  }

  @Test
  void aNonFiniteNormIsAnErrorNotAScale() {
    Network net = classifier(1);
    net.parameters().get(1).grad().setFlat(0, Double.NaN);
    assertThrows(IllegalArgumentException.class, () -> GradientClipping.clip(net.parameters(), 1));
    net.parameters().get(1).grad().setFlat(0, Float.POSITIVE_INFINITY);
    assertThrows(IllegalArgumentException.class, () -> GradientClipping.clip(net.parameters(), 1));
  }

  @Test
  void clippedTrainingDiffersFromUnclippedAndStaysFinite() {
    TrainingConfig config = TrainingConfig.builder().epochs(3).batchSize(8).seed(3)
        .optimizer(OptimizerSettings.sgd(0.5)).build();
    Network a = classifier(4);
    Network b = classifier(4);
    new Trainer(config).fit(a, new CrossEntropyLoss(), blobs(60, 5), null);
    new Trainer(config.withClipNorm(0.01)).fit(b, new CrossEntropyLoss(), blobs(60, 5), null);
    assertNotEquals(a.parameters().get(0).value(), b.parameters().get(0).value());
    assertTrue(b.parameters().get(0).value().allFinite());
  }

  // ---------------------------------------------------------------- early stopping

  @Test
  void earlyStoppingStopsAfterPatienceAndRestoresTheBestEpoch() {
    // a huge learning rate on a tiny training set overfits fast, so validation loss stops improving
    Dataset train = noisy(24, 7);
    Dataset validation = noisy(60, 8);
    TrainingConfig config = TrainingConfig.builder().epochs(200).batchSize(4).seed(3)
        .optimizer(OptimizerSettings.adam(0.05)).patience(3).build();
    Network net = classifier(9);
    List<Matrix> bestSeen = new ArrayList<>();
    Trainer trainer = new Trainer(config);
    double[] bestLoss = {Double.POSITIVE_INFINITY};
    trainer.addListener(new TrainingListener() {
      @Override
      public void onEpochEnd(EpochResult r) {
        if (r.validation().loss() < bestLoss[0]) {
          bestLoss[0] = r.validation().loss();
          bestSeen.clear();
          for (Parameter p : net.parameters()) {
            bestSeen.add(p.value().copy());
          }
        }
      }
    });
    History h = trainer.fit(net, new CrossEntropyLoss(), train, validation, null);
    assertTrue(h.stoppedEarly(), "ran all " + h.epochs().size() + " epochs");
    int kept = h.keptEpoch();
    assertEquals(h.epochs().size() - 3, kept, "stops 3 epochs after the best");
    double keptLoss = h.epochs().get(kept - 1).validation().loss();
    for (EpochResult r : h.epochs()) {
      assertTrue(r.validation().loss() >= keptLoss, "epoch " + r.epoch() + " was better than the kept one");
    }
    for (int i = 0; i < bestSeen.size(); i++) {
      assertEquals(bestSeen.get(i), net.parameters().get(i).value(), "restored " + i);
    }
  }

  @Test
  void aMinimumDeltaStopsALossThatOnlyCreepsDown() {
    // separable blobs: the validation loss falls a little in every epoch for as long as training runs
    Dataset train = blobs(60, 1);
    Dataset validation = blobs(30, 2);
    TrainingConfig any = TrainingConfig.builder().epochs(60).batchSize(8).seed(3)
        .optimizer(OptimizerSettings.adam(0.01)).patience(5).build();
    History all = new Trainer(any).fit(classifier(4), new CrossEntropyLoss(), train, validation, null);
    assertFalse(all.stoppedEarly(), "any lower loss is an improvement: " + all.epochs().size() + " epochs");

    double delta = 1e-3;
    TrainingConfig config = any.withMinDelta(delta);
    History h = new Trainer(config).fit(classifier(4), new CrossEntropyLoss(), train, validation, null);
    assertTrue(h.stoppedEarly(), "ran all " + h.epochs().size() + " epochs");
    int kept = h.keptEpoch();
    assertEquals(h.epochs().size() - 5, kept, "stops 5 epochs after the last improvement by more than the delta");
    double keptLoss = h.epochs().get(kept - 1).validation().loss();
    for (EpochResult r : h.epochs().subList(kept, h.epochs().size())) {
      assertTrue(r.validation().loss() >= keptLoss - delta, "epoch " + r.epoch() + " improved by more than " + delta);
    }
    // the same epochs as the run without a delta up to the stop: the delta changes when to stop, not the steps
    for (int e = 0; e < h.epochs().size(); e++) {
      assertEquals(all.epochs().get(e).validation().loss(), h.epochs().get(e).validation().loss(), "epoch " + (e + 1));
    }
    assertFalse(any.settings().containsKey("minDelta"), "absent when 0, as in checkpoints written before it");
    assertEquals("0.001", config.settings().get("minDelta"));
    assertThrows(IllegalArgumentException.class, () -> any.withMinDelta(-1));
    assertThrows(IllegalArgumentException.class, () -> any.withMinDelta(Double.NaN));
  }

  @Test
  void earlyStoppingWithoutValidationDataIsRefused() {
    TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(4).seed(3)
        .optimizer(OptimizerSettings.sgd(0.1)).patience(2).build();
    assertThrows(IllegalArgumentException.class, () -> new Trainer(config).fit(classifier(1), new CrossEntropyLoss(), blobs(20, 1), null));
  }

  @Test
  void validationWithoutPatienceOnlyAddsCurves() {
    TrainingConfig config = TrainingConfig.builder().epochs(3).batchSize(8).seed(3)
        .optimizer(OptimizerSettings.sgd(0.1)).build();
    Network a = classifier(2);
    Network b = classifier(2);
    History h = new Trainer(config).fit(a, new CrossEntropyLoss(), blobs(40, 1), blobs(20, 2), null);
    new Trainer(config).fit(b, new CrossEntropyLoss(), blobs(40, 1), null);
    assertEquals(3, h.keptEpoch());
    assertFalse(h.stoppedEarly());
    assertEquals(20, h.last().validation().rows());
    assertNull(h.last().test());
    assertEquals(a.parameters().get(0).value(), b.parameters().get(0).value());
  }

  // ---------------------------------------------------------------- checkpoints and resume

  @Test
  void resumingFromEveryCheckpointEndsBitIdenticalToTheUninterruptedRun(@TempDir Path dir) throws IOException {
    TrainingConfig config = TrainingConfig.builder().epochs(6).batchSize(8).seed(11)
        .optimizer(OptimizerSettings.adam(0.02)).schedule(new Schedule(Schedule.Kind.COSINE, 1, 1, 1)).clipNorm(5)
        .build();
    Dataset train = blobs(50, 3);
    Network whole = dropoutClassifier(5);
    new Trainer(config).fit(whole, new CrossEntropyLoss(), train, null);

    for (int crashAt = 2; crashAt <= 6; crashAt++) {
      Path folder = dir.resolve("run" + crashAt);
      int crashEpoch = crashAt;
      Trainer crashing = new Trainer(config).checkpoints(CheckpointFile.store(folder), 1);
      crashing.addListener(new TrainingListener() {
        @Override
        public void onEpochEnd(EpochResult r) {
          if (r.epoch() == crashEpoch) {
            throw new IllegalStateException("crash");
          }
        }
      });
      assertThrows(IllegalStateException.class, () -> crashing.fit(dropoutClassifier(5), new CrossEntropyLoss(), train, null));
      TrainingState state = CheckpointFile.load(folder);
      assertEquals(crashAt - 1, state.epoch(), "the crash came before epoch " + crashAt + "'s checkpoint");
      Network resumed = dropoutClassifier(77); // other initial weights: everything must come from the checkpoint
      History h = new Trainer(config).resumeFrom(state).fit(resumed, new CrossEntropyLoss(), train, null);
      assertEquals(6, h.epochs().size());
      for (int i = 0; i < whole.parameters().size(); i++) {
        assertEquals(whole.parameters().get(i).value(), resumed.parameters().get(i).value(),
            "crashed in epoch " + crashAt + ", " + whole.parameters().get(i).name());
      }
    }
  }

  @Test
  void aCheckpointOfTheSameStateHasTheSameTensors(@TempDir Path dir) {
    TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(8).seed(11)
        .optimizer(OptimizerSettings.adam(0.02)).build();
    for (String run : List.of("a", "b")) {
      new Trainer(config).checkpoints(CheckpointFile.store(dir.resolve(run)), 1)
          .fit(dropoutClassifier(5), new CrossEntropyLoss(), blobs(30, 3), blobs(10, 4), null);
    }
    // the metadata differs in the measured seconds; the tensors must not differ in a single bit
    assertEquals(SafeTensors.read(CheckpointFile.in(dir.resolve("a"))).tensors(),
        SafeTensors.read(CheckpointFile.in(dir.resolve("b"))).tensors());
  }

  @Test
  void aCheckpointOfAnotherRunIsRefused(@TempDir Path dir) {
    TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(8).seed(11)
        .optimizer(OptimizerSettings.adam(0.02)).build();
    new Trainer(config).checkpoints(CheckpointFile.store(dir), 1).fit(classifier(5), new CrossEntropyLoss(), blobs(30, 3), null);
    TrainingState state = CheckpointFile.load(dir);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Trainer(config.withSeed(12)).resumeFrom(state).fit(classifier(5), new CrossEntropyLoss(), blobs(30, 3), null));
    assertTrue(e.getMessage().contains("another run"), e.getMessage());
  }

  @Test
  void aCheckpointWhoseContentsDoNotFitIsRefusedAsBroken(@TempDir Path dir) {
    TrainingConfig config = TrainingConfig.builder().epochs(3).batchSize(8).seed(11)
        .optimizer(OptimizerSettings.adam(0.02)).build();
    new Trainer(config).checkpoints(CheckpointFile.store(dir), 1).fit(classifier(5), new CrossEntropyLoss(), blobs(30, 3), null);
    TrainingState good = CheckpointFile.load(dir);
    java.util.Map<String, Matrix> lessState = new java.util.HashMap<>(good.optimizerState());
    lessState.remove("layers.0.weight.m");
    TrainingState[] broken = {
        new TrainingState(good.signature(), 2, false, good.parameters(), good.optimizerState(), good.history(), 0,
            Double.NaN, 0, null),
        new TrainingState(good.signature(), good.epoch(), false, good.parameters(), lessState, good.history(), 0,
            Double.NaN, 0, null),
        new TrainingState(good.signature(), good.epoch(), false, java.util.Map.of(), good.optimizerState(),
            good.history(), 0, Double.NaN, 0, null),
        new TrainingState(good.signature(), good.epoch(), false, good.parameters(), good.optimizerState(),
            good.history(), 7, Double.NaN, 0, null),
    };
    for (TrainingState state : broken) {
      IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class,
          () -> new Trainer(config).resumeFrom(state).fit(classifier(5), new CrossEntropyLoss(), blobs(30, 3), null));
      assertFalse(e.otherRun(), e.getMessage());
      assertTrue(e.getMessage().startsWith("the checkpoint does not fit this run: "), e.getMessage());
    }
  }

  @Test
  void earlyStoppingStateSurvivesAResume(@TempDir Path dir) {
    Dataset train = noisy(24, 7);
    Dataset validation = noisy(60, 8);
    TrainingConfig config = TrainingConfig.builder().epochs(40).batchSize(4).seed(3)
        .optimizer(OptimizerSettings.adam(0.05)).patience(3).build();
    Network whole = classifier(9);
    History wholeHistory = new Trainer(config).checkpoints(CheckpointFile.store(dir), 2)
        .fit(whole, new CrossEntropyLoss(), train, validation, null);
    TrainingState last = CheckpointFile.load(dir);
    Network resumed = classifier(1);
    History h = new Trainer(config).resumeFrom(last).fit(resumed, new CrossEntropyLoss(), train, validation, null);
    assertEquals(wholeHistory.keptEpoch(), h.keptEpoch());
    assertEquals(wholeHistory.stoppedEarly(), h.stoppedEarly());
    for (int i = 0; i < whole.parameters().size(); i++) {
      assertEquals(whole.parameters().get(i).value(), resumed.parameters().get(i).value());
    }
  }

  // ---------------------------------------------------------------- dropout in training

  @Test
  void dropoutRunsAreReproducibleAndDependOnTheSeed() {
    TrainingConfig config = TrainingConfig.builder().epochs(3).batchSize(8).seed(3)
        .optimizer(OptimizerSettings.sgd(0.1)).build();
    Network a = dropoutClassifier(2);
    Network b = dropoutClassifier(2);
    Network c = dropoutClassifier(2);
    new Trainer(config).fit(a, new CrossEntropyLoss(), blobs(40, 1), null);
    new Trainer(config).fit(b, new CrossEntropyLoss(), blobs(40, 1), null);
    new Trainer(config.withSeed(4)).fit(c, new CrossEntropyLoss(), blobs(40, 1), null);
    assertEquals(a.parameters().get(0).value(), b.parameters().get(0).value());
    assertNotEquals(a.parameters().get(0).value(), c.parameters().get(0).value());
  }

  // ---------------------------------------------------------------- helpers

  private static Network classifier(long seed) {
    return Network.builder(2).dense(16, Activations.tanh()).dense(3, Activations.softmax())
        .seed(seed).build();
  }

  private static Network dropoutClassifier(long seed) {
    return Network.builder(2).dense(16, Activations.relu()).dropout(0.3).dense(3, Activations.softmax())
        .seed(seed).build();
  }

  private static List<Matrix> grads(Network net) {
    List<Matrix> g = new ArrayList<>();
    for (Parameter p : net.parameters()) {
      g.add(p.grad().copy());
    }
    return g;
  }

  private static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  private static Dataset blobs(int rows, long seed) {
    return points(rows, seed, 0.5);
  }

  /** Overlapping blobs: a small training set of them is easy to overfit. */
  private static Dataset noisy(int rows, long seed) {
    return points(rows, seed, 2.5);
  }

  private static Dataset points(int rows, long seed, double spread) {
    return TestData.blobs(rows, seed, spread, CLASSES);
  }
}
