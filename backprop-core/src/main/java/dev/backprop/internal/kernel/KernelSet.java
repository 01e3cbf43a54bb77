package dev.backprop.internal.kernel;

/**
 * The kernels of one choice, one implementation per concern, and the compute pool they share (null for the scalar
 * kernels, which run on the calling thread).
 */
record KernelSet(String name, ProductKernels products, ElementwiseKernels elementwise, UpdateKernels updates,
    InferenceKernels inference, ComputePool pool) {
  /** The plain loops: the fallback and the reference. */
  static KernelSet scalar() {
    return new KernelSet("scalar", new ScalarProducts(), new ScalarElementwise(), new ScalarUpdates(),
        new ScalarInference(), null);
  }
}
