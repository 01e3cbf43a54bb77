package dev.backprop.internal.kernel;

/**
 * The only class that names {@link VectorFloatKernels} from outside it, so that the Vector API classes are loaded
 * only once the module is known to be present.
 */
final class VectorSupport {
  private VectorSupport() {}

  static FloatKernels create(ComputePool pool) {
    return new VectorFloatKernels(pool);
  }
}
