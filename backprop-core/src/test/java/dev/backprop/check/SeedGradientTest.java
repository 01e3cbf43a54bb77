package dev.backprop.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import org.junit.jupiter.api.Test;

/** Rung 1 of the verification ladder: the seed's derivation against central finite differences. */
class SeedGradientTest {
  private static final long SEED = 20261128L;

  static double[][] randomMatrix(int rows, int cols, SeededRandom random, double scale) {
    double[][] m = new double[rows][cols];
    for (double[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = random.nextDouble(-scale, scale);
      }
    }
    return m;
  }

  @Test
  void seedGradientsMatchFiniteDifferences() {
    System.out.println("seed " + SEED);
    SeededRandom random = new SeededRandom(SEED);
    for (int batch : new int[] {1, 7}) {
      SeedNetwork seed = SeedNetwork.random(5, 4, 3, random);
      double[][] a0 = randomMatrix(batch, 5, random, 2.0);
      double[][] y = randomMatrix(batch, 3, random, 0.5);
      GradientCheck.Report report = GradientCheck.checkSeed(seed, a0, y, GradientCheck.DEFAULT_STEP);
      assertEquals(4, report.results().size());
      assertTrue(report.passed(1e-6), () -> "batch " + batch + ": " + report);
    }
  }

  @Test
  void aWrongGradientIsCaught() {
    // The check must be able to fail: compare the seed's dW1 against the cost of a different network.
    SeededRandom random = new SeededRandom(SEED + 1);
    SeedNetwork seed = SeedNetwork.random(3, 2, 2, random);
    double[][] a0 = randomMatrix(4, 3, random, 1.0);
    double[][] y = randomMatrix(4, 2, random, 0.5);
    double analytic = seed.gradients(seed.forward(a0), y).dW1()[0][0];
    double numeric = GradientCheck.numericSeed(seed, 0, 0, a0, y, 1e-6);
    assertTrue(GradientCheck.relativeError(analytic, numeric) < 1e-6);
    assertTrue(GradientCheck.relativeError(analytic * 1.001, numeric) > 1e-4);
  }

  @Test
  void oneStepLowersTheCost() {
    SeededRandom random = new SeededRandom(SEED + 2);
    SeedNetwork seed = SeedNetwork.random(4, 3, 2, random);
    double[][] a0 = randomMatrix(6, 4, random, 1.0);
    double[][] y = randomMatrix(6, 2, random, 0.5);
    double before = seed.cost(a0, y);
    seed.step(a0, y, 0.1);
    assertTrue(seed.cost(a0, y) < before);
  }

  @Test
  void sigmoidIsStableAtTheExtremes() {
    assertEquals(1.0, SeedNetwork.sigma(1e4));
    assertEquals(0.0, SeedNetwork.sigma(-1e4));
    assertEquals(0.5, SeedNetwork.sigma(0));
    assertEquals(0.0, SeedNetwork.sigmaPrime(1e4));
    assertTrue(Double.isFinite(SeedNetwork.sigmaPrime(-1e4)));
  }
}
