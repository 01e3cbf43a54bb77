package dev.backprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backprop.SeededRandom;
import dev.backprop.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A dataset held as bytes gives the same batches, subsets and features as the same data held as floats. */
class DatasetBytesTest {
  @Test
  void bytesAndFloatsAgree() {
    long seed = 99;
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    int rows = 50;
    int cols = 7;
    byte[] pixels = new byte[rows * cols];
    float[] floats = new float[rows * cols];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) random.nextInt(256);
      floats[i] = (pixels[i] & 0xff) / 255f;
    }
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = random.nextInt(3);
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < cols; j++) {
      names.add("p" + j);
    }
    List<String> classes = List.of("a", "b", "c");
    Dataset compact = Dataset.classificationFromBytes("bytes", names, rows, pixels, 255f, classes, labels);
    Dataset plain = Dataset.classification("floats", names, Matrix.wrap(rows, cols, floats), classes, labels);

    int[] order = random.permutation(rows);
    Matrix x1 = Matrix.zeros(9, cols);
    Matrix y1 = Matrix.zeros(9, 3);
    Matrix x2 = Matrix.zeros(9, cols);
    Matrix y2 = Matrix.zeros(9, 3);
    compact.gather(order, 5, 14, x1, y1);
    plain.gather(order, 5, 14, x2, y2);
    assertEquals(x2, x1);
    assertEquals(y2, y1);

    // in parts, as training gathers the next batch beside the current step: the same batch
    for (Dataset d : List.of(compact, plain)) {
      Matrix x3 = Matrix.zeros(9, cols);
      Matrix y3 = Matrix.zeros(9, 3);
      d.gatherPart(order, 5, 9, x3, y3, 0);
      d.gatherPart(order, 9, 13, x3, y3, 4);
      d.gatherPart(order, 13, 14, x3, y3, 8);
      assertEquals(x2, x3, d.source());
      assertEquals(y2, y3, d.source());
      assertThrows(IllegalArgumentException.class, () -> d.gatherPart(order, 5, 9, x3, y3, 6));
      assertThrows(IllegalArgumentException.class, () -> d.gatherPart(order, 5, 9, x3, y3, -1));
    }

    int[] pick = {3, 0, 49, 17};
    Dataset subset = compact.subset(pick);
    assertEquals(plain.subset(pick).features(), subset.features());
    assertArrayEquals(plain.subset(pick).labels(), subset.labels());
    assertEquals(plain.features(), compact.features());
    assertEquals(plain.targets(), compact.targets());
  }
}
