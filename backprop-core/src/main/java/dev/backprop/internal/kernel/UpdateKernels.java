package dev.backprop.internal.kernel;

/**
 * The optimisers' float32 updates that have a kernel of their own: Adam's step over a whole parameter. Every
 * implementation rounds the same operations in the same order, so they agree bit for bit, whatever the thread count.
 */
public interface UpdateKernels {
  /**
   * One Adam step on every element, in PyTorch's order of operations: m = b1 m + (1 - b1) g,
   * v = b2 v + (1 - b2) g g, w = w - stepSize m / (sqrt(v) / rootCorrection + eps). Writes w, m and v.
   */
  void adam(float[] w, float[] g, float[] m, float[] v, AdamStep step);

  /** The scalars of one Adam step. */
  record AdamStep(float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float stepSize,
      float rootCorrection, float epsilon) {}
}
