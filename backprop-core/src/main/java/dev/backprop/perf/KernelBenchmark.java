package dev.backprop.perf;

import dev.backprop.SeededRandom;
import dev.backprop.internal.kernel.FloatKernels;
import dev.backprop.internal.kernel.Kernels;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * GFLOP/s of the three products of backpropagation at a given shape, on the kernels in use: a quick
 * measurement for users (`backprop bench`); the JMH benchmarks in backprop-bench are the careful one.
 */
public final class KernelBenchmark {
  private KernelBenchmark() {}

  /** The three forms: Z = X W, dW = A^T delta, delta W^T. */
  public enum Form {
    XW("X W"),
    ATB("A^T delta"),
    ABT("delta W^T");

    private final String label;

    Form(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** The measured rate of one product. */
  public record Result(Form form, int m, int k, int n, double gflops) {
    public String shape() {
      return String.format(Locale.ROOT, "%dx%dx%d", m, k, n);
    }
  }

  private static final AtomicBoolean WARMED = new AtomicBoolean();

  /**
   * The machine's single-precision FMA peak in GFLOP/s on as many threads as the kernels use: every thread runs
   * twelve independent chains of vector fused multiply-adds for about {@code seconds}, after a short warm-up. It
   * is the ceiling for the products' GFLOP/s. Empty when the Vector API module is not enabled (or the thread is
   * interrupted).
   */
  public static OptionalDouble fmaPeak(double seconds) {
    try {
      return Kernels.fmaPeak(Kernels.threads(), seconds);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalDouble.empty();
    }
  }

  /** Timed windows per measurement; the rate reported is the best window's. */
  static final int WINDOWS = 5;

  /**
   * Runs the product out[m x n] = op(a) op(b) with contraction k repeatedly for about {@code seconds}, after a
   * warm-up, in {@link #WINDOWS} windows, and gives the best window's rate: the one least disturbed by the JIT
   * compiling a new path and by the machine's other load. bench/peers/gemm_numpy.py measures OpenBLAS the same
   * way.
   */
  public static Result run(Form form, int m, int k, int n, double seconds) {
    FloatKernels kernels = Kernels.floats();
    SeededRandom random = new SeededRandom(7);
    float[] a = new float[m * k];
    float[] b = new float[k * n];
    float[] out = new float[m * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextDouble(-1, 1);
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) random.nextDouble(-1, 1);
    }
    // warm-up, then the timed runs. The first product of a run warms up for at least a second: the JIT is still
    // compiling the kernels, and after 0.3 s the first one measured ran at 60-75% of its later rate
    double warmSeconds = WARMED.getAndSet(true) ? seconds * 0.3 : Math.max(seconds * 0.3, 1.0);
    long warmEnd = System.nanoTime() + (long) (warmSeconds * 1e9);
    while (System.nanoTime() < warmEnd) {
      once(kernels, form, a, b, out, m, k, n);
    }
    long window = (long) (seconds * 1e9 / WINDOWS);
    double best = 0;
    for (int w = 0; w < WINDOWS; w++) {
      long start = System.nanoTime();
      long end = start + window;
      long iterations = 0;
      long now;
      do {
        once(kernels, form, a, b, out, m, k, n);
        iterations++;
        now = System.nanoTime();
      } while (now < end);
      best = Math.max(best, 2.0 * m * k * n * iterations / ((now - start) / 1e9) / 1e9);
    }
    return new Result(form, m, k, n, best);
  }

  private static void once(FloatKernels kernels, Form form, float[] a, float[] b, float[] out, int m, int k, int n) {
    switch (form) {
      case XW:
        kernels.matmul(a, b, null, out, m, k, n);
        break;
      case ATB:
        kernels.matmulTransposeA(a, b, out, m, k, n);
        break;
      default:
        kernels.matmulTransposeB(a, b, out, m, k, n);
        break;
    }
  }
}
