package dev.backprop.internal.kernel;

/**
 * The only class that names {@link VectorFloatKernels} and {@link FmaPeak} from outside them, so that the Vector
 * API classes are loaded only once the module is known to be present.
 */
final class VectorSupport {
  private VectorSupport() {}

  static FloatKernels create(ComputePool pool) {
    return new VectorFloatKernels(pool);
  }

  static double fmaPeak(int threads, double seconds) throws InterruptedException {
    return FmaPeak.measure(threads, seconds);
  }
}
