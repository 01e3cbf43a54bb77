package dev.backprop.bench;

import dev.backprop.SeededRandom;
import dev.backprop.tensor.Matrix;
import dev.backprop.tensor.MatrixOps;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The three products of backpropagation at the training shapes, through the public {@link MatrixOps}.
 * GFLOP/s = 2 m k n / (time per operation). The thread count comes from -Dbackprop.threads (default: all
 * cores), passed to the fork with -jvmArgsAppend.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class ProductBenchmark {
  /** m x k x n: the batch, the inputs and the outputs of a layer. */
  @Param({"128x784x256", "512x784x1024", "64x784x128", "128x256x10"})
  public String shape;

  private Matrix x;
  private Matrix w;
  private Matrix z;
  private Matrix delta;
  private Matrix dW;
  private Matrix back;

  @Setup
  public void setUp() {
    String[] p = shape.split("x");
    int m = Integer.parseInt(p[0]);
    int k = Integer.parseInt(p[1]);
    int n = Integer.parseInt(p[2]);
    SeededRandom random = new SeededRandom(7);
    x = random(m, k, random);
    w = random(k, n, random);
    delta = random(m, n, random);
    z = Matrix.zeros(m, n);
    dW = Matrix.zeros(k, n);
    back = Matrix.zeros(m, k);
  }

  private static Matrix random(int rows, int cols, SeededRandom random) {
    Matrix m = Matrix.zeros(rows, cols);
    for (int i = 0; i < m.size(); i++) {
      m.setFlat(i, random.nextDouble(-1, 1));
    }
    return m;
  }

  /** Z = X W (forward). */
  @Benchmark
  public Matrix forwardXW() {
    return MatrixOps.matmul(x, w, z);
  }

  /** dW = X^T delta (weight gradient). */
  @Benchmark
  public Matrix weightGradientATDelta() {
    return MatrixOps.matmulTransposeA(x, delta, dW);
  }

  /** delta W^T (gradient for the layer below). */
  @Benchmark
  public Matrix backwardDeltaWT() {
    return MatrixOps.matmulTransposeB(delta, w, back);
  }
}
