package dev.backprop.internal.kernel;

/** {@link ProductKernels} by the plain loops of {@link ScalarKernels}: the fallback and the reference. */
final class ScalarProducts implements ProductKernels {
  @Override
  public void matmul(float[] a, float[] b, float[] bias, float[] out, int m, int k, int n) {
    ScalarKernels.matmul(a, b, out, m, k, n);
    if (bias != null) {
      ScalarKernels.addRowVector(out, bias, m, n);
    }
  }

  @Override
  public void matmulTransposeA(float[] a, float[] b, float[] out, int m, int k, int n) {
    ScalarKernels.matmulTransposeA(a, b, out, m, k, n);
  }

  @Override
  public void matmulTransposeB(float[] a, float[] b, float[] out, int m, int k, int n) {
    ScalarKernels.matmulTransposeB(a, b, out, m, k, n);
  }
}
