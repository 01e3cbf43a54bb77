package dev.backprop.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backprop.SeededRandom;
import dev.backprop.tensor.Matrix;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Classification and regression metrics on small examples worked out by hand. */
class MetricsTest {
  private static final double EPS = 1e-15;

  @Test
  void threeClassExampleByHand() {
    int[] truth = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
    int[] predicted = {0, 0, 1, 2, 1, 1, 0, 2, 2, 1};
    ClassificationMetrics m = ClassificationMetrics.of(truth, predicted, List.of("a", "b", "c"));

    // rows = true class, columns = predicted class
    //   true a: 2 a, 1 b, 1 c
    //   true b: 1 a, 2 b, 0 c
    //   true c: 0 a, 1 b, 2 c
    assertArrayEquals(new long[] {2, 1, 1}, m.confusion()[0]);
    assertArrayEquals(new long[] {1, 2, 0}, m.confusion()[1]);
    assertArrayEquals(new long[] {0, 1, 2}, m.confusion()[2]);
    // 6 of 10 on the diagonal
    assertEquals(0.6, m.accuracy(), EPS);
    // precision = diagonal / column sum: a 2/3, b 2/4, c 2/3
    assertArrayEquals(new double[] {2.0 / 3, 0.5, 2.0 / 3}, m.precision(), EPS);
    // recall = diagonal / row sum: a 2/4, b 2/3, c 2/3
    assertArrayEquals(new double[] {0.5, 2.0 / 3, 2.0 / 3}, m.recall(), EPS);
    // F1 = 2pr / (p + r): a (2/3) / (7/6) = 4/7, b the same, c 2/3
    assertArrayEquals(new double[] {4.0 / 7, 4.0 / 7, 2.0 / 3}, m.f1(), EPS);
    // (4/7 + 4/7 + 2/3) / 3 = 38/63
    assertEquals(38.0 / 63, m.macroF1(), EPS);
    assertEquals(List.of("a", "b", "c"), m.classes());
  }

  @Test
  void aClassNeverPredictedHasPrecisionZero() {
    int[] truth = {0, 1, 2, 2};
    int[] predicted = {0, 1, 1, 0};
    ClassificationMetrics m = ClassificationMetrics.of(truth, predicted, List.of("x", "y", "z"));
    // class z: no predictions (0/0 -> 0, as zero_division=0), none of its 2 rows found
    assertEquals(0.0, m.precision()[2]);
    assertEquals(0.0, m.recall()[2]);
    assertEquals(0.0, m.f1()[2]);
    // class x: predicted twice, right once -> 1/2; its one row found -> 1; F1 = 2 (1/2) / (3/2) = 2/3
    assertEquals(0.5, m.precision()[0], EPS);
    assertEquals(1.0, m.recall()[0], EPS);
    assertEquals(2.0 / 3, m.f1()[0], EPS);
    assertEquals(0.5, m.accuracy(), EPS);
  }

  @Test
  void aClassAbsentEverywhereHasAllZeros() {
    ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 1}, new int[] {0, 1}, List.of("p", "q", "r"));
    assertEquals(1.0, m.accuracy());
    assertArrayEquals(new double[] {1, 1, 0}, m.precision());
    assertArrayEquals(new double[] {1, 1, 0}, m.recall());
    assertArrayEquals(new double[] {1, 1, 0}, m.f1());
  }

  @Test
  void mismatchedLengthsAreRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> ClassificationMetrics.of(new int[] {0, 1}, new int[] {0}, List.of("a", "b")));
  }

  @Test
  void regressionOnATinyExampleByHand() {
    Matrix truth = Matrix.of(new double[][] {{1}, {2}, {3}, {4}});
    Matrix predicted = Matrix.of(new double[][] {{1.5}, {2}, {2}, {5}});
    RegressionMetrics m = RegressionMetrics.of(truth, predicted);
    // errors 0.5, 0, -1, 1: squares 0.25, 0, 1, 1 (sum 2.25), absolute 0.5, 0, 1, 1 (sum 2.5)
    assertEquals(2.25 / 4, m.mse(), EPS);
    assertEquals(2.5 / 4, m.mae(), EPS);
    // mean 2.5, SS_tot = 2.25 + 0.25 + 0.25 + 2.25 = 5, R^2 = 1 - 2.25 / 5 = 0.55
    assertEquals(0.55, m.r2(), EPS);
  }

  @Test
  void regressionAveragesOverOutputs() {
    Matrix truth = Matrix.of(new double[][] {{1, 2}, {2, 4}, {3, 6}, {4, 8}});
    Matrix predicted = Matrix.of(new double[][] {{1.5, 2}, {2, 4}, {2, 6}, {5, 8}});
    RegressionMetrics m = RegressionMetrics.of(truth, predicted);
    // the second output is exact: squared errors 2.25 and absolute errors 2.5 over 8 values
    assertEquals(2.25 / 8, m.mse(), EPS);
    assertEquals(2.5 / 8, m.mae(), EPS);
    // (0.55 + 1) / 2
    assertEquals(0.775, m.r2(), EPS);
  }

  @Test
  void constantTruthHasR2OneOnlyWhenExact() {
    Matrix truth = Matrix.of(new double[][] {{3}, {3}, {3}});
    assertEquals(1.0, RegressionMetrics.of(truth, truth.copy()).r2());
    assertEquals(0.0, RegressionMetrics.of(truth, Matrix.of(new double[][] {{3}, {3}, {4}})).r2());
  }

  @Test
  void perfectPredictionsGiveR2One() {
    long seed = 2024;
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    Matrix truth = Matrix.zeros(20, 3);
    for (int i = 0; i < truth.size(); i++) {
      truth.setFlat(i, random.nextDouble(0.5, 10) * (random.nextDouble() < 0.5 ? -1 : 1));
    }
    RegressionMetrics m = RegressionMetrics.of(truth, truth.copy());
    assertEquals(1.0, m.r2());
    assertEquals(0.0, m.mse());
    assertEquals(0.0, m.mae());
  }
}
