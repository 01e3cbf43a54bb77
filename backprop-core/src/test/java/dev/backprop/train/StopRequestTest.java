package dev.backprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.TestData;
import dev.backprop.data.Dataset;
import dev.backprop.io.CheckpointFile;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Network;
import dev.backprop.nn.Parameter;
import dev.backprop.nn.activation.Activations;
import dev.backprop.optim.OptimizerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stop request in the middle of an epoch, and the run resumed from the state it saved. */
class StopRequestTest {
  private static final List<String> CLASSES = List.of("left", "right", "up");
  private static final Loss LOSS = new CrossEntropyLoss();
  /** 90 rows in batches of 8: 12 batches an epoch, the last of 2 rows. */
  private static final TrainingConfig CONFIG = TrainingConfig.builder().epochs(4).batchSize(8).seed(11)
      .optimizer(OptimizerSettings.adam(0.01)).build();

  @Test
  void aRunStoppedMidEpochResumesToTheUninterruptedWeightsBitForBit(@TempDir Path dir) {
    Dataset train = TestData.blobs(90, 3, 0.8, CLASSES);
    Dataset validation = TestData.blobs(30, 4, 0.8, CLASSES);
    Network whole = network();
    History straight = new Trainer(CONFIG).fit(whole, LOSS, train, validation, null);
    assertFalse(straight.interrupted());

    Network first = network();
    Trainer stopping = new Trainer(CONFIG).checkpoints(CheckpointFile.store(dir), Trainer.ONLY_WHEN_STOPPED);
    stopping.addListener(new TrainingListener() {
      @Override
      public void onBatchEnd(int epoch, int batch, int batchesPerEpoch, double loss) {
        if (epoch == 2 && batch == 5) {
          stopping.requestStop();
        }
      }
    });
    History stopped = stopping.fit(first, LOSS, train, validation, null);
    assertTrue(stopped.interrupted());
    assertEquals(1, stopped.epochs().size());
    assertEquals(5, stopped.interruptedBatches());
    TrainingState state = CheckpointFile.load(dir);
    assertEquals(1, state.epoch());
    assertEquals(5, state.partial().batches());
    assertTrue(Files.isRegularFile(CheckpointFile.in(dir)));

    Network resumed = network();
    History rest = new Trainer(CONFIG).resumeFrom(state).fit(resumed, LOSS, train, validation, null);
    assertFalse(rest.interrupted());
    assertEquals(4, rest.epochs().size());
    List<Parameter> expected = whole.parameters();
    List<Parameter> actual = resumed.parameters();
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).value(), actual.get(i).value(), expected.get(i).name());
    }
    for (int e = 0; e < 4; e++) {
      EpochResult a = straight.epochs().get(e);
      EpochResult b = rest.epochs().get(e);
      assertEquals(a.trainLoss(), b.trainLoss(), "training loss of epoch " + (e + 1));
      assertEquals(a.trainAccuracy(), b.trainAccuracy(), "training accuracy of epoch " + (e + 1));
      assertEquals(a.validation().loss(), b.validation().loss(), "validation loss of epoch " + (e + 1));
    }
  }

  @Test
  void withoutAStopRequestOnlyWhenStoppedSavesNothing(@TempDir Path dir) {
    new Trainer(CONFIG).checkpoints(CheckpointFile.store(dir), Trainer.ONLY_WHEN_STOPPED)
        .fit(network(), LOSS, TestData.blobs(90, 3, 0.8, CLASSES), null);
    assertFalse(Files.exists(CheckpointFile.in(dir)));
  }

  /** 2 -> 16 relu, dropout 0.3 -> 3 softmax: dropout masks depend on the step, which a resumed run must keep. */
  private static Network network() {
    return Network.builder(2).dense(16, Activations.relu()).dense(3, Activations.softmax()).seed(7).build()
        .withHiddenDropout(0.3);
  }
}
