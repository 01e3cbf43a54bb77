package dev.backprop.internal.kernel;

import dev.backprop.internal.math.ReproducibleMath;

/** {@link FloatKernels} by the plain loops of {@link ScalarKernels}: the fallback and the reference. */
final class ScalarFloatKernels implements FloatKernels {
  @Override
  public String name() {
    return "scalar";
  }

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

  @Override
  public void sigmoid(float[] z, float[] a, int n) {
    for (int i = 0; i < n; i++) {
      a[i] = ReproducibleMath.sigmoid(z[i]);
    }
  }

  @Override
  public void relu(float[] z, float[] a, int n) {
    for (int i = 0; i < n; i++) {
      a[i] = z[i] > 0f ? z[i] : 0f;
    }
  }

  @Override
  public void reluBackward(float[] z, float[] gradA, float[] delta, int n) {
    for (int i = 0; i < n; i++) {
      delta[i] = z[i] > 0f ? gradA[i] : 0f;
    }
  }

  @Override
  public void columnSums(float[] a, float[] out, int m, int n) {
    ScalarKernels.columnSums(a, out, m, n);
  }

  @Override
  public boolean allFinite(float[] x) {
    return ScalarKernels.allFinite(x);
  }

  @Override
  public void axpy(float alpha, float[] x, float[] y) {
    for (int i = 0; i < y.length; i++) {
      y[i] += alpha * x[i];
    }
  }

  @Override
  public void gatherBytes(byte[] src, int width, int[] rows, int from, int count, float divisor, float[] dst,
      int dstOffset) {
    for (int r = 0; r < count; r++) {
      int s = rows[from + r] * width;
      int t = dstOffset + r * width;
      for (int j = 0; j < width; j++) {
        dst[t + j] = (src[s + j] & 0xff) / divisor;
      }
    }
  }

  @Override
  public void adam(float[] w, float[] g, float[] m, float[] v, AdamStep s) {
    ScalarKernels.adam(w, g, m, v, s, 0, w.length);
  }
}
