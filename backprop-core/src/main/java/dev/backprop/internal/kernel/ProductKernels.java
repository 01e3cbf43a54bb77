package dev.backprop.internal.kernel;

/**
 * The three matrix products of backpropagation in float32, on row-major arrays: Z = X W + b, dW = A^T delta and
 * delta W^T. Implementations differ only in speed: every method computes each output element with the same sequence
 * of operations whatever the thread count, so results never depend on it. Each method writes only its {@code out}
 * argument.
 */
public interface ProductKernels {
  /** out[m x n] = a[m x k] b[k x n], plus bias[n] on every row when bias is not null. */
  void matmul(float[] a, float[] b, float[] bias, float[] out, int m, int k, int n);

  /** out[m x n] = a^T b with a [k x m] and b [k x n]. */
  void matmulTransposeA(float[] a, float[] b, float[] out, int m, int k, int n);

  /** out[m x n] = a b^T with a [m x k] and b [n x k]. */
  void matmulTransposeB(float[] a, float[] b, float[] out, int m, int k, int n);
}
