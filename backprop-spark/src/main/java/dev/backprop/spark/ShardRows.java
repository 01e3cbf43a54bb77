package dev.backprop.spark;

import dev.backprop.data.Dataset;
import dev.backprop.data.Task;
import dev.backprop.tensor.Matrix;
import java.util.List;

/**
 * One shard's training rows as a plain float array, the element of its Spark partition: every row's features, then
 * every row's targets (one-hot for a classifier, from which the labels are read back exactly).
 */
final class ShardRows {
  private ShardRows() {}

  /** Rows [first, first + count) of {@code data}. */
  static float[] pack(Dataset data, int first, int count) {
    int d = data.featureCount();
    int k = data.outputCount();
    int[] picked = new int[count];
    for (int i = 0; i < count; i++) {
      picked[i] = first + i;
    }
    Dataset part = data.subset(picked);
    float[] packed = new float[count * (d + k)];
    System.arraycopy(part.features().floats(), 0, packed, 0, count * d);
    System.arraycopy(part.targets().floats(), 0, packed, count * d, count * k);
    return packed;
  }

  /** The dataset that {@link #pack} packed, for a data set of these feature names and classes (none: regression). */
  static Dataset unpack(float[] packed, int shard, List<String> featureNames, List<String> classes, int outputs) {
    int d = featureNames.size();
    int rows = packed.length / (d + outputs);
    float[] x = java.util.Arrays.copyOfRange(packed, 0, rows * d);
    float[] y = java.util.Arrays.copyOfRange(packed, rows * d, packed.length);
    Matrix features = Matrix.wrap(rows, d, x);
    if (classes.isEmpty()) {
      return Dataset.regression("shard " + shard, featureNames, features, Matrix.wrap(rows, outputs, y));
    }
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      for (int c = 0; c < outputs; c++) {
        if (y[i * outputs + c] == 1f) {
          labels[i] = c;
        }
      }
    }
    return Dataset.classification("shard " + shard, featureNames, features, classes, labels);
  }

  /** Whether {@code data} is a classifier's, whose targets are one-hot labels. */
  static boolean classification(Dataset data) {
    return data.task() == Task.CLASSIFICATION;
  }
}
