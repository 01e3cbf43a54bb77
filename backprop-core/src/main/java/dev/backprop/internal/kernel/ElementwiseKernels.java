package dev.backprop.internal.kernel;

/**
 * The float32 passes of training that treat each element (or each column) on its own: the activations, the bias
 * gradient, the finiteness check, y += alpha x, and gathering a batch of byte rows. Every implementation gives the
 * same bits, whatever the thread count. Each method writes only its output argument.
 */
public interface ElementwiseKernels {
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
}
