package dev.backprop.nn;

import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;

/**
 * A layer's per-batch matrices of {@code columns[i]} columns for the current batch size, with those of the size
 * before it kept aside: an epoch's shorter last batch and the full ones after it then swap buffers instead of
 * allocating them twice an epoch.
 */
final class BatchBuffers {
  private final DType dtype;
  private final int[] columns;
  private Matrix[] current;
  private Matrix[] spare;

  BatchBuffers(DType dtype, int... columns) {
    this.dtype = dtype;
    this.columns = columns.clone();
  }

  /** The buffers for a batch of {@code rows}, each zero when new and as last left otherwise. */
  Matrix[] forRows(int rows) {
    if (current != null && current[0].rows() == rows) {
      return current;
    }
    Matrix[] previous = current;
    if (spare != null && spare[0].rows() == rows) {
      current = spare;
    } else {
      current = new Matrix[columns.length];
      for (int i = 0; i < columns.length; i++) {
        current[i] = Matrix.zeros(dtype, rows, columns[i]);
      }
    }
    spare = previous;
    return current;
  }
}
