package dev.backprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.Dataset;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activations;
import dev.backprop.optim.OptimizerSettings;
import dev.backprop.tensor.Matrix;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A checkpoint's run signature: named settings, each difference said with both values, older texts accepted. */
class ResumeSignatureTest {
  private static final Network NET = Network.builder(2).dense(3, Activations.softmax()).seed(1).build();
  private static final Dataset DATA = Dataset.classification("d", List.of("a", "b"), Matrix.zeros(4, 2),
      List.of("x", "y", "z"), new int[] {0, 1, 2, 0});

  private static String signature(TrainingConfig config) {
    return Trainer.signature(config, NET, new CrossEntropyLoss(), DATA, null);
  }

  @Test
  void theSignatureNamesEverySetting() {
    String s = signature(TrainingConfig.builder().epochs(3).optimizer(OptimizerSettings.adam(0.01)).build());
    assertTrue(s.startsWith("epochs=3; batchSize=64; shuffle=true; seed=42; optimizer=adam; learningRate=0.01;"), s);
    assertTrue(s.endsWith("architecture=2 -> 3 softmax; loss=cross-entropy; trainRows=4; validationRows=0"), s);
  }

  @Test
  void aDifferenceNamesTheSettingAndBothValues() {
    TrainingConfig saved = TrainingConfig.builder().epochs(3).optimizer(OptimizerSettings.adam(0.01)).build();
    TrainingConfig now = saved.withOptimizer(OptimizerSettings.adam(0.1)).withSeed(7);
    String why = Resume.mismatch(signature(saved), signature(now), "legacy");
    assertEquals("it differs from this run in seed 42 there, 7 here; learningRate 0.01 there, 0.1 here", why);
    assertNull(Resume.mismatch(signature(saved), signature(saved), "legacy"));
  }

  @Test
  void aCheckpointWithTheOlderTextStillResumes() {
    TrainingConfig config = TrainingConfig.builder().epochs(3).build();
    String legacy = Trainer.legacySignature(config, NET, new CrossEntropyLoss(), DATA, null);
    assertEquals(config + "; 2 -> 3 softmax, cross-entropy; train 4 rows", legacy);
    assertNull(Resume.mismatch(legacy, signature(config), legacy));
    String other = Trainer.legacySignature(config.withSeed(5), NET, new CrossEntropyLoss(), DATA, null);
    assertTrue(Resume.mismatch(other, signature(config), legacy).startsWith("it was written for "), other);
  }
}
