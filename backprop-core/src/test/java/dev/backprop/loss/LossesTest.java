package dev.backprop.loss;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activation;
import dev.backprop.nn.activation.Activations;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import dev.backprop.train.Objective;
import org.junit.jupiter.api.Test;

/** The losses' values and output deltas against hand-computed and naive reference values. */
class LossesTest {
  // a tiny identity-output batch: a - y = [[1, 0], [2, -0.5]]
  private static final double[][] A = {{1, 2}, {3, 0.5}};
  private static final double[][] Y = {{0, 2}, {1, 1}};

  @Test
  void sseIsHalfTheSumOfSquares() {
    Matrix a = Matrix.of(DType.FLOAT64, A);
    // 1/2 (1 + 0 + 4 + 0.25) = 2.625
    assertEquals(2.625, SquaredErrorLoss.sse().value(a, a, Matrix.of(DType.FLOAT64, Y)), 1e-15);
  }

  @Test
  void sseDeltaThroughIdentityIsTheError() {
    Matrix a = Matrix.of(DType.FLOAT64, A);
    Matrix delta = a.zerosLike();
    Objective.of(SquaredErrorLoss.sse(), Activations.identity()).outputDelta(a, a, Matrix.of(DType.FLOAT64, Y), delta);
    assertArrayEquals2d(new double[][] {{1, 0}, {2, -0.5}}, delta, 1e-15);
  }

  @Test
  void sseDeltaThroughSigmoidChainsTheDerivative() {
    Matrix z = Matrix.of(DType.FLOAT64, new double[][] {{0, Math.log(3)}});
    Matrix a = z.zerosLike();
    Activations.sigmoid().forward(z, a);
    Matrix y = Matrix.of(DType.FLOAT64, new double[][] {{1, 0}});
    Matrix delta = z.zerosLike();
    Objective.of(SquaredErrorLoss.sse(), Activations.sigmoid()).outputDelta(z, a, y, delta);
    // (a - y) a (1 - a): (0.5 - 1) 0.25 = -0.125; (0.75 - 0) 0.1875 = 0.140625
    assertArrayEquals2d(new double[][] {{-0.125, 0.140625}}, delta, 1e-15);
  }

  @Test
  void mseIsTheMeanOverBatchAndOutputs() {
    Matrix a = Matrix.of(DType.FLOAT64, A);
    Matrix y = Matrix.of(DType.FLOAT64, Y);
    // (1 + 0 + 4 + 0.25) / 4 = 1.3125
    assertEquals(1.3125, SquaredErrorLoss.mse().value(a, a, y), 1e-15);
    Matrix delta = a.zerosLike();
    Objective.of(SquaredErrorLoss.mse(), Activations.identity()).outputDelta(a, a, y, delta);
    // 2 (a - y) / (2 * 2)
    assertArrayEquals2d(new double[][] {{0.5, 0}, {1, -0.25}}, delta, 1e-15);
  }

  @Test
  void crossEntropyIsMeanNegativeLogSoftmaxOfTheTrueClass() {
    long seed = 5150;
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    int m = 4;
    int n = 5;
    Matrix z = Matrix.zeros(DType.FLOAT64, m, n);
    for (int i = 0; i < z.size(); i++) {
      z.setFlat(i, random.nextDouble(0.1, 3) * (random.nextDouble() < 0.5 ? -1 : 1));
    }
    int[] labels = new int[m];
    Matrix y = z.zerosLike();
    for (int r = 0; r < m; r++) {
      labels[r] = random.nextInt(n);
      y.set(r, labels[r], 1);
    }
    Matrix a = z.zerosLike();
    Activations.softmax().forward(z, a);

    double expected = 0;
    for (int r = 0; r < m; r++) {
      double sumExp = 0;
      for (int j = 0; j < n; j++) {
        sumExp += Math.exp(z.get(r, j));
      }
      expected -= z.get(r, labels[r]) - Math.log(sumExp);
    }
    expected /= m;
    assertEquals(expected, new CrossEntropyLoss().value(z, a, y), 1e-13);

    Matrix delta = z.zerosLike();
    Objective.of(new CrossEntropyLoss(), Activations.softmax()).outputDelta(z, a, y, delta);
    for (int r = 0; r < m; r++) {
      double sumExp = 0;
      for (int j = 0; j < n; j++) {
        sumExp += Math.exp(z.get(r, j));
      }
      for (int j = 0; j < n; j++) {
        double softmax = Math.exp(z.get(r, j)) / sumExp;
        assertEquals((softmax - y.get(r, j)) / m, delta.get(r, j), 1e-15, "row " + r + ", column " + j);
      }
    }
  }

  @Test
  void crossEntropyStaysFiniteForHugeLogits() {
    for (DType dtype : DType.values()) {
      Matrix z = Matrix.of(dtype, new double[][] {{1e4, 0, -1e4}, {1e4, 0, -1e4}});
      Matrix a = z.zerosLike();
      Activations.softmax().forward(z, a);
      // row 0 is right: -log(1 / (1 + e^-1e4 + e^-2e4)) = 0; row 1 is wrong: -(0 - 1e4) = 1e4
      Matrix y = Matrix.of(dtype, new double[][] {{1, 0, 0}, {0, 1, 0}});
      double value = new CrossEntropyLoss().value(z, a, y);
      assertTrue(Double.isFinite(value), dtype + ": " + value);
      assertEquals(5e3, value, 1e-9, dtype.toString());
    }
  }

  @Test
  void binaryCrossEntropyMatchesTheNaiveFormula() {
    long seed = 6060;
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    Matrix z = Matrix.zeros(DType.FLOAT64, 3, 4);
    Matrix y = z.zerosLike();
    for (int i = 0; i < z.size(); i++) {
      z.setFlat(i, random.nextDouble(0.1, 4) * (random.nextDouble() < 0.5 ? -1 : 1));
      y.setFlat(i, random.nextInt(2));
    }
    Matrix a = z.zerosLike();
    Activations.sigmoid().forward(z, a);
    double expected = 0;
    for (int i = 0; i < z.size(); i++) {
      double s = 1 / (1 + Math.exp(-z.getFlat(i)));
      double t = y.getFlat(i);
      expected -= t * Math.log(s) + (1 - t) * Math.log(1 - s);
    }
    expected /= z.size();
    assertEquals(expected, new BinaryCrossEntropyLoss().value(z, a, y), 1e-13);

    Matrix delta = z.zerosLike();
    Objective.of(new BinaryCrossEntropyLoss(), Activations.sigmoid()).outputDelta(z, a, y, delta);
    for (int i = 0; i < z.size(); i++) {
      double s = 1 / (1 + Math.exp(-z.getFlat(i)));
      assertEquals((s - y.getFlat(i)) / z.size(), delta.getFlat(i), 1e-15, "element " + i);
    }
  }

  @Test
  void binaryCrossEntropyStaysFiniteWhereTheNaiveFormulaTakesLogOfZero() {
    // sigma(100) rounds to exactly 1 in double, so the naive -log(1 - sigma(100)) is infinite
    double s = 1 / (1 + Math.exp(-100.0));
    assertTrue(Double.isInfinite(-Math.log(1 - s)));
    for (DType dtype : DType.values()) {
      Matrix z = Matrix.of(dtype, new double[][] {{100, -100}, {100, -100}});
      Matrix a = z.zerosLike();
      Activations.sigmoid().forward(z, a);
      // row 0 is wrong both times: -log(1 - sigma(100)) = softplus(100) = 100 + log(1 + e^-100), about 100;
      // row 1 is right both times: -log(sigma(100)) = log(1 + e^-100), about 4e-44
      Matrix y = Matrix.of(dtype, new double[][] {{0, 1}, {1, 0}});
      double value = new BinaryCrossEntropyLoss().value(z, a, y);
      assertTrue(Double.isFinite(value), dtype + ": " + value);
      assertEquals(50.0, value, 1e-12, dtype.toString());
    }
  }

  @Test
  void crossEntropyNeedsSoftmaxAndBinaryCrossEntropyNeedsSigmoid() {
    assertThrows(IllegalArgumentException.class, () -> Objective.of(new CrossEntropyLoss(), Activations.sigmoid()));
    assertThrows(IllegalArgumentException.class, () -> Objective.of(new CrossEntropyLoss(), Activations.identity()));
    assertThrows(IllegalArgumentException.class,
        () -> Objective.of(new BinaryCrossEntropyLoss(), Activations.softmax()));
    assertThrows(IllegalArgumentException.class, () -> Objective.of(new BinaryCrossEntropyLoss(), Activations.relu()));
    assertDoesNotThrow(() -> Objective.of(new CrossEntropyLoss(), Activations.softmax()));
    assertDoesNotThrow(() -> Objective.of(new BinaryCrossEntropyLoss(), Activations.sigmoid()));
    for (String name : Activations.NAMES) {
      Activation output = Activations.byName(name);
      assertDoesNotThrow(() -> Objective.of(SquaredErrorLoss.sse(), output), name);
      assertDoesNotThrow(() -> Objective.of(SquaredErrorLoss.mse(), output), name);
    }
  }

  @Test
  void anObjectiveRefusesANetworkWithAMismatchedOutput() {
    assertThrows(IllegalArgumentException.class, () -> Objective.of(new CrossEntropyLoss(), Network.builder(3)
        .dense(2, Activations.sigmoid())
        .build()));
    assertThrows(IllegalArgumentException.class, () -> Objective.of(new BinaryCrossEntropyLoss(), Network.builder(3)
        .dense(2, Activations.softmax())
        .build()));
  }

  @Test
  void perSampleDividesOnlyTheSummedLossByRows() {
    assertTrue(SquaredErrorLoss.sse().sumsOverBatch());
    assertEquals(2.5, SquaredErrorLoss.sse().perSample(10, 4));
    assertFalse(SquaredErrorLoss.mse().sumsOverBatch());
    assertEquals(10.0, SquaredErrorLoss.mse().perSample(10, 4));
    assertEquals(10.0, new CrossEntropyLoss().perSample(10, 4));
    assertEquals(10.0, new BinaryCrossEntropyLoss().perSample(10, 4));
  }

  @Test
  void byNameRoundTripsEveryName() {
    for (String name : Losses.NAMES) {
      assertEquals(name, Losses.byName(name).name());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.byName("hinge"));
    for (String name : Losses.NAMES) {
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
  }

  private static void assertArrayEquals2d(double[][] expected, Matrix actual, double tol) {
    assertEquals(expected.length, actual.rows());
    assertEquals(expected[0].length, actual.cols());
    for (int r = 0; r < expected.length; r++) {
      for (int c = 0; c < expected[r].length; c++) {
        assertEquals(expected[r][c], actual.get(r, c), tol, "(" + r + ", " + c + ")");
      }
    }
  }
}
