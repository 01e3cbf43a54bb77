package dev.backprop.internal.kernel;

/**
 * The float32 kernels of training, on row-major arrays. Implementations differ only in speed: every
 * method computes each output element with the same sequence of operations whatever the thread count,
 * so results never depend on it. Each method writes only its {@code out} argument.
 */
public interface FloatKernels {
  /** A short name for logs and benchmarks, e.g. {@code "vector (8 lanes)"}. */
  String name();

  /** out[m x n] = a[m x k] b[k x n], plus bias[n] on every row when bias is not null. */
  void matmul(float[] a, float[] b, float[] bias, float[] out, int m, int k, int n);

  /** out[m x n] = a^T b with a [k x m] and b [k x n]. */
  void matmulTransposeA(float[] a, float[] b, float[] out, int m, int k, int n);

  /** out[m x n] = a b^T with a [m x k] and b [n x k]. */
  void matmulTransposeB(float[] a, float[] b, float[] out, int m, int k, int n);

  /**
   * a[i] = sigmoid(z[i]) for i &lt; n, as {@code ReproducibleMath.sigmoid(float)} computes it: every
   * implementation gives the same bits.
   */
  void sigmoid(float[] z, float[] a, int n);

  /** a[i] = z[i] &gt; 0 ? z[i] : 0 for i &lt; n (so NaN and -0 give +0, in every implementation). */
  void relu(float[] z, float[] a, int n);

  /** delta[i] = z[i] &gt; 0 ? gradA[i] : 0 for i &lt; n: relu's backward pass. */
  void reluBackward(float[] z, float[] gradA, float[] delta, int n);

  /**
   * out[j] = a[j] + a[n + j] + ... + a[(m - 1) n + j] for j &lt; n, a being m x n row-major: each column added
   * up in float, row after row from 0, so every implementation gives the same bits. The bias gradient, delta
   * summed over the batch.
   */
  void columnSums(float[] a, float[] out, int m, int n);

  /** Whether no element of x is NaN or infinite. */
  boolean allFinite(float[] x);

  /**
   * y[i] = y[i] + alpha x[i] for every i (same lengths): the product rounded to float, then the sum, as the
   * plain Java expression computes it, so every implementation gives the same bits.
   */
  void axpy(float alpha, float[] x, float[] y);

  /**
   * Gathers rows of a byte matrix into floats: row r of the result, at {@code dst[dstOffset + r * width]}, is
   * row {@code rows[from + r]} of {@code src} ({@code width} bytes per row), each byte b becoming
   * {@code (b & 0xff) / divisor}, for r &lt; count. Division rather than a reciprocal multiply, so every
   * implementation gives the same bits.
   */
  void gatherBytes(byte[] src, int width, int[] rows, int from, int count, float divisor, float[] dst,
      int dstOffset);

  /**
   * One Adam step on every element, in PyTorch's order of operations: m = b1 m + (1 - b1) g,
   * v = b2 v + (1 - b2) g g, w = w - stepSize m / (sqrt(v) / rootCorrection + eps). Every implementation
   * rounds the same operations in the same order, so they agree bit for bit.
   */
  void adam(float[] w, float[] g, float[] m, float[] v, AdamStep step);

  /** The scalars of one Adam step. */
  record AdamStep(float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float stepSize,
      float rootCorrection, float epsilon) {}
}
