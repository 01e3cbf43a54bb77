package dev.backprop.internal.kernel;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the float32 kernels once, at first use: the Vector API implementations when the module
 * {@code jdk.incubator.vector} is present, else the scalar loops with one log line saying how to get the
 * fast ones. The system property {@code backprop.kernel} ({@code vector} or {@code scalar}) forces a
 * choice; {@code backprop.threads} sets the thread count (default: the available processors).
 *
 * <p>The kernels come by concern: {@link #products()}, {@link #elementwise()} and {@link #updates()}. Scheduling is
 * not theirs: {@link TasksAside} runs other work on the same compute threads.
 */
public final class Kernels {
  /** System property forcing the kernel: {@code vector} or {@code scalar}. */
  public static final String KERNEL_PROPERTY = "backprop.kernel";
  /**
   * System property choosing the rows of the vector kernels' micro-tile, {@code 4}, {@code 6} or {@code 12}.
   * By default 6 with 8 float lanes (AVX2, 16 vector registers), 4 there from JDK 25, whose JIT compiles the
   * six-row micro-kernel poorly; and 12 with 16 lanes (AVX-512, 32 registers), whose 24 accumulators halve the loads
   * per multiply-add. Results do not depend on it: every element of a product is summed in the same order whatever
   * the tile.
   */
  public static final String ROWS_PROPERTY = "backprop.kernel.rows";
  /** System property with the number of compute threads. */
  public static final String THREADS_PROPERTY = "backprop.threads";

  private static final Logger LOG = LoggerFactory.getLogger(Kernels.class);
  private static volatile KernelSet current;

  private Kernels() {}

  /** The matrix products in use. */
  public static ProductKernels products() {
    return chosen().products();
  }

  /** The element-wise passes in use. */
  public static ElementwiseKernels elementwise() {
    return chosen().elementwise();
  }

  /** The optimiser updates in use. */
  public static UpdateKernels updates() {
    return chosen().updates();
  }

  /** The products of prediction, over weights packed once. */
  public static InferenceKernels inference() {
    return chosen().inference();
  }

  /** A short description of the kernels in use, e.g. {@code vector (8 float lanes, 6 x 16 tiles, 2 threads)}. */
  public static String name() {
    return chosen().name();
  }

  /** Uses {@code threads} compute threads from now on (the kernel kind stays as chosen). */
  public static synchronized void useThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    KernelSet old = current;
    if (old != null && old.pool() != null && old.pool().threads() == threads) {
      return;
    }
    current = choose(threads);
    if (old != null && old.pool() != null) {
      old.pool().close();
    }
  }

  /** The number of compute threads the kernels use. */
  public static int threads() {
    ComputePool pool = chosen().pool();
    return pool == null ? 1 : pool.threads();
  }

  /** The compute pool of the kernels in use; null when they run on the calling thread alone. */
  static ComputePool pool() {
    return chosen().pool();
  }

  private static KernelSet chosen() {
    KernelSet k = current;
    if (k == null) {
      synchronized (Kernels.class) {
        if (current == null) {
          current = choose(defaultThreads());
          LOG.info("Backprop kernels: {}", current.name());
        }
        k = current;
      }
    }
    return k;
  }

  /**
   * The rows of the vector kernels' micro-tile for vectors of {@code lanes} floats: {@link #ROWS_PROPERTY}, else
   * chosen by the JDK's release and the lanes.
   */
  static int tileRows(int lanes) {
    String value = System.getProperty(ROWS_PROPERTY);
    if (value != null) {
      String rows = value.trim();
      if (rows.equals("4") || rows.equals("6") || rows.equals("12")) {
        return Integer.parseInt(rows);
      }
      LOG.warn("ignoring -D{}={}: expected 4, 6 or 12", ROWS_PROPERTY, value);
    }
    if (lanes >= 16) {
      return 12;
    }
    return lanes == 8 && Runtime.version().feature() >= 25 ? 4 : 6;
  }

  private static int defaultThreads() {
    String value = System.getProperty(THREADS_PROPERTY);
    if (value != null) {
      try {
        int t = Integer.parseInt(value.trim());
        if (t >= 1) {
          return t;
        }
      } catch (NumberFormatException e) {
        // fall through to the warning
      }
      LOG.warn("ignoring -D{}={}: expected a positive whole number", THREADS_PROPERTY, value);
    }
    return Runtime.getRuntime().availableProcessors();
  }

  private static KernelSet choose(int threads) {
    String forced = System.getProperty(KERNEL_PROPERTY, "").trim().toLowerCase(Locale.ROOT);
    boolean moduleThere = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    if (forced.equals("scalar")) {
      return KernelSet.scalar();
    }
    if (!moduleThere) {
      if (forced.equals("vector")) {
        LOG.warn("-D{}=vector, but the module jdk.incubator.vector is not enabled; using the scalar kernels",
            KERNEL_PROPERTY);
      } else {
        LOG.warn("the Vector API is not enabled, so Backprop uses its slower scalar kernels; "
            + "run java with --add-modules jdk.incubator.vector to enable the fast ones");
      }
      return KernelSet.scalar();
    }
    return VectorSupport.create(new ComputePool(threads));
  }
}
