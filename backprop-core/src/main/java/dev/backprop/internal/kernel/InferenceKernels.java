package dev.backprop.internal.kernel;

/**
 * The products of prediction: z = x W + b for a dense layer whose weights were packed once ({@link #pack}) and are
 * then read, never written, by any number of threads at once.
 *
 * <p>Every implementation computes each element of z in the same order, so all give the same bits whatever the
 * vector width, tile or thread count: for each block of {@link #KC} values of p in turn, s = fma(x[p], W[p][j], s)
 * from s = 0 and p upwards; the blocks' sums added in order, then the bias. That is also the order of the vector
 * training kernels ({@link VectorProducts}), so with them predictions equal the training forward pass bit for bit;
 * the scalar training kernels round a * b before adding it, which these never do.
 */
public interface InferenceKernels {
  /** The block of p whose sum is formed on its own, as {@link VectorProducts#KC} does. */
  int KC = 1024;

  /** W (in x out, row-major) and b (out) in the layout this implementation reads; the arrays are not kept. */
  PackedDense pack(float[] w, float[] b, int in, int out);

  /**
   * z[rows x out] = x[rows x in] W + b, row-major, for the first rows of x and z. Writes only z; safe for
   * concurrent callers with their own x and z.
   */
  void forward(PackedDense layer, float[] x, int rows, float[] z);

  /**
   * out[r][j] = (float) ((x[from + r][j] - offset[j]) / scale[j]) for r &lt; rows and j &lt; d (d = offset.length),
   * rows of x being d floats: feature scaling as {@code Normalization.apply} computes it, in float64 and
   * rounded once, so every implementation gives its bits.
   */
  void scale(float[] x, int from, int rows, double[] offset, double[] scale, float[] out);

  /**
   * A dense layer's weights and bias as an {@link InferenceKernels} implementation lays them out: immutable once
   * made, shared by the threads that predict.
   */
  final class PackedDense {
    final int in;
    final int out;
    final float[] weights;
    final float[] bias;

    PackedDense(int in, int out, float[] weights, float[] bias) {
      this.in = in;
      this.out = out;
      this.weights = weights;
      this.bias = bias;
    }

    public int inputSize() {
      return in;
    }

    public int outputSize() {
      return out;
    }
  }
}
