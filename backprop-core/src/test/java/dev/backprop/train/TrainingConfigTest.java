package dev.backprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.optim.OptimizerSettings;
import org.junit.jupiter.api.Test;

/** The builder, and the text that checkpoints keep as the run's signature. */
class TrainingConfigTest {
  @Test
  void theBuilderStartsFromTheDefaults() {
    assertEquals(new TrainingConfig(10, 64, true, 42, OptimizerSettings.sgd(0.1), Schedule.constant(), 0, 0),
        TrainingConfig.builder().build());
    assertEquals(TrainingConfig.defaults(), TrainingConfig.builder().build());
  }

  @Test
  void theBuilderSetsEachSetting() {
    Schedule cosine = new Schedule(Schedule.Kind.COSINE, 1, 1, 2);
    assertEquals(new TrainingConfig(3, TrainingConfig.FULL_BATCH, false, 5, OptimizerSettings.adam(0.01), cosine, 1.5,
        4), TrainingConfig.builder().epochs(3).batchSize(TrainingConfig.FULL_BATCH).shuffle(false).seed(5)
        .optimizer(OptimizerSettings.adam(0.01)).schedule(cosine).clipNorm(1.5).patience(4).build());
  }

  @Test
  void theTextIsTheCheckpointSignatureAndStaysAsItIs() {
    assertEquals("TrainingConfig[epochs=10, batchSize=64, shuffle=true, seed=42, optimizer=OptimizerSettings[kind=SGD, "
        + "learningRate=0.1, momentum=0.0, weightDecay=0.0], schedule=Schedule[kind=CONSTANT, stepSize=1, gamma=1.0, "
        + "warmupEpochs=0], clipNorm=0.0, patience=0]", TrainingConfig.defaults().toString());
  }
}
