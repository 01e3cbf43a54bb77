package dev.backprop;

import dev.backprop.data.Dataset;
import dev.backprop.tensor.Matrix;
import java.util.List;

/** Small seeded datasets shared by the tests. */
public final class TestData {
  private TestData() {}

  /**
   * Three Gaussian blobs of standard deviation {@code spread} around (-3, 0), (3, 0) and (0, 3), one per class
   * of {@code classes} (three names), the labels drawn in a seeded order.
   */
  public static Dataset blobs(int rows, long seed, double spread, List<String> classes) {
    if (classes.size() != 3) {
      throw new IllegalArgumentException("three blobs need three class names, got " + classes);
    }
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    double[][] centres = {{-3, 0}, {3, 0}, {0, 3}};
    Matrix x = Matrix.zeros(rows, 2);
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = random.nextInt(3);
      for (int j = 0; j < 2; j++) {
        x.set(i, j, centres[labels[i]][j] + spread * random.nextGaussian());
      }
    }
    return Dataset.classification("blobs", List.of("x", "y"), x, classes, labels);
  }
}
