package dev.backprop.internal.kernel;

/**
 * The only class that names the Vector API kernels from outside them, so that their classes are loaded only once
 * the module is known to be present.
 */
final class VectorSupport {
  private VectorSupport() {}

  /** The Vector API kernels on {@code pool}. */
  static KernelSet create(ComputePool pool) {
    return new KernelSet(VectorProducts.describe(pool.threads()), new VectorProducts(pool),
        new VectorElementwise(pool), new VectorUpdates(pool), new VectorInference(), pool);
  }
}
