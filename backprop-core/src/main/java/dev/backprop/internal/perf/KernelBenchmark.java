package dev.backprop.internal.perf;

import dev.backprop.Compute;
import dev.backprop.SeededRandom;
import dev.backprop.tensor.Matrix;
import dev.backprop.tensor.MatrixOps;
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
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("seconds must be positive, got " + seconds);
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      // plain Java cannot issue vector FMAs; FmaPeak is named only past this check, so its Vector API classes
      // are never loaded without the module
      return OptionalDouble.empty();
    }
    try {
      return OptionalDouble.of(FmaPeak.measure(Compute.threads(), seconds));
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
    Product product = Product.of(form, a, b, out, m, k, n);
    while (System.nanoTime() < warmEnd) {
      product.multiply();
    }
    long window = (long) (seconds * 1e9 / WINDOWS);
    double best = 0;
    for (int w = 0; w < WINDOWS; w++) {
      long start = System.nanoTime();
      long end = start + window;
      long iterations = 0;
      long now;
      do {
        product.multiply();
        iterations++;
        now = System.nanoTime();
      } while (now < end);
      best = Math.max(best, 2.0 * m * k * n * iterations / ((now - start) / 1e9) / 1e9);
    }
    return new Result(form, m, k, n, best);
  }

  /** The product one measurement repeats, its factors shaped for its form. */
  private record Product(Form form, Matrix a, Matrix b, Matrix out) {
    /** a holds m k values and b k n: X [m x k] W [k x n], A [k x m]^T delta [k x n], or delta [m x k] W [n x k]^T. */
    static Product of(Form form, float[] a, float[] b, float[] out, int m, int k, int n) {
      Matrix c = Matrix.wrap(m, n, out);
      switch (form) {
        case XW:
          return new Product(form, Matrix.wrap(m, k, a), Matrix.wrap(k, n, b), c);
        case ATB:
          return new Product(form, Matrix.wrap(k, m, a), Matrix.wrap(k, n, b), c);
        default:
          return new Product(form, Matrix.wrap(m, k, a), Matrix.wrap(n, k, b), c);
      }
    }

    void multiply() {
      switch (form) {
        case XW:
          MatrixOps.matmul(a, b, out);
          break;
        case ATB:
          MatrixOps.matmulTransposeA(a, b, out);
          break;
        default:
          MatrixOps.matmulTransposeB(a, b, out);
          break;
      }
    }
  }
}
