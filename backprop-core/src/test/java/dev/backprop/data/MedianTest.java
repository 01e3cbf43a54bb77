package dev.backprop.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.SeededRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The schema's median, by a sort for few values and by selection for many, is exactly that of a sorted copy. */
class MedianTest {
  @Test
  void selectionAgreesWithASortToTheBit() {
    long seed = 2024;
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    for (int trial = 0; trial < 2000; trial++) {
      int n = 1 + random.nextInt(trial < 1000 ? 12 : 3000);
      double[] v = new double[n + random.nextInt(3)];
      int kind = trial % 4;
      for (int i = 0; i < n; i++) {
        v[i] = switch (kind) {
          case 0 -> random.nextDouble(-5, 5);
          case 1 -> random.nextInt(4) - 2;
          case 2 -> random.nextInt(2) == 0 ? 0.0 : -0.0;
          default -> i;
        };
      }
      double[] sorted = Arrays.copyOf(v, n);
      Arrays.sort(sorted);
      double expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      // the selection itself at every size, though median() sorts at these sizes
      double actual = TableSchema.medianBySelection(v, n);
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
          "trial " + trial + ", n " + n + ": " + expected + " against " + actual);
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(TableSchema.median(v, n)),
          "trial " + trial + ", n " + n + " by median()");
    }
  }

  @Test
  void bothSidesOfTheSortLimitAgreeWithASort() {
    SeededRandom random = new SeededRandom(2026);
    for (int n = TableSchema.SORTED_MEDIAN_MAX - 2; n <= TableSchema.SORTED_MEDIAN_MAX + 3; n++) {
      double[] v = new double[n + 5];
      for (int i = 0; i < v.length; i++) {
        v[i] = random.nextInt(3) == 0 ? -0.0 : (float) random.nextDouble(-3, 3);
      }
      double[] sorted = Arrays.copyOf(v, n);
      Arrays.sort(sorted);
      double expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(TableSchema.median(v, n)),
          "n " + n);
      assertEquals(Double.doubleToRawLongBits(expected),
          Double.doubleToRawLongBits(TableSchema.medianBySelection(v, n)), "n " + n + " by selection");
    }
  }

  @Test
  void largeColumnsOfRepeatedAndSignedZeroValuesAgreeWithASort() {
    long seed = 2025;
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    for (int trial = 0; trial < 12; trial++) {
      int n = 100_000 + random.nextInt(3);
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        // floats as a table holds them: few distinct values, values that share their upper bits, zeros of both signs
        v[i] = switch (trial % 4) {
          case 0 -> (float) random.nextDouble(-20, 20);
          case 1 -> random.nextInt(3);
          case 2 -> random.nextInt(2) == 0 ? 0.0 : -0.0;
          default -> (float) (1 + random.nextInt(5) * Math.ulp(1f));
        };
      }
      double[] sorted = v.clone();
      Arrays.sort(sorted);
      double expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      double actual = TableSchema.median(v, n);
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
          "trial " + trial + ", n " + n + ": " + expected + " against " + actual);
    }
  }
}
