package dev.backprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import dev.backprop.nn.activation.Activation;
import dev.backprop.nn.activation.Activations;
import dev.backprop.nn.activation.LeakyRelu;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The activations' values and derivatives at hand-computed points, their numerical range, and softmax. */
class ActivationsTest {
  private static final double EPS = 1e-14;

  // ---------------------------------------------------------------- element-wise values and derivatives

  @Test
  void sigmoidAtHandComputedPoints() {
    Activation f = Activations.sigmoid();
    double ln3 = Math.log(3);
    // sigma(0) = 1/2; sigma(ln 3) = 1 / (1 + 1/3) = 3/4; sigma(-ln 3) = 1 / (1 + 3) = 1/4
    assertValues(f, new double[] {0, ln3, -ln3}, new double[] {0.5, 0.75, 0.25}, EPS);
    // sigma' = sigma (1 - sigma): 1/4, 3/16, 3/16
    assertDerivatives(f, new double[] {0, ln3, -ln3}, new double[] {0.25, 0.1875, 0.1875}, EPS);
  }

  @Test
  void tanhAtHandComputedPoints() {
    Activation f = Activations.tanh();
    double ln2 = Math.log(2);
    // tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 3/5; tanh is odd
    assertValues(f, new double[] {0, ln2, -ln2}, new double[] {0, 0.6, -0.6}, EPS);
    // tanh' = 1 - tanh^2: 1, 16/25, 16/25
    assertDerivatives(f, new double[] {0, ln2, -ln2}, new double[] {1, 0.64, 0.64}, EPS);
  }

  @Test
  void reluAtHandComputedPoints() {
    Activation f = Activations.relu();
    assertValues(f, new double[] {-1, 2.5, 0, -0.001}, new double[] {0, 2.5, 0, 0}, 0);
    // the derivative at the kink is taken as 0, as PyTorch does
    assertDerivatives(f, new double[] {-1, 2.5, 0, 1e-9}, new double[] {0, 1, 0, 1}, 0);
  }

  @Test
  void leakyReluHasSlopeOneHundredth() {
    Activation f = Activations.leakyRelu();
    assertEquals(0.01, LeakyRelu.DEFAULT_SLOPE);
    // -2 * 0.01 = -0.02
    assertValues(f, new double[] {-2, 3, -100}, new double[] {-0.02, 3, -1}, EPS);
    assertDerivatives(f, new double[] {-2, 3, -100}, new double[] {0.01, 1, 0.01}, 0);
  }

  @Test
  void leakyReluWithOtherSlope() {
    Activation f = new LeakyRelu(0.2);
    assertValues(f, new double[] {-2, 3}, new double[] {-0.4, 3}, EPS);
    assertDerivatives(f, new double[] {-2, 3}, new double[] {0.2, 1}, 0);
    assertThrows(IllegalArgumentException.class, () -> new LeakyRelu(-0.1));
    assertThrows(IllegalArgumentException.class, () -> new LeakyRelu(1.0));
    assertThrows(IllegalArgumentException.class, () -> new LeakyRelu(Double.NaN));
  }

  @Test
  void identityPassesValuesAndGradientsThrough() {
    Activation f = Activations.identity();
    assertValues(f, new double[] {-3.5, 0.25, 7}, new double[] {-3.5, 0.25, 7}, 0);
    assertDerivatives(f, new double[] {-3.5, 0.25, 7}, new double[] {1, 1, 1}, 0);
  }

  @Test
  void backwardMultipliesTheIncomingGradientByTheDerivative() {
    long seed = 404;
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    for (String name : new String[] {"sigmoid", "tanh", "relu", "leaky-relu", "identity"}) {
      Activation f = Activations.byName(name);
      Matrix z = nonZero(DType.FLOAT64, 3, 4, random, 3.0);
      Matrix g = nonZero(DType.FLOAT64, 3, 4, random, 2.0);
      Matrix a = z.zerosLike();
      f.forward(z, a);
      Matrix delta = z.zerosLike();
      f.backward(z, a, g, delta);
      for (int i = 0; i < z.size(); i++) {
        double expected = g.getFlat(i) * derivativeByHand(name, z.getFlat(i));
        assertEquals(expected, delta.getFlat(i), 1e-14, name + " element " + i);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void sigmoidStaysFiniteForHugeInputs(DType dtype) {
    Activation f = Activations.sigmoid();
    Matrix z = Matrix.of(dtype, new double[][] {{1e4, -1e4, 800, -800}});
    Matrix a = z.zerosLike();
    f.forward(z, a);
    for (int i = 0; i < a.size(); i++) {
      double v = a.getFlat(i);
      assertFalse(Double.isNaN(v), "sigmoid(" + z.getFlat(i) + ") is NaN");
      assertTrue(v >= 0 && v <= 1, "sigmoid(" + z.getFlat(i) + ") = " + v);
    }
    // 1 / (1 + e^-10000) and e^-10000 / (1 + e^-10000) round to 1 and 0
    assertEquals(1.0, a.getFlat(0), 1e-300);
    assertEquals(0.0, a.getFlat(1), 1e-300);
    Matrix delta = z.zerosLike();
    f.backward(z, a, Matrix.zeros(dtype, 1, 4).fill(1.0), delta);
    assertTrue(delta.allFinite(), delta.toString());
    for (int i = 0; i < delta.size(); i++) {
      assertTrue(delta.getFlat(i) >= 0 && delta.getFlat(i) <= 0.25, delta.toString());
    }
  }

  // ---------------------------------------------------------------- softmax

  @ParameterizedTest
  @EnumSource(DType.class)
  void softmaxMatchesNaiveFormulaAndRowsSumToOne(DType dtype) {
    long seed = 17 + dtype.ordinal();
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    Matrix z = nonZero(dtype, 5, 7, random, 4.0);
    Matrix a = z.zerosLike();
    Activations.softmax().forward(z, a);
    double tol = dtype == DType.FLOAT32 ? 1e-6 : 1e-14;
    for (int r = 0; r < z.rows(); r++) {
      double denominator = 0;
      for (int j = 0; j < z.cols(); j++) {
        denominator += Math.exp(z.get(r, j));
      }
      double rowSum = 0;
      for (int j = 0; j < z.cols(); j++) {
        assertEquals(Math.exp(z.get(r, j)) / denominator, a.get(r, j), tol, "row " + r + ", column " + j);
        rowSum += a.get(r, j);
      }
      assertEquals(1.0, rowSum, tol, "row " + r);
    }
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void softmaxIgnoresAConstantAddedToARow(DType dtype) {
    long seed = 23 + dtype.ordinal();
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    Matrix z = nonZero(dtype, 4, 6, random, 3.0);
    Matrix shifted = z.copy();
    double[] shifts = {7.5, -12.25, 100, -0.5};
    for (int r = 0; r < z.rows(); r++) {
      for (int j = 0; j < z.cols(); j++) {
        shifted.set(r, j, z.get(r, j) + shifts[r]);
      }
    }
    Matrix a = z.zerosLike();
    Matrix b = z.zerosLike();
    Activations.softmax().forward(z, a);
    Activations.softmax().forward(shifted, b);
    // float32: adding 100 rounds each logit by up to 2^-17 relative to 100, about 4e-6 in the exponent
    double tol = dtype == DType.FLOAT32 ? 2e-5 : 1e-12;
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.getFlat(i), b.getFlat(i), tol, "element " + i);
    }
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void softmaxStaysFiniteForExtremeLogits(DType dtype) {
    Matrix z = Matrix.of(dtype, new double[][] {{1000, 0, -1000}, {-1000, -1000, -999}});
    Matrix a = z.zerosLike();
    Activations.softmax().forward(z, a);
    assertTrue(a.allFinite(), a.toString());
    // row 0: e^0 / (e^0 + e^-1000 + e^-2000) = 1
    assertEquals(1.0, a.get(0, 0), 1e-12);
    assertEquals(0.0, a.get(0, 1), 1e-12);
    assertEquals(0.0, a.get(0, 2), 1e-12);
    // row 1 after subtracting -999: [e^-1, e^-1, 1] / (2 e^-1 + 1)
    double e1 = Math.exp(-1);
    double tol = dtype == DType.FLOAT32 ? 1e-6 : 1e-15;
    assertEquals(e1 / (2 * e1 + 1), a.get(1, 0), tol);
    assertEquals(1 / (2 * e1 + 1), a.get(1, 2), tol);
  }

  @Test
  void softmaxBackwardIsTheJacobianVectorProduct() {
    long seed = 99;
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    int n = 5;
    Matrix z = nonZero(DType.FLOAT64, 3, n, random, 2.0);
    Matrix g = nonZero(DType.FLOAT64, 3, n, random, 1.0);
    Matrix a = z.zerosLike();
    Activation softmax = Activations.softmax();
    softmax.forward(z, a);
    Matrix delta = z.zerosLike();
    softmax.backward(z, a, g, delta);
    for (int r = 0; r < z.rows(); r++) {
      // the explicit Jacobian J[i][j] = d a_i / d z_j = a_i (delta_ij - a_j); dC/dz_j = sum_i g_i J[i][j]
      double[][] jacobian = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          jacobian[i][j] = a.get(r, i) * ((i == j ? 1 : 0) - a.get(r, j));
        }
      }
      for (int j = 0; j < n; j++) {
        double expected = 0;
        for (int i = 0; i < n; i++) {
          expected += g.get(r, i) * jacobian[i][j];
        }
        assertEquals(expected, delta.get(r, j), 1e-14, "row " + r + ", column " + j);
      }
    }
  }

  @Test
  void softmaxIsTheOnlyNonElementwiseActivation() {
    for (String name : Activations.NAMES) {
      assertEquals(!name.equals("softmax"), Activations.byName(name).elementwise(), name);
    }
  }

  // ---------------------------------------------------------------- names

  @Test
  void byNameRoundTripsEveryName() {
    assertEquals(6, Activations.NAMES.size());
    for (String name : Activations.NAMES) {
      assertEquals(name, Activations.byName(name).name());
    }
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activations.byName("swish"));
    assertTrue(e.getMessage().contains("swish"), e.getMessage());
    for (String name : Activations.NAMES) {
      assertTrue(e.getMessage().contains(name), () -> e.getMessage() + " lacks " + name);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static double derivativeByHand(String name, double z) {
    switch (name) {
      case "sigmoid": {
        double s = 1 / (1 + Math.exp(-z));
        return s * (1 - s);
      }
      case "tanh": {
        double t = Math.tanh(z);
        return 1 - t * t;
      }
      case "relu":
        return z > 0 ? 1 : 0;
      case "leaky-relu":
        return z > 0 ? 1 : 0.01;
      default:
        return 1;
    }
  }

  private static void assertValues(Activation f, double[] z, double[] expected, double tol) {
    for (DType dtype : DType.values()) {
      Matrix in = Matrix.of(dtype, new double[][] {z});
      Matrix out = in.zerosLike();
      f.forward(in, out);
      double t = dtype == DType.FLOAT32 ? Math.max(tol, 1e-6) : tol;
      for (int i = 0; i < z.length; i++) {
        assertEquals(expected[i], out.getFlat(i), t, f.name() + "(" + z[i] + ") in " + dtype);
      }
    }
  }

  /** f'(z) read off backward with an incoming gradient of ones. */
  private static void assertDerivatives(Activation f, double[] z, double[] expected, double tol) {
    for (DType dtype : DType.values()) {
      Matrix in = Matrix.of(dtype, new double[][] {z});
      Matrix a = in.zerosLike();
      f.forward(in, a);
      Matrix delta = in.zerosLike();
      f.backward(in, a, in.zerosLike().fill(1.0), delta);
      double t = dtype == DType.FLOAT32 ? Math.max(tol, 1e-6) : tol;
      for (int i = 0; i < z.length; i++) {
        assertEquals(expected[i], delta.getFlat(i), t, f.name() + "'(" + z[i] + ") in " + dtype);
      }
    }
  }

  /** Entries of magnitude in [0.05, scale) with a random sign: never zero. */
  private static Matrix nonZero(DType dtype, int rows, int cols, SeededRandom random, double scale) {
    Matrix m = Matrix.zeros(dtype, rows, cols);
    for (int i = 0; i < m.size(); i++) {
      double v = random.nextDouble(0.05, scale);
      m.setFlat(i, random.nextDouble() < 0.5 ? -v : v);
    }
    return m;
  }
}
