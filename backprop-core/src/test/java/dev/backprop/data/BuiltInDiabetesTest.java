package dev.backprop.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bundled diabetes data (Efron, Hastie, Johnstone, Tibshirani 2004, unscaled, as scikit-learn ships it)
 * is what {@code interop/diabetes_csv.py} wrote and checked against {@code load_diabetes(scaled=False)}.
 */
class BuiltInDiabetesTest {
  private static final List<String> FEATURES = List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6");

  @Test
  void isABuiltInName() {
    assertTrue(DataSources.isBuiltIn("diabetes"));
    assertTrue(DataSources.BUILT_IN.contains("diabetes"));
  }

  @Test
  void loads442PatientsWithTenFeaturesAsRegression() {
    DataSources.Source source = DataSources.open("diabetes");
    assertEquals(DataSources.Format.CSV, source.format());
    Dataset d = source.table().toDataset(null, null);
    assertEquals(Task.REGRESSION, d.task(), "the inferred task");
    assertEquals(442, d.size());
    assertEquals(10, d.featureCount());
    assertEquals(FEATURES, d.featureNames());
    assertEquals(1, d.outputCount());
    assertEquals(List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6", "progression"),
        source.table().header());
  }

  @Test
  void holdsTheUnscaledValues() {
    Dataset d = DataSources.open("diabetes").table().toDataset(null, null);
    double[] first = {59, 2, 32.1, 101, 157, 93.2, 38, 4, 4.8598, 87};
    double[] last = {36, 1, 19.6, 71, 250, 133.2, 97, 3, 4.5951, 92};
    for (int j = 0; j < 10; j++) {
      assertEquals(first[j], d.features().get(0, j), 1e-4, FEATURES.get(j) + " of the first patient");
      assertEquals(last[j], d.features().get(441, j), 1e-4, FEATURES.get(j) + " of the last patient");
    }
    assertEquals(151, d.targets().get(0, 0));
    assertEquals(57, d.targets().get(441, 0));
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    Set<Double> distinct = new HashSet<>();
    for (int i = 0; i < d.size(); i++) {
      double y = d.targets().get(i, 0);
      sum += y;
      min = Math.min(min, y);
      max = Math.max(max, y);
      distinct.add(y);
    }
    assertEquals(67243, sum, "the progression values add up as in the published data (mean 152.13)");
    assertEquals(25, min);
    assertEquals(346, max);
    assertEquals(214, distinct.size());
    assertTrue(distinct.size() > CsvTable.MAX_INFERRED_CLASSES, "too many integer values to be classes");
  }

  @Test
  void fingerprintIsTheBundledFilesHash() {
    assertEquals("731c91514b20f51185739fd2533cde9eccd1c61b16c2aba62d9c8082a9151d4f",
        DataSources.open("diabetes").sha256());
  }
}
