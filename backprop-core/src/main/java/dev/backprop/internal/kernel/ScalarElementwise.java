package dev.backprop.internal.kernel;

import dev.backprop.internal.math.ReproducibleMath;

/** {@link ElementwiseKernels} by plain loops: the fallback and the reference. */
final class ScalarElementwise implements ElementwiseKernels {
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
}
