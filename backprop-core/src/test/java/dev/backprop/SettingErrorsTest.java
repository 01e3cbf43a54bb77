package dev.backprop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backprop.data.Normalization;
import dev.backprop.data.Task;
import dev.backprop.nn.Parameter;
import dev.backprop.nn.activation.Activations;
import dev.backprop.nn.activation.LeakyRelu;
import dev.backprop.optim.Adam;
import dev.backprop.optim.OptimizerSettings;
import dev.backprop.optim.OptimizerSettings.Kind;
import dev.backprop.optim.RmsProp;
import dev.backprop.optim.Sgd;
import dev.backprop.tensor.Matrix;
import dev.backprop.train.GradientClipping;
import dev.backprop.train.Schedule;
import dev.backprop.train.TrainingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Settings outside what the library accepts end in one exception that names the setting as the API spells it. */
class SettingErrorsTest {
  private static void assertRejects(String setting, Executable call) {
    InvalidSettingException e = assertThrows(InvalidSettingException.class, call);
    assertEquals(setting, e.setting(), e.getMessage());
    assertFalse(e.getMessage().contains("--"), () -> "names a command-line flag: " + e.getMessage());
  }

  @Test
  void optimizerSettings() {
    List<Parameter> p = List.of(new Parameter("w", Matrix.zeros(1, 2)));
    assertRejects("optimizer", () -> Kind.parse("lbfgs"));
    assertRejects("learningRate", () -> OptimizerSettings.sgd(0));
    assertRejects("learningRate", () -> new Sgd(p, 0.1).setLearningRate(Double.NaN));
    assertRejects("momentum", () -> OptimizerSettings.defaults(Kind.MOMENTUM).withMomentum(1));
    assertRejects("momentum", () -> OptimizerSettings.sgd(0.1).withMomentum(0.9));
    assertRejects("momentum", () -> new Sgd(p, 0.1, Kind.NESTEROV, 0, 0));
    assertRejects("weightDecay", () -> OptimizerSettings.adam(0.1).withWeightDecay(-1));
    assertRejects("optimizer", () -> new Sgd(p, 0.1, Kind.ADAM, 0, 0));
    assertRejects("beta1", () -> new Adam(p, 0.1, 1, 0.999, 1e-8));
    assertRejects("beta2", () -> new Adam(p, 0.1, 0.9, -0.1, 1e-8));
    assertRejects("epsilon", () -> new Adam(p, 0.1, 0.9, 0.999, 0));
    assertRejects("alpha", () -> new RmsProp(p, 0.1, 1, 1e-8, 0, 0));
    assertRejects("epsilon", () -> new RmsProp(p, 0.1, 0.99, Double.POSITIVE_INFINITY, 0, 0));
  }

  @Test
  void trainingSettings() {
    assertRejects("epochs", () -> TrainingConfig.builder().epochs(-1).build());
    assertRejects("batchSize", () -> TrainingConfig.builder().batchSize(-1).build());
    assertRejects("clipNorm", () -> TrainingConfig.builder().clipNorm(Double.NaN).build());
    assertRejects("patience", () -> TrainingConfig.builder().patience(-1).build());
    assertRejects("clipNorm", () -> GradientClipping.clip(List.of(), 0));
    assertRejects("schedule", () -> Schedule.Kind.parse("linear"));
    assertRejects("stepEpochs", () -> new Schedule(Schedule.Kind.STEP, 0, 0.1, 0));
    assertRejects("gamma", () -> new Schedule(Schedule.Kind.STEP, 1, 1.5, 0));
    assertRejects("warmupEpochs", () -> new Schedule(Schedule.Kind.COSINE, 1, 1, -1));
  }

  @Test
  void modelAndDataSettings() {
    assertRejects("activation", () -> Activations.byName("swish"));
    assertRejects("slope", () -> new LeakyRelu(1));
    assertRejects("task", () -> Task.parse("ranking"));
    assertRejects("normalization", () -> Normalization.Kind.parse("zscore"));
  }
}
