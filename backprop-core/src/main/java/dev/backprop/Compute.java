package dev.backprop;

import dev.backprop.internal.kernel.Kernels;

/**
 * The compute settings of the process: how many threads the kernels use, and which kernels run.
 *
 * <p>The kernels are chosen once: the Vector API ones when the JVM has the module
 * {@code jdk.incubator.vector} ({@code --add-modules jdk.incubator.vector}), else the scalar loops. The
 * system property {@code backprop.kernel=scalar|vector} forces the choice and {@code backprop.threads}
 * sets the initial thread count. Results never depend on the thread count.
 */
public final class Compute {
  private Compute() {}

  /** Uses {@code threads} compute threads from now on. */
  public static void useThreads(int threads) {
    Kernels.useThreads(threads);
  }

  /** The number of compute threads the kernels use (one with the scalar kernels). */
  public static int threads() {
    return Kernels.threads();
  }

  /** A description of the kernels in use, e.g. {@code vector (8 float lanes, 2 threads)}. */
  public static String kernels() {
    return Kernels.name();
  }
}
