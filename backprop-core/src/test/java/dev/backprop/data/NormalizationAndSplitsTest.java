package dev.backprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.InvalidInputException;
import dev.backprop.SeededRandom;
import dev.backprop.tensor.Matrix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Feature scaling fitted on training rows, and seeded stratified train/test splits. */
class NormalizationAndSplitsTest {

  // ---------------------------------------------------------------- normalization

  @Test
  void standardScalingGivesMeanZeroAndPopulationStdOne() {
    long seed = 71;
    System.out.println("seed " + seed);
    Matrix x = features(60, new double[] {5, -300, 0.01}, new double[] {2, 50, 0.003}, seed);
    Normalization norm = Normalization.fit(Normalization.Kind.STANDARD, x);
    Matrix scaled = norm.apply(x);
    for (int j = 0; j < x.cols(); j++) {
      double mean = 0;
      for (int i = 0; i < x.rows(); i++) {
        mean += scaled.get(i, j);
      }
      mean /= x.rows();
      double var = 0;
      for (int i = 0; i < x.rows(); i++) {
        var += (scaled.get(i, j) - mean) * (scaled.get(i, j) - mean);
      }
      // population variance: divide by n, not n - 1
      assertEquals(0.0, mean, 1e-6, "mean of feature " + j);
      assertEquals(1.0, Math.sqrt(var / x.rows()), 1e-6, "std of feature " + j);
    }
  }

  @Test
  void standardScalingStoresMeanAndPopulationStd() {
    // feature 0: 1, 2, 3, 6 -> mean 3, squared deviations 4, 1, 0, 9 -> variance 14/4 = 3.5
    Matrix x = Matrix.of(new double[][] {{1}, {2}, {3}, {6}});
    Normalization norm = Normalization.fit(Normalization.Kind.STANDARD, x);
    assertEquals(3.0, norm.offset()[0], 1e-15);
    assertEquals(Math.sqrt(3.5), norm.scale()[0], 1e-15);
  }

  @Test
  void constantFeatureGetsScaleOne() {
    Matrix x = Matrix.of(new double[][] {{7.5, 1}, {7.5, 2}, {7.5, 4}});
    for (Normalization.Kind kind : new Normalization.Kind[] {Normalization.Kind.STANDARD,
        Normalization.Kind.MINMAX}) {
      Normalization norm = Normalization.fit(kind, x);
      assertEquals(1.0, norm.scale()[0], kind.id());
      assertEquals(7.5, norm.offset()[0], kind.id());
      Matrix scaled = norm.apply(x);
      for (int i = 0; i < x.rows(); i++) {
        assertEquals(0.0, scaled.get(i, 0), kind.id());
      }
    }
  }

  @Test
  void minmaxMapsTheTrainingRangeToZeroOne() {
    long seed = 72;
    System.out.println("seed " + seed);
    Matrix x = features(40, new double[] {-20, 3, 1000}, new double[] {4, 0.5, 200}, seed);
    Matrix scaled = Normalization.fit(Normalization.Kind.MINMAX, x).apply(x);
    for (int j = 0; j < x.cols(); j++) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      double rawMin = Double.POSITIVE_INFINITY;
      double rawMax = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < x.rows(); i++) {
        min = Math.min(min, scaled.get(i, j));
        max = Math.max(max, scaled.get(i, j));
        rawMin = Math.min(rawMin, x.get(i, j));
        rawMax = Math.max(rawMax, x.get(i, j));
      }
      assertEquals(0.0, min, 1e-7, "feature " + j);
      assertEquals(1.0, max, 1e-7, "feature " + j);
      // every value lands where the linear map (x - min) / (max - min) puts it
      for (int i = 0; i < x.rows(); i++) {
        double expected = (x.get(i, j) - rawMin) / (rawMax - rawMin);
        assertEquals(expected, scaled.get(i, j), 1e-6, "row " + i + ", feature " + j);
      }
    }
  }

  @Test
  void noneIsTheIdentity() {
    long seed = 73;
    System.out.println("seed " + seed);
    Matrix x = features(10, new double[] {3, -8}, new double[] {1, 5}, seed);
    Normalization none = Normalization.fit(Normalization.Kind.NONE, x);
    assertEquals(x, none.apply(x));
    assertArrayEquals(new double[] {0, 0}, none.offset());
    assertArrayEquals(new double[] {1, 1}, none.scale());
    Dataset data = Dataset.regression("t", List.of("a", "b"), x, Matrix.zeros(10, 1).fill(1));
    assertSame(data, none.apply(data));
  }

  @Test
  void fittingOnTrainingRowsAppliesTheSameMapToOtherRows() {
    Matrix train = Matrix.of(new double[][] {{0}, {4}});
    Normalization norm = Normalization.fit(Normalization.Kind.STANDARD, train);
    // mean 2, population std 2: 10 -> (10 - 2) / 2 = 4
    assertEquals(4.0, norm.apply(Matrix.of(new double[][] {{10}})).get(0, 0));
    assertThrows(IllegalArgumentException.class, () -> norm.apply(Matrix.zeros(1, 2)));
  }

  @Test
  void fittingRowByRowGivesTheBitsOfAColumnByColumnFit() {
    long seed = 77;
    System.out.println("seed " + seed);
    Matrix floats = features(3001, new double[] {5, -300, 0.01, 7, 1e6}, new double[] {2, 50, 0.003, 0, 3e5}, seed);
    // the fit reads a float32 matrix's array and a float64 one element by element: both against the same reference
    assertFitIsTheColumnLoops(floats);
    assertFitIsTheColumnLoops(floats.to(dev.backprop.tensor.DType.FLOAT64));
  }

  private static void assertFitIsTheColumnLoops(Matrix x) {
    for (Normalization.Kind kind : List.of(Normalization.Kind.STANDARD, Normalization.Kind.MINMAX)) {
      Normalization fitted = Normalization.fit(kind, x);
      for (int j = 0; j < x.cols(); j++) {
        // the fit as a loop per column, summing in row order
        double offset;
        double scale;
        if (kind == Normalization.Kind.STANDARD) {
          double mean = 0;
          for (int i = 0; i < x.rows(); i++) {
            mean += x.get(i, j);
          }
          mean /= x.rows();
          double var = 0;
          for (int i = 0; i < x.rows(); i++) {
            var += (x.get(i, j) - mean) * (x.get(i, j) - mean);
          }
          double std = Math.sqrt(var / x.rows());
          offset = mean;
          scale = std > 1e-12 ? std : 1.0;
        } else {
          double min = Double.POSITIVE_INFINITY;
          double max = Double.NEGATIVE_INFINITY;
          for (int i = 0; i < x.rows(); i++) {
            min = Math.min(min, x.get(i, j));
            max = Math.max(max, x.get(i, j));
          }
          offset = min;
          scale = max - min > 1e-12 ? max - min : 1.0;
        }
        assertEquals(Double.doubleToRawLongBits(offset), Double.doubleToRawLongBits(fitted.offset()[j]),
            kind + " " + x.dtype() + " " + j);
        assertEquals(Double.doubleToRawLongBits(scale), Double.doubleToRawLongBits(fitted.scale()[j]),
            kind + " " + x.dtype() + " " + j);
      }
    }
  }

  @Test
  void scalingInPlaceGivesTheBitsOfAScaledCopy() {
    long seed = 78;
    System.out.println("seed " + seed);
    Matrix x = features(20_000, new double[] {5, -300, 0.01}, new double[] {2, 50, 0.003}, seed);
    Normalization norm = Normalization.fit(Normalization.Kind.STANDARD, x);
    Matrix copy = norm.apply(x);
    norm.applyInPlace(x);
    assertArrayEquals(copy.floats(), x.floats());
    assertThrows(IllegalArgumentException.class, () -> norm.applyInPlace(Matrix.zeros(2, 4)));
  }

  // ---------------------------------------------------------------- splits

  @Test
  void classificationSplitKeepsEveryClassShare() {
    Dataset data = threeClasses(50, 81);
    Splits.Split split = Splits.split(data, 0.2, 11);
    assertArrayEquals(new int[] {40, 40, 40}, classCounts(split.train()));
    assertArrayEquals(new int[] {10, 10, 10}, classCounts(split.heldOut()));
  }

  @Test
  void unevenClassesEachGiveTheirRoundedShare() {
    // 0.25 of 20, 8 and 4 rows: 5, 2 and 1
    int[] labels = new int[32];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i < 20 ? 0 : i < 28 ? 1 : 2;
    }
    Dataset data = Dataset.classification("t", List.of("id"), ids(labels.length), List.of("a", "b", "c"), labels);
    Splits.Split split = Splits.split(data, 0.25, 5);
    assertArrayEquals(new int[] {5, 2, 1}, classCounts(split.heldOut()));
    assertArrayEquals(new int[] {15, 6, 3}, classCounts(split.train()));
  }

  @Test
  void sameSeedSameSplitOtherSeedOtherSplit() {
    Dataset data = threeClasses(50, 82);
    Splits.Split a = Splits.split(data, 0.2, 11);
    Splits.Split b = Splits.split(data, 0.2, 11);
    Splits.Split c = Splits.split(data, 0.2, 12);
    assertEquals(rowIds(a.heldOut()), rowIds(b.heldOut()));
    assertEquals(a.train().features(), b.train().features());
    assertEquals(a.heldOut().features(), b.heldOut().features());
    assertNotEquals(rowIds(a.heldOut()), rowIds(c.heldOut()));
  }

  @Test
  void splitPartitionsTheRowsAndKeepsTheirOrder() {
    Dataset data = threeClasses(50, 83);
    Splits.Split split = Splits.split(data, 0.2, 13);
    List<Integer> train = rowIds(split.train());
    List<Integer> test = rowIds(split.heldOut());
    Set<Integer> both = new HashSet<>(train);
    both.retainAll(test);
    assertTrue(both.isEmpty(), "rows in both parts: " + both);
    Set<Integer> all = new HashSet<>(train);
    all.addAll(test);
    assertEquals(data.size(), all.size());
    assertEquals(data.size(), train.size() + test.size());
    assertAscending(train);
    assertAscending(test);
    // each row keeps its label: the id column says which original row it is
    for (int i = 0; i < split.heldOut().size(); i++) {
      int id = test.get(i);
      assertEquals(data.label(id - 1), split.heldOut().label(i));
    }
  }

  @Test
  void regressionSplitSizes() {
    long seed = 84;
    System.out.println("seed " + seed);
    Dataset data = Dataset.regression("t", List.of("id"), ids(37), features(37, new double[] {2}, new double[] {1},
        seed));
    Splits.Split split = Splits.split(data, 0.3, 9);
    // round(0.3 * 37) = round(11.1) = 11
    assertEquals(11, split.heldOut().size());
    assertEquals(26, split.train().size());
    Set<Integer> all = new HashSet<>(rowIds(split.train()));
    all.addAll(rowIds(split.heldOut()));
    assertEquals(37, all.size());
    assertNotEquals(rowIds(split.heldOut()), rowIds(Splits.split(data, 0.3, 10).heldOut()));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 1.0, -0.2, 1.5, Double.NaN})
  void fractionOutsideZeroOneIsRejected(double fraction) {
    Dataset data = threeClasses(10, 85);
    assertThrows(IllegalArgumentException.class, () -> Splits.split(data, fraction, 1));
  }

  @Test
  void tooFewRowsForTwoPartsIsAnInputErrorNamingTheSource() {
    Dataset single = Dataset.classification("two.csv", List.of("id"), ids(2), List.of("a", "b"), new int[] {0, 1});
    InvalidInputException none = assertThrows(InvalidInputException.class, () -> Splits.split(single, 0.2, 1));
    assertEquals("two.csv: holding out 0.2 of 2 rows leaves no rows held out: a class gives held-out rows from two "
        + "rows on, and no class here has two; use more rows", none.getMessage());
    InvalidInputException all = assertThrows(InvalidInputException.class, () -> Splits.split(single, 0.5, 1));
    assertEquals("two.csv: holding out 0.5 of 2 rows leaves no rows to train on; use more rows or hold out a "
        + "smaller share", all.getMessage());
    Dataset values = Dataset.regression("r.csv", List.of("id"), ids(2), ids(2));
    InvalidInputException rounded = assertThrows(InvalidInputException.class, () -> Splits.split(values, 0.2, 1));
    assertEquals("r.csv: holding out 0.2 of 2 rows leaves no rows held out: 0.2 x 2 rounds to 0; use more rows or "
        + "hold out a larger share", rounded.getMessage());
  }

  // ---------------------------------------------------------------- helpers

  /** Gaussian columns with the given means and standard deviations. */
  private static Matrix features(int rows, double[] mean, double[] std, long seed) {
    SeededRandom random = new SeededRandom(seed);
    Matrix x = Matrix.zeros(rows, mean.length);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < mean.length; j++) {
        x.set(i, j, mean[j] + std[j] * random.nextGaussian());
      }
    }
    return x;
  }

  /** One feature holding the 1-based row id (exact in float32). */
  private static Matrix ids(int rows) {
    Matrix x = Matrix.zeros(rows, 1);
    for (int i = 0; i < rows; i++) {
      x.set(i, 0, i + 1);
    }
    return x;
  }

  /** perClass rows of each of three classes, in a seeded random order. */
  private static Dataset threeClasses(int perClass, long seed) {
    System.out.println("seed " + seed);
    int[] labels = new int[3 * perClass];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 3;
    }
    new SeededRandom(seed).shuffle(labels);
    return Dataset.classification("t", List.of("id"), ids(labels.length), List.of("a", "b", "c"), labels);
  }

  private static int[] classCounts(Dataset data) {
    int[] counts = new int[data.classes().size()];
    for (int i = 0; i < data.size(); i++) {
      counts[data.label(i)]++;
    }
    return counts;
  }

  private static List<Integer> rowIds(Dataset data) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      ids.add((int) data.features().get(i, 0));
    }
    return ids;
  }

  private static void assertAscending(List<Integer> ids) {
    for (int i = 1; i < ids.size(); i++) {
      assertTrue(ids.get(i - 1) < ids.get(i), "rows out of order: " + ids);
    }
  }
}
