package dev.backprop.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.internal.io.JsonObject;
import dev.backprop.nn.Parameter;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer against PyTorch's torch.optim: five steps from the same float64 parameters with the same
 * gradients, as recorded by {@code interop/golden_optimizers.py} in {@code golden/optimizers.json}; and
 * every optimizer's exported state continuing a run exactly.
 */
class OptimizerGoldenTest {
  private static final String GOLDEN = "/golden/optimizers.json";
  private static final JsonObject DOCUMENT = load();
  private static final double FLOAT64_TOLERANCE = 1e-12;
  private static final double FLOAT32_TOLERANCE = 1e-5;

  static Stream<Arguments> configs() {
    return DOCUMENT.objectList("configs").stream().map(c -> Arguments.of(c.string("name"), c));
  }

  @Test
  void theGoldenFileCoversEveryKindWithAndWithoutWeightDecay() {
    assertFalse(DOCUMENT.string("torch_version").isEmpty());
    Set<OptimizerSettings.Kind> plain = EnumSet.noneOf(OptimizerSettings.Kind.class);
    Set<OptimizerSettings.Kind> decayed = EnumSet.noneOf(OptimizerSettings.Kind.class);
    for (JsonObject config : DOCUMENT.objectList("configs")) {
      OptimizerSettings settings = settings(config);
      (settings.weightDecay() == 0 ? plain : decayed).add(settings.kind());
      assertEquals(DOCUMENT.objectList("gradients").size(), config.objectList("steps").size(), config.string("name"));
    }
    plain.remove(OptimizerSettings.Kind.ADAMW); // AdamW without decay is Adam
    assertEquals(EnumSet.complementOf(EnumSet.of(OptimizerSettings.Kind.ADAMW)), plain);
    assertEquals(EnumSet.allOf(OptimizerSettings.Kind.class), decayed);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void float64MatchesPyTorch(String name, JsonObject config) {
    double worst = followGolden(config, DType.FLOAT64, FLOAT64_TOLERANCE);
    System.out.printf("%s float64: largest relative deviation from PyTorch %.3g%n", name, worst);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void float32MatchesPyTorchWithinFloatRounding(String name, JsonObject config) {
    double worst = followGolden(config, DType.FLOAT32, FLOAT32_TOLERANCE);
    System.out.printf("%s float32: largest relative deviation from PyTorch %.3g%n", name, worst);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void importedStateContinuesBitIdentically(String name, JsonObject config) {
    for (DType dtype : DType.values()) {
      OptimizerSettings settings = settings(config);
      int steps = DOCUMENT.objectList("gradients").size();
      int interruptAt = 3;

      Parameter[] straight = startingParameters(dtype);
      Optimizer uninterrupted = settings.create(List.of(straight));
      Map<String, Matrix> saved = null;
      Matrix[] savedValues = null;
      for (int s = 0; s < steps; s++) {
        if (s == interruptAt) {
          saved = uninterrupted.exportState();
          savedValues = new Matrix[] {straight[0].value().copy(), straight[1].value().copy()};
        }
        setGradients(straight, s);
        uninterrupted.step();
      }

      Parameter[] resumedParameters = {
        new Parameter("layers.0.weight", savedValues[0].copy()), new Parameter("layers.0.bias", savedValues[1].copy())
      };
      Optimizer resumed = settings.create(List.of(resumedParameters));
      resumed.importState(saved);
      for (int s = interruptAt; s < steps; s++) {
        setGradients(resumedParameters, s);
        resumed.step();
      }
      assertEquals(straight[0].value(), resumedParameters[0].value(), name + " " + dtype);
      assertEquals(straight[1].value(), resumedParameters[1].value(), name + " " + dtype);

      // without the imported state a stateful optimizer goes elsewhere, so the comparison above can fail
      if (!saved.isEmpty()) {
        Parameter[] restarted = {
          new Parameter("layers.0.weight", savedValues[0].copy()), new Parameter("layers.0.bias", savedValues[1].copy())
        };
        Optimizer fresh = settings.create(List.of(restarted));
        for (int s = interruptAt; s < steps; s++) {
          setGradients(restarted, s);
          fresh.step();
        }
        assertNotEquals(straight[0].value(), restarted[0].value(), name + " " + dtype);
      }
    }
  }

  /** Runs the configuration in {@code dtype} and checks every step; returns the largest relative deviation. */
  private static double followGolden(JsonObject config, DType dtype, double tolerance) {
    OptimizerSettings settings = settings(config);
    Parameter[] parameters = startingParameters(dtype);
    Optimizer optimizer = settings.create(List.of(parameters));
    assertEquals(config.string("optimizer"), optimizer.name());
    List<JsonObject> expected = config.objectList("steps");
    double worst = 0;
    for (int s = 0; s < expected.size(); s++) {
      setGradients(parameters, s);
      optimizer.step();
      worst = Math.max(worst, compare(config, s, "weight", expected.get(s).doubleArray("weight"), parameters[0],
          tolerance));
      worst = Math.max(worst, compare(config, s, "bias", expected.get(s).doubleArray("bias"), parameters[1],
          tolerance));
    }
    return worst;
  }

  private static double compare(JsonObject config, int step, String what, double[] expected, Parameter actual,
      double tolerance) {
    assertEquals(expected.length, actual.value().size());
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      int index = i;
      double want = expected[i];
      double got = actual.value().getFlat(i);
      double deviation = Math.abs(got - want) / Math.max(1, Math.abs(want));
      assertTrue(deviation <= tolerance, () -> String.format("%s, step %d, %s[%d]: PyTorch %s, Backprop %s",
          config.string("name"), step + 1, what, index, want, got));
      worst = Math.max(worst, deviation);
    }
    return worst;
  }

  private static OptimizerSettings settings(JsonObject config) {
    return new OptimizerSettings(OptimizerSettings.Kind.parse(config.string("optimizer")),
        config.number("learning_rate"), config.number("momentum"), config.number("weight_decay"));
  }

  private static Parameter[] startingParameters(DType dtype) {
    return new Parameter[] {
      new Parameter("layers.0.weight", matrix(DOCUMENT.object("weight"), dtype)),
      new Parameter("layers.0.bias", matrix(DOCUMENT.object("bias"), dtype))
    };
  }

  private static Matrix matrix(JsonObject spec, DType dtype) {
    double[] values = spec.doubleArray("values");
    Matrix m = Matrix.zeros(dtype, spec.intValue("rows"), spec.intValue("cols"));
    assertEquals(m.size(), values.length);
    for (int i = 0; i < values.length; i++) {
      m.setFlat(i, values[i]);
    }
    return m;
  }

  private static void setGradients(Parameter[] parameters, int step) {
    JsonObject g = DOCUMENT.objectList("gradients").get(step);
    double[] dW = g.doubleArray("weight");
    double[] db = g.doubleArray("bias");
    for (int i = 0; i < dW.length; i++) {
      parameters[0].grad().setFlat(i, dW[i]);
    }
    for (int i = 0; i < db.length; i++) {
      parameters[1].grad().setFlat(i, db[i]);
    }
  }

  private static JsonObject load() {
    try (InputStream in = OptimizerGoldenTest.class.getResourceAsStream(GOLDEN)) {
      if (in == null) {
        throw new IllegalStateException(GOLDEN + " is missing; run interop/golden_optimizers.py");
      }
      return JsonObject.parse(GOLDEN, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
