package dev.backprop.tensor;

import dev.backprop.internal.kernel.Kernels;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense row-major matrix of float32 or float64, batch-first: row {@code i} is sample {@code i}.
 *
 * <p>Matrices are mutable numeric buffers. Operations in {@link MatrixOps} take explicit outputs, so that a
 * training loop can run without allocating. Element {@code (r, c)} lives at index {@code r * cols + c} of
 * the backing array.
 */
public final class Matrix {
  private final DType dtype;
  private final int rows;
  private final int cols;
  private final float[] floats;
  private final double[] doubles;

  private Matrix(DType dtype, int rows, int cols, float[] floats, double[] doubles) {
    this.dtype = dtype;
    this.rows = rows;
    this.cols = cols;
    this.floats = floats;
    this.doubles = doubles;
  }

  /** A float32 matrix of zeros. */
  public static Matrix zeros(int rows, int cols) {
    return zeros(DType.FLOAT32, rows, cols);
  }

  /** A matrix of zeros of the given element type. */
  public static Matrix zeros(DType dtype, int rows, int cols) {
    int size = checkedSize(rows, cols);
    return dtype == DType.FLOAT32
        ? new Matrix(dtype, rows, cols, new float[size], null)
        : new Matrix(dtype, rows, cols, null, new double[size]);
  }

  /** Wraps a row-major float array without copying it. */
  public static Matrix wrap(int rows, int cols, float[] data) {
    requireLength(rows, cols, data.length);
    return new Matrix(DType.FLOAT32, rows, cols, data, null);
  }

  /** Wraps a row-major double array without copying it. */
  public static Matrix wrap(int rows, int cols, double[] data) {
    requireLength(rows, cols, data.length);
    return new Matrix(DType.FLOAT64, rows, cols, null, data);
  }

  /** A copy of {@code values} (rows of equal length) with the given element type. */
  public static Matrix of(DType dtype, double[][] values) {
    int rows = values.length;
    int cols = rows == 0 ? 0 : values[0].length;
    Matrix m = zeros(dtype, rows, cols);
    for (int r = 0; r < rows; r++) {
      if (values[r].length != cols) {
        throw new ShapeMismatchException(
            "row " + r + " has " + values[r].length + " values, expected " + cols + " like row 0");
      }
      for (int c = 0; c < cols; c++) {
        m.set(r, c, values[r][c]);
      }
    }
    return m;
  }

  /** A float32 copy of {@code values}. */
  public static Matrix of(double[][] values) {
    return of(DType.FLOAT32, values);
  }

  private static int checkedSize(int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("matrix shape must not be negative, got " + rows + "x" + cols);
    }
    long size = (long) rows * cols;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "matrix " + rows + "x" + cols + " has " + size + " elements, more than one Java array holds");
    }
    return (int) size;
  }

  private static void requireLength(int rows, int cols, int length) {
    if (checkedSize(rows, cols) != length) {
      throw new ShapeMismatchException(
          "array of " + length + " values cannot be a " + rows + "x" + cols + " matrix (needs " + (long) rows * cols + ")");
    }
  }

  public DType dtype() {
    return dtype;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Number of elements, rows x cols. */
  public int size() {
    return rows * cols;
  }

  /** The backing float32 array, row-major; only for float32 matrices. */
  public float[] floats() {
    if (floats == null) {
      throw new IllegalStateException("this matrix is " + dtype + ", not FLOAT32");
    }
    return floats;
  }

  /** The backing float64 array, row-major; only for float64 matrices. */
  public double[] doubles() {
    if (doubles == null) {
      throw new IllegalStateException("this matrix is " + dtype + ", not FLOAT64");
    }
    return doubles;
  }

  public double get(int r, int c) {
    int i = index(r, c);
    return floats != null ? floats[i] : doubles[i];
  }

  public void set(int r, int c, double value) {
    int i = index(r, c);
    if (floats != null) {
      floats[i] = (float) value;
    } else {
      doubles[i] = value;
    }
  }

  /** Element {@code i} of the row-major storage. */
  public double getFlat(int i) {
    return floats != null ? floats[i] : doubles[i];
  }

  /** Sets element {@code i} of the row-major storage. */
  public void setFlat(int i, double value) {
    if (floats != null) {
      floats[i] = (float) value;
    } else {
      doubles[i] = value;
    }
  }

  private int index(int r, int c) {
    if (r < 0 || r >= rows || c < 0 || c >= cols) {
      throw new IndexOutOfBoundsException("(" + r + ", " + c + ") is outside a " + rows + "x" + cols + " matrix");
    }
    return r * cols + c;
  }

  /** Sets every element to {@code value}; returns this. */
  public Matrix fill(double value) {
    if (floats != null) {
      Arrays.fill(floats, (float) value);
    } else {
      Arrays.fill(doubles, value);
    }
    return this;
  }

  /** A new matrix of the same shape and type, filled with zeros. */
  public Matrix zerosLike() {
    return zeros(dtype, rows, cols);
  }

  /** A deep copy. */
  public Matrix copy() {
    return floats != null
        ? new Matrix(dtype, rows, cols, floats.clone(), null)
        : new Matrix(dtype, rows, cols, null, doubles.clone());
  }

  /** A copy converted to {@code target}; float64 to float32 rounds to nearest. */
  public Matrix to(DType target) {
    if (target == dtype) {
      return copy();
    }
    Matrix out = zeros(target, rows, cols);
    out.copyFrom(this);
    return out;
  }

  /** Copies the values of {@code source} (same shape, any type) into this matrix. */
  public void copyFrom(Matrix source) {
    requireShape(source.rows, source.cols, "copy source");
    if (floats != null && source.floats != null) {
      System.arraycopy(source.floats, 0, floats, 0, floats.length);
    } else if (doubles != null && source.doubles != null) {
      System.arraycopy(source.doubles, 0, doubles, 0, doubles.length);
    } else {
      for (int i = 0, n = size(); i < n; i++) {
        setFlat(i, source.getFlat(i));
      }
    }
  }

  /** The values as a new {@code double[rows][cols]}. */
  public double[][] toArray() {
    double[][] out = new double[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[r][c] = get(r, c);
      }
    }
    return out;
  }

  /** Whether every element is finite (no NaN, no infinity). */
  public boolean allFinite() {
    if (floats != null) {
      return Kernels.elementwise().allFinite(floats);
    }
    double acc = 0;
    for (double v : doubles) {
      acc += v - v;
    }
    return acc == 0;
  }

  /** Throws a {@link ShapeMismatchException} naming {@code what} unless this matrix is rows x cols. */
  public Matrix requireShape(int expectedRows, int expectedCols, String what) {
    if (rows != expectedRows || cols != expectedCols) {
      throw new ShapeMismatchException(
          what + " is " + shape() + ", expected " + expectedRows + "x" + expectedCols);
    }
    return this;
  }

  /** Throws unless this matrix has element type {@code expected}. */
  public Matrix requireDType(DType expected, String what) {
    if (dtype != expected) {
      throw new IllegalArgumentException(what + " is " + dtype + ", expected " + expected);
    }
    return this;
  }

  /** "rows x cols", for messages. */
  public String shape() {
    return rows + "x" + cols;
  }

  /** Whether both have the same type, shape and bit-identical values. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Matrix)) {
      return false;
    }
    Matrix m = (Matrix) o;
    return dtype == m.dtype && rows == m.rows && cols == m.cols
        && Arrays.equals(floats, m.floats) && Arrays.equals(doubles, m.doubles);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dtype, rows, cols, Arrays.hashCode(floats), Arrays.hashCode(doubles));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Matrix ").append(shape()).append(' ').append(dtype).append(" [");
    int shown = Math.min(rows, 6);
    for (int r = 0; r < shown; r++) {
      sb.append(r == 0 ? "[" : ", [");
      for (int c = 0; c < Math.min(cols, 8); c++) {
        sb.append(c == 0 ? "" : ", ").append((float) get(r, c));
      }
      sb.append(cols > 8 ? ", ...]" : "]");
    }
    return sb.append(rows > shown ? ", ...]" : "]").toString();
  }
}
