package dev.backprop.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.nn.Parameter;
import dev.backprop.optim.OptimizerSettings.Kind;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import dev.backprop.tensor.MatrixOps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What each optimizer exports, how importState rejects bad state, and what the updates leave alone. */
class OptimizerStateTest {

  private static Parameter parameter(DType dtype) {
    Parameter p = new Parameter("layers.0.weight", Matrix.of(dtype, new double[][] {{1, -2, 0.5}, {0.25, 3, -1}}));
    p.grad().copyFrom(Matrix.of(dtype, new double[][] {{0.5, -1, 2}, {0.125, 0.75, -0.5}}));
    return p;
  }

  @Test
  void eachOptimizerExportsItsBuffersAndStepCount() {
    Map<Kind, List<String>> keys = Map.of(
        Kind.SGD, List.of(),
        Kind.MOMENTUM, List.of("layers.0.weight.momentum_buffer", "step"),
        Kind.NESTEROV, List.of("layers.0.weight.momentum_buffer", "step"),
        Kind.ADAM, List.of("layers.0.weight.m", "layers.0.weight.v", "step"),
        Kind.ADAMW, List.of("layers.0.weight.m", "layers.0.weight.v", "step"),
        Kind.RMSPROP, List.of("layers.0.weight.square_avg", "step"));
    for (Kind kind : Kind.values()) {
      Optimizer optimizer = OptimizerSettings.defaults(kind).create(List.of(parameter(DType.FLOAT32)));
      optimizer.step();
      optimizer.step();
      Map<String, Matrix> state = optimizer.exportState();
      assertEquals(keys.get(kind), List.copyOf(state.keySet()), kind.id());
      if (!state.isEmpty()) {
        assertEquals(2.0, state.get("step").get(0, 0), kind.id());
        assertEquals(DType.FLOAT32, state.get("layers.0.weight." + (kind == Kind.RMSPROP ? "square_avg"
            : kind == Kind.ADAM || kind == Kind.ADAMW ? "m" : "momentum_buffer")).dtype(), "float32 state");
      }
    }
    RmsProp withMomentum = new RmsProp(List.of(parameter(DType.FLOAT64)), 0.01, 0.99, 1e-8, 0.5, 0);
    assertEquals(List.of("layers.0.weight.square_avg", "layers.0.weight.momentum_buffer", "step"),
        List.copyOf(withMomentum.exportState().keySet()));
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = "SGD", mode = EnumSource.Mode.EXCLUDE)
  void importStateNamesTheBadKeyAndChangesNothing(Kind kind) {
    Optimizer optimizer = OptimizerSettings.defaults(kind).create(List.of(parameter(DType.FLOAT64)));
    optimizer.step();
    Map<String, Matrix> good = optimizer.exportState();
    String bufferKey = good.keySet().iterator().next();

    Map<String, Matrix> missing = new LinkedHashMap<>(good);
    missing.remove(bufferKey);
    assertMessageNames(bufferKey, () -> optimizer.importState(missing));

    Map<String, Matrix> unexpected = new LinkedHashMap<>(good);
    unexpected.put("layers.9.weight.m", good.get(bufferKey));
    assertMessageNames("layers.9.weight.m", () -> optimizer.importState(unexpected));

    Map<String, Matrix> misshaped = new LinkedHashMap<>(good);
    misshaped.put(bufferKey, Matrix.zeros(3, 2));
    assertMessageNames(bufferKey, () -> optimizer.importState(misshaped));

    for (double step : new double[] {-1, 1.5, Double.NaN}) {
      Map<String, Matrix> badStep = new LinkedHashMap<>(good);
      badStep.put("step", Matrix.wrap(1, 1, new double[] {step}));
      assertMessageNames("step", () -> optimizer.importState(badStep));
    }

    // a rejected import leaves the state as it was
    Map<String, Matrix> partlyGood = new LinkedHashMap<>(good);
    partlyGood.put(bufferKey, Matrix.wrap(2, 3, new double[] {9, 9, 9, 9, 9, 9}));
    partlyGood.put("step", Matrix.wrap(1, 1, new double[] {-1}));
    assertThrows(IllegalArgumentException.class, () -> optimizer.importState(partlyGood));
    assertEquals(good, optimizer.exportState());
  }

  @Test
  void plainSgdStaysTheSeedUpdateBitForBit() {
    for (DType dtype : DType.values()) {
      Parameter p = parameter(dtype);
      Matrix expected = MatrixOps.axpy(-0.3, p.grad(), p.value().copy());
      OptimizerSettings.sgd(0.3).create(List.of(p)).step();
      assertEquals(expected, p.value(), dtype.toString());
    }
  }

  @Test
  void momentumWithZeroCoefficientIsPlainSgd() {
    Parameter a = parameter(DType.FLOAT64);
    Parameter b = parameter(DType.FLOAT64);
    Optimizer plain = OptimizerSettings.sgd(0.3).create(List.of(a));
    Optimizer momentum = new OptimizerSettings(Kind.MOMENTUM, 0.3).withMomentum(0).create(List.of(b));
    for (int s = 0; s < 3; s++) {
      plain.step();
      momentum.step();
    }
    assertEquals(a.value(), b.value());
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void weightDecayLeavesTheGradientAlone(Kind kind) {
    for (DType dtype : DType.values()) {
      Parameter p = parameter(dtype);
      Matrix gradient = p.grad().copy();
      OptimizerSettings.defaults(kind).withWeightDecay(0.5).create(List.of(p)).step();
      assertEquals(gradient, p.grad(), kind.id() + " " + dtype);
    }
  }

  @Test
  void adamWShrinksEveryWeightByTheSameFactorBeforeTheAdamStep() {
    // with g = 0 the moments stay 0 and the Adam step is 0: only the decay w (1 - lr wd) remains
    Parameter p = parameter(DType.FLOAT64);
    p.grad().fill(0);
    Matrix before = p.value().copy();
    new AdamW(List.of(p), 0.1, 0.5).step();
    for (int i = 0; i < before.size(); i++) {
      assertEquals(before.getFlat(i) * (1 - 0.1 * 0.5), p.value().getFlat(i), 0.0, "weight " + i);
    }
  }

  @Test
  void rmsPropFirstStepIsTheGradientOverItsScaledRoot() {
    // s = (1 - alpha) g^2, so w moves by lr g / (sqrt(1 - alpha) |g| + eps) = lr sign(g) / sqrt(0.01)
    Parameter p = parameter(DType.FLOAT64);
    Matrix before = p.value().copy();
    new RmsProp(List.of(p), 0.01).step();
    for (int i = 0; i < before.size(); i++) {
      double g = p.grad().getFlat(i);
      double expected = before.getFlat(i) - 0.01 * g / (Math.sqrt(0.01 * g * g) + 1e-8);
      assertEquals(expected, p.value().getFlat(i), 1e-15, "weight " + i);
      assertEquals(before.getFlat(i) - 0.1 * Math.signum(g), p.value().getFlat(i), 1e-6, "weight " + i);
    }
  }

  private static void assertMessageNames(String key, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
  }
}
