package dev.backprop.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import dev.backprop.nn.Parameter;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SGD and Adam updates against the textbook formulas, Adam's state round trip, and learning-rate checks. */
class OptimizersTest {

  @Test
  void sgdStepSubtractsLearningRateTimesGradient() {
    Parameter p = new Parameter("w", Matrix.of(DType.FLOAT64, new double[][] {{1, -2}, {0.5, 3}}));
    p.grad().copyFrom(Matrix.of(DType.FLOAT64, new double[][] {{0.5, -1}, {2, 0.25}}));
    Sgd sgd = new Sgd(List.of(p), 0.1);
    sgd.step();
    // 1 - 0.05 = 0.95; -2 + 0.1 = -1.9; 0.5 - 0.2 = 0.3; 3 - 0.025 = 2.975
    double[] expected = {0.95, -1.9, 0.3, 2.975};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], p.value().getFlat(i), 1e-15, "element " + i);
    }
    assertTrue(sgd.exportState().isEmpty());
  }

  @Test
  void sgdStepInFloat32() {
    Parameter p = new Parameter("w", Matrix.of(DType.FLOAT32, new double[][] {{1, -2}}));
    p.grad().copyFrom(Matrix.of(DType.FLOAT32, new double[][] {{4, -8}}));
    new Sgd(List.of(p), 0.25).step();
    // 1 - 1 = 0; -2 + 2 = 0 (exact in float32)
    assertEquals(0.0, p.value().get(0, 0));
    assertEquals(0.0, p.value().get(0, 1));
  }

  @Test
  void adamFollowsTheTextbookFormulasForThreeSteps() {
    double lr = 0.01;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double[] w0 = {0.5, -1.5};
    double[][] grads = {{0.2, -3.0}, {-0.1, -2.0}, {0.4, 1.0}};

    Parameter p = new Parameter("w", Matrix.wrap(1, 2, w0.clone()));
    Adam adam = new Adam(List.of(p), lr, beta1, beta2, eps);

    double[] w = w0.clone();
    double[] m = new double[2];
    double[] v = new double[2];
    double b1t = 1;
    double b2t = 1;
    for (int t = 1; t <= 3; t++) {
      b1t *= beta1;
      b2t *= beta2;
      for (int i = 0; i < 2; i++) {
        double g = grads[t - 1][i];
        m[i] = beta1 * m[i] + (1 - beta1) * g;
        v[i] = beta2 * v[i] + (1 - beta2) * g * g;
        double mHat = m[i] / (1 - b1t);
        double vHat = v[i] / (1 - b2t);
        w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
      }
      p.grad().set(0, 0, grads[t - 1][0]);
      p.grad().set(0, 1, grads[t - 1][1]);
      adam.step();
      for (int i = 0; i < 2; i++) {
        assertEquals(w[i], p.value().getFlat(i), 1e-13, "step " + t + ", weight " + i);
      }
    }
    assertEquals(3, adam.steps());
  }

  @Test
  void adamOnFloat32ParametersFollowsTheTextbookFormulasWithinFloatRounding() {
    double lr = 0.01;
    double[][] grads = {{0.2, -3.0}, {-0.1, -2.0}, {0.4, 1.0}};
    Parameter p = new Parameter("w", Matrix.wrap(1, 2, new float[] {0.5f, -1.5f}));
    Adam adam = new Adam(List.of(p), lr);

    double[] w = {0.5, -1.5};
    double[] m = new double[2];
    double[] v = new double[2];
    for (int t = 1; t <= 3; t++) {
      for (int i = 0; i < 2; i++) {
        double g = grads[t - 1][i];
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        double mHat = m[i] / (1 - Math.pow(0.9, t));
        double vHat = v[i] / (1 - Math.pow(0.999, t));
        w[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
      }
      p.grad().set(0, 0, grads[t - 1][0]);
      p.grad().set(0, 1, grads[t - 1][1]);
      adam.step();
      for (int i = 0; i < 2; i++) {
        // each step moves a weight by about lr = 0.01; float32 keeps about 7 digits of the weight itself
        assertEquals(w[i], p.value().getFlat(i), 1e-6, "step " + t + ", weight " + i);
      }
    }
  }

  @Test
  void adamPutsEpsilonOutsideTheSquareRoot() {
    // one step with g = 1e-4 and eps = 1e-4: m_hat = g, v_hat = g^2, so the step is
    // lr g / (|g| + eps) = lr / 2 with eps outside the root, but lr g / sqrt(g^2 + eps) = about lr / 100 inside
    Parameter p = new Parameter("w", Matrix.wrap(1, 1, new double[] {1.0}));
    p.grad().set(0, 0, 1e-4);
    new Adam(List.of(p), 0.1, 0.9, 0.999, 1e-4).step();
    assertEquals(1.0 - 0.05, p.value().get(0, 0), 1e-12);
  }

  @Test
  void adamFirstStepMovesEachWeightByAboutTheLearningRate() {
    long seed = 808;
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    double lr = 0.003;
    int n = 8;
    double[] w = new double[n];
    Parameter p = new Parameter("w", Matrix.wrap(1, n, w));
    double[] before = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = random.nextDouble(0.5, 2) * (random.nextDouble() < 0.5 ? -1 : 1);
      before[i] = w[i];
      // gradients over six orders of magnitude, of either sign
      double g = Math.pow(10, random.nextDouble(-3, 3));
      p.grad().set(0, i, random.nextDouble() < 0.5 ? -g : g);
    }
    new Adam(List.of(p), lr).step();
    for (int i = 0; i < n; i++) {
      double expectedMove = -lr * Math.signum(p.grad().get(0, i));
      // |g| >= 1e-3 and eps = 1e-8: the move is lr |g| / (|g| + eps), within 1e-5 of lr relatively
      assertEquals(expectedMove, w[i] - before[i], lr * 1e-4, "weight " + i);
    }
  }

  @Test
  void exportedStateContinuesLikeAnUninterruptedRun() {
    long seed = 909;
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    int steps = 6;
    int interruptAt = 2;
    double[][] grads = new double[steps][5];
    for (double[] g : grads) {
      for (int i = 0; i < g.length; i++) {
        g[i] = random.nextDouble(0.1, 1) * (random.nextDouble() < 0.5 ? -1 : 1);
      }
    }
    float[] start = new float[5];
    for (int i = 0; i < start.length; i++) {
      start[i] = (float) random.nextDouble(0.5, 1.5);
    }

    // uninterrupted: weight 1x3 and bias 1x2 together take the five gradient values
    Parameter w = new Parameter("layers.0.weight", Matrix.wrap(1, 3, new float[] {start[0], start[1], start[2]}));
    Parameter b = new Parameter("layers.0.bias", Matrix.wrap(1, 2, new float[] {start[3], start[4]}));
    Adam straight = new Adam(List.of(w, b), 0.01);
    Map<String, Matrix> saved = null;
    Matrix savedW = null;
    Matrix savedB = null;
    for (int s = 0; s < steps; s++) {
      if (s == interruptAt) {
        saved = straight.exportState();
        savedW = w.value().copy();
        savedB = b.value().copy();
      }
      setGrads(w, b, grads[s]);
      straight.step();
    }

    Parameter w2 = new Parameter("layers.0.weight", savedW.copy());
    Parameter b2 = new Parameter("layers.0.bias", savedB.copy());
    Adam resumed = new Adam(List.of(w2, b2), 0.01);
    resumed.importState(saved);
    assertEquals(interruptAt, resumed.steps());
    for (int s = interruptAt; s < steps; s++) {
      setGrads(w2, b2, grads[s]);
      resumed.step();
    }
    assertEquals(w.value(), w2.value());
    assertEquals(b.value(), b2.value());
    assertEquals(steps, resumed.steps());

    // a fresh Adam without the imported state goes elsewhere, so the comparison above can fail
    Parameter w3 = new Parameter("layers.0.weight", Matrix.wrap(1, 3, new float[] {start[0], start[1], start[2]}));
    Parameter b3 = new Parameter("layers.0.bias", Matrix.wrap(1, 2, new float[] {start[3], start[4]}));
    Adam fresh = new Adam(List.of(w3, b3), 0.01);
    for (int s = 0; s < interruptAt; s++) {
      setGrads(w3, b3, grads[s]);
      fresh.step();
    }
    assertEquals(savedW, w3.value(), "the first steps replay identically");
    Adam restarted = new Adam(List.of(w3, b3), 0.01);
    for (int s = interruptAt; s < steps; s++) {
      setGrads(w3, b3, grads[s]);
      restarted.step();
    }
    assertNotEquals(w.value(), w3.value());
  }

  @Test
  void exportedStateIsACopy() {
    Parameter p = new Parameter("w", Matrix.wrap(1, 2, new double[] {1, 2}));
    Adam adam = new Adam(List.of(p), 0.01);
    p.grad().fill(0.5);
    adam.step();
    Map<String, Matrix> state = adam.exportState();
    double m = state.get("w.m").get(0, 0);
    adam.step();
    assertEquals(m, state.get("w.m").get(0, 0));
    assertEquals(1.0, state.get("step").get(0, 0));
  }

  @Test
  void importStateRejectsMissingOrMisshapedEntries() {
    Parameter p = new Parameter("w", Matrix.wrap(1, 2, new double[] {1, 2}));
    Adam adam = new Adam(List.of(p), 0.01);
    Map<String, Matrix> good = adam.exportState();
    assertThrows(IllegalArgumentException.class, () -> adam.importState(Map.of("w.m", good.get("w.m"))));
    assertThrows(IllegalArgumentException.class, () -> adam.importState(Map.of(
        "w.m", Matrix.wrap(1, 3, new double[3]), "w.v", good.get("w.v"), "step", good.get("step"))));
    Sgd sgd = new Sgd(List.of(p), 0.1);
    assertThrows(IllegalArgumentException.class, () -> sgd.importState(good));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void invalidLearningRatesAreRejected(double lr) {
    Parameter p = new Parameter("w", Matrix.zeros(1, 2));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), lr));
    assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(p), lr));
    assertThrows(IllegalArgumentException.class, () -> OptimizerSettings.sgd(lr));
    assertThrows(IllegalArgumentException.class, () -> OptimizerSettings.adam(lr));
    Sgd sgd = new Sgd(List.of(p), 0.1);
    assertThrows(IllegalArgumentException.class, () -> sgd.setLearningRate(lr));
    assertEquals(0.1, sgd.learningRate());
    Adam adam = new Adam(List.of(p), 0.1);
    assertThrows(IllegalArgumentException.class, () -> adam.setLearningRate(lr));
    assertEquals(0.1, adam.learningRate());
  }

  @Test
  void settingsCreateTheNamedOptimizer() {
    Parameter p = new Parameter("w", Matrix.zeros(1, 2));
    Optimizer sgd = OptimizerSettings.sgd(0.2).create(List.of(p));
    Optimizer adam = OptimizerSettings.adam(0.002).create(List.of(p));
    assertEquals("sgd", sgd.name());
    assertEquals(0.2, sgd.learningRate());
    assertEquals("adam", adam.name());
    assertEquals(0.002, adam.learningRate());
    assertEquals(0.1, OptimizerSettings.defaultLearningRate(OptimizerSettings.Kind.SGD));
    assertEquals(1e-3, OptimizerSettings.defaultLearningRate(OptimizerSettings.Kind.ADAM));
  }

  private static void setGrads(Parameter w, Parameter b, double[] g) {
    for (int i = 0; i < 3; i++) {
      w.grad().set(0, i, g[i]);
    }
    for (int i = 0; i < 2; i++) {
      b.grad().set(0, i, g[3 + i]);
    }
  }
}
