package dev.backprop.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.nn.Parameter;
import dev.backprop.optim.OptimizerSettings.Kind;
import dev.backprop.tensor.Matrix;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The kinds, their defaults, validation and metadata of {@link OptimizerSettings}. */
class OptimizerSettingsTest {

  @Test
  void idsAreTheCommandLineNames() {
    String[] ids = {"sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop"};
    assertEquals(ids.length, Kind.values().length);
    for (String id : ids) {
      assertEquals(id, Kind.parse(id).id());
    }
  }

  @Test
  void parseErrorListsEveryName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kind.parse("adagrad"));
    assertTrue(e.getMessage().contains("'adagrad'"), e.getMessage());
    for (Kind k : Kind.values()) {
      assertTrue(e.getMessage().contains(k.id()), e.getMessage());
    }
  }

  @Test
  void defaultsFollowPyTorchExceptSgdLearningRate() {
    assertEquals(0.1, OptimizerSettings.defaultLearningRate(Kind.SGD));
    assertEquals(0.1, OptimizerSettings.defaultLearningRate(Kind.MOMENTUM));
    assertEquals(0.1, OptimizerSettings.defaultLearningRate(Kind.NESTEROV));
    assertEquals(1e-3, OptimizerSettings.defaultLearningRate(Kind.ADAM));
    assertEquals(1e-3, OptimizerSettings.defaultLearningRate(Kind.ADAMW));
    assertEquals(1e-2, OptimizerSettings.defaultLearningRate(Kind.RMSPROP));

    assertEquals(new OptimizerSettings(Kind.SGD, 0.5, 0, 0), new OptimizerSettings(Kind.SGD, 0.5));
    assertEquals(new OptimizerSettings(Kind.MOMENTUM, 0.5, 0.9, 0), new OptimizerSettings(Kind.MOMENTUM, 0.5));
    assertEquals(new OptimizerSettings(Kind.NESTEROV, 0.5, 0.9, 0), new OptimizerSettings(Kind.NESTEROV, 0.5));
    assertEquals(new OptimizerSettings(Kind.ADAM, 0.5, 0, 0), OptimizerSettings.adam(0.5));
    assertEquals(new OptimizerSettings(Kind.ADAMW, 0.5, 0, 0.01), new OptimizerSettings(Kind.ADAMW, 0.5));
    assertEquals(new OptimizerSettings(Kind.RMSPROP, 0.5, 0, 0), new OptimizerSettings(Kind.RMSPROP, 0.5));
    assertEquals(new OptimizerSettings(Kind.RMSPROP, 1e-2), OptimizerSettings.defaults(Kind.RMSPROP));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void createBuildsTheNamedOptimizerWithTheSettings(Kind kind) {
    Parameter p = new Parameter("w", Matrix.zeros(1, 2));
    OptimizerSettings settings = OptimizerSettings.defaults(kind).withLearningRate(0.03).withWeightDecay(0.2);
    Optimizer optimizer = settings.create(List.of(p));
    assertEquals(kind.id(), optimizer.name());
    assertEquals(0.03, optimizer.learningRate());
    assertEquals(0.2, ((BaseOptimizer) optimizer).weightDecay());
  }

  @Test
  void momentumReachesTheOptimizer() {
    Parameter p = new Parameter("w", Matrix.zeros(1, 2));
    Sgd nesterov = (Sgd) new OptimizerSettings(Kind.NESTEROV, 0.1).withMomentum(0.5).create(List.of(p));
    assertEquals(0.5, nesterov.momentum());
    RmsProp rmsprop = (RmsProp) new OptimizerSettings(Kind.RMSPROP, 0.1).withMomentum(0.3).create(List.of(p));
    assertEquals(0.3, rmsprop.momentum());
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.1, 1.0, 1.5, Double.NaN, Double.POSITIVE_INFINITY})
  void momentumOutsideZeroToOneIsRejected(double momentum) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new OptimizerSettings(Kind.MOMENTUM, 0.1).withMomentum(momentum));
    assertTrue(e.getMessage().contains(String.valueOf(momentum)), e.getMessage());
    Parameter p = new Parameter("w", Matrix.zeros(1, 2));
    assertThrows(IllegalArgumentException.class,
        () -> new Sgd(List.of(p), 0.1, Kind.MOMENTUM, momentum, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new RmsProp(List.of(p), 0.1, RmsProp.DEFAULT_ALPHA, RmsProp.DEFAULT_EPSILON, momentum, 0));
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"SGD", "ADAM", "ADAMW"})
  void momentumOnAKindWithoutOneIsRejectedRatherThanIgnored(Kind kind) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OptimizerSettings.defaults(kind).withMomentum(0.9));
    assertTrue(e.getMessage().contains(kind.id() + " has no momentum"), e.getMessage());
    assertEquals(0.0, OptimizerSettings.defaults(kind).withMomentum(0).momentum());
  }

  @Test
  void nesterovNeedsAMomentumAsInPyTorch() {
    assertThrows(IllegalArgumentException.class, () -> new OptimizerSettings(Kind.NESTEROV, 0.1).withMomentum(0));
    Parameter p = new Parameter("w", Matrix.zeros(1, 2));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), 0.1, Kind.NESTEROV, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), 0.1, Kind.SGD, 0.9, 0));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-1e-9, -1, Double.NaN, Double.POSITIVE_INFINITY})
  void invalidWeightDecayIsRejected(double weightDecay) {
    for (Kind kind : Kind.values()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> OptimizerSettings.defaults(kind).withWeightDecay(weightDecay));
      assertTrue(e.getMessage().contains(String.valueOf(weightDecay)), e.getMessage());
    }
    Parameter p = new Parameter("w", Matrix.zeros(1, 2));
    assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(p), 0.1, weightDecay));
    assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(p), 0.1, 0.9, 0.999, 1e-8, weightDecay));
  }

  @Test
  void toMapDescribesTheSettingsForMetadata() {
    assertEquals(Map.of("optimizer", "sgd", "learning_rate", 0.1, "weight_decay", 0.0),
        OptimizerSettings.sgd(0.1).toMap());
    assertEquals(Map.of("optimizer", "nesterov", "learning_rate", 0.05, "momentum", 0.8, "weight_decay", 1e-4),
        new OptimizerSettings(Kind.NESTEROV, 0.05, 0.8, 1e-4).toMap());
    assertEquals(Map.of("optimizer", "adamw", "learning_rate", 1e-3, "weight_decay", 0.01),
        OptimizerSettings.defaults(Kind.ADAMW).toMap());
    assertEquals(List.of("optimizer", "learning_rate", "momentum", "weight_decay"),
        List.copyOf(OptimizerSettings.defaults(Kind.RMSPROP).toMap().keySet()));
  }
}
