package dev.backprop.internal.kernel;

/**
 * The reference kernels: plain loops over row-major arrays, one version per element type.
 *
 * <p>Every method writes its output argument only ({@code out}), reads the others, and checks nothing:
 * callers ({@code dev.backprop.tensor.MatrixOps}) have checked the shapes. Loop orders keep the innermost
 * loop running along rows of the output, so the JIT can use SIMD where it is able to.
 */
public final class ScalarKernels {
  private ScalarKernels() {}

  /** out[m x n] = a[m x k] b[k x n]. */
  public static void matmul(float[] a, float[] b, float[] out, int m, int k, int n) {
    java.util.Arrays.fill(out, 0, m * n, 0f);
    for (int i = 0; i < m; i++) {
      int outRow = i * n;
      for (int p = 0; p < k; p++) {
        float aip = a[i * k + p];
        int bRow = p * n;
        for (int j = 0; j < n; j++) {
          out[outRow + j] += aip * b[bRow + j];
        }
      }
    }
  }

  /** out[m x n] = a[m x k] b[k x n]. */
  public static void matmul(double[] a, double[] b, double[] out, int m, int k, int n) {
    java.util.Arrays.fill(out, 0, m * n, 0.0);
    for (int i = 0; i < m; i++) {
      int outRow = i * n;
      for (int p = 0; p < k; p++) {
        double aip = a[i * k + p];
        int bRow = p * n;
        for (int j = 0; j < n; j++) {
          out[outRow + j] += aip * b[bRow + j];
        }
      }
    }
  }

  /** out[m x n] = a^T b, where a is [k x m] and b is [k x n] (the weight gradient A^T delta). */
  public static void matmulTransposeA(float[] a, float[] b, float[] out, int m, int k, int n) {
    java.util.Arrays.fill(out, 0, m * n, 0f);
    for (int p = 0; p < k; p++) {
      int aRow = p * m;
      int bRow = p * n;
      for (int i = 0; i < m; i++) {
        float api = a[aRow + i];
        int outRow = i * n;
        for (int j = 0; j < n; j++) {
          out[outRow + j] += api * b[bRow + j];
        }
      }
    }
  }

  /** out[m x n] = a^T b, where a is [k x m] and b is [k x n]. */
  public static void matmulTransposeA(double[] a, double[] b, double[] out, int m, int k, int n) {
    java.util.Arrays.fill(out, 0, m * n, 0.0);
    for (int p = 0; p < k; p++) {
      int aRow = p * m;
      int bRow = p * n;
      for (int i = 0; i < m; i++) {
        double api = a[aRow + i];
        int outRow = i * n;
        for (int j = 0; j < n; j++) {
          out[outRow + j] += api * b[bRow + j];
        }
      }
    }
  }

  /** out[m x n] = a b^T, where a is [m x k] and b is [n x k] (the backward product delta W^T). */
  public static void matmulTransposeB(float[] a, float[] b, float[] out, int m, int k, int n) {
    for (int i = 0; i < m; i++) {
      int aRow = i * k;
      for (int j = 0; j < n; j++) {
        int bRow = j * k;
        float sum = 0f;
        for (int p = 0; p < k; p++) {
          sum += a[aRow + p] * b[bRow + p];
        }
        out[i * n + j] = sum;
      }
    }
  }

  /** out[m x n] = a b^T, where a is [m x k] and b is [n x k]. */
  public static void matmulTransposeB(double[] a, double[] b, double[] out, int m, int k, int n) {
    for (int i = 0; i < m; i++) {
      int aRow = i * k;
      for (int j = 0; j < n; j++) {
        int bRow = j * k;
        double sum = 0.0;
        for (int p = 0; p < k; p++) {
          sum += a[aRow + p] * b[bRow + p];
        }
        out[i * n + j] = sum;
      }
    }
  }

  /** out[n] = column sums of a[m x n], summed in row order. */
  public static void columnSums(float[] a, float[] out, int m, int n) {
    java.util.Arrays.fill(out, 0, n, 0f);
    for (int i = 0; i < m; i++) {
      int row = i * n;
      for (int j = 0; j < n; j++) {
        out[j] += a[row + j];
      }
    }
  }

  /** out[n] = column sums of a[m x n], summed in row order. */
  public static void columnSums(double[] a, double[] out, int m, int n) {
    java.util.Arrays.fill(out, 0, n, 0.0);
    for (int i = 0; i < m; i++) {
      int row = i * n;
      for (int j = 0; j < n; j++) {
        out[j] += a[row + j];
      }
    }
  }

  /** a[m x n] += v[n] on every row, in place. */
  public static void addRowVector(float[] a, float[] v, int m, int n) {
    for (int i = 0; i < m; i++) {
      int row = i * n;
      for (int j = 0; j < n; j++) {
        a[row + j] += v[j];
      }
    }
  }

  /** a[m x n] += v[n] on every row, in place. */
  public static void addRowVector(double[] a, double[] v, int m, int n) {
    for (int i = 0; i < m; i++) {
      int row = i * n;
      for (int j = 0; j < n; j++) {
        a[row + j] += v[j];
      }
    }
  }

  /** Whether no element is NaN or infinite (those are the floats whose exponent bits are all ones). */
  public static boolean allFinite(float[] x) {
    for (float v : x) {
      if ((Float.floatToRawIntBits(v) & 0x7f800000) == 0x7f800000) {
        return false;
      }
    }
    return true;
  }
}
