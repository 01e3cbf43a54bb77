package dev.backprop.internal.kernel;

import java.util.Arrays;

/**
 * The plain loops of {@link InferenceKernels}, over W as it is (in x out). {@code Math.fma} gives the single rounding
 * of the vector kernels' multiply-add, so the two agree bit for bit.
 */
final class ScalarInference implements InferenceKernels {
  @Override
  public PackedDense pack(float[] w, float[] b, int in, int out) {
    return new PackedDense(in, out, Arrays.copyOf(w, in * out), Arrays.copyOf(b, out));
  }

  @Override
  public void scale(float[] x, int from, int rows, double[] offset, double[] scale, float[] out) {
    int d = offset.length;
    for (int r = 0; r < rows; r++) {
      int xRow = (from + r) * d;
      for (int j = 0; j < d; j++) {
        out[r * d + j] = (float) ((x[xRow + j] - offset[j]) / scale[j]);
      }
    }
  }

  @Override
  public void forward(PackedDense layer, float[] x, int rows, float[] z) {
    int in = layer.in;
    int out = layer.out;
    float[] w = layer.weights;
    float[] s = new float[out];
    for (int r = 0; r < rows; r++) {
      int zRow = r * out;
      for (int p0 = 0; p0 < in; p0 += KC) {
        int p1 = Math.min(in, p0 + KC);
        Arrays.fill(s, 0f);
        // p outside and j inside, so that the JIT can vectorise; each s[j] still takes p in order
        for (int p = p0; p < p1; p++) {
          float xp = x[r * in + p];
          int wRow = p * out;
          for (int j = 0; j < out; j++) {
            s[j] = Math.fma(xp, w[wRow + j], s[j]);
          }
        }
        for (int j = 0; j < out; j++) {
          z[zRow + j] = p0 == 0 ? s[j] : z[zRow + j] + s[j];
        }
      }
      for (int j = 0; j < out; j++) {
        z[zRow + j] += layer.bias[j];
      }
    }
  }
}
