package dev.backprop.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backprop.SeededRandom;
import dev.backprop.data.Normalization;
import dev.backprop.tensor.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The prediction kernels: vector and scalar bit for bit, both within the rounding bound of a float64 reference, the
 * vector ones bit for bit with the vector training product (the same order of sums), and the same bits on one and
 * two threads. The vector checks skip themselves without the jdk.incubator.vector module.
 */
class InferenceParityTest {
  static final long SEED = 24;
  private static final float EPS = 0x1p-24f;

  static List<Arguments> shapes() {
    List<Arguments> all = new ArrayList<>();
    for (int rows : new int[] {1, 3, 4, 5, 64, 67}) {
      for (int in : new int[] {1, 7, 64, 784}) {
        for (int out : new int[] {1, 10, 16, 63, 64, 65, 128, 257}) {
          all.add(Arguments.of(rows, in, out));
        }
      }
    }
    // more than one block of p (KC): the blocks' sums are added, then the bias
    all.add(Arguments.of(5, 2100, 33));
    all.add(Arguments.of(1, 3000, 70));
    return all;
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void scalarWithinTheRoundingBoundOfFloat64(int rows, int in, int out) {
    Case c = new Case(rows, in, out);
    float[] z = c.run(new ScalarInference());
    c.assertNearReference(z);
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void vectorEqualsScalarAndTheTrainingProduct(int rows, int in, int out) {
    assumeTrue(vectorModule());
    Case c = new Case(rows, in, out);
    float[] vector = c.run(new VectorInference());
    assertArrayEquals(c.run(new ScalarInference()), vector, "vector against scalar");
    c.assertNearReference(vector);
    ComputePool pool = new ComputePool(1);
    try {
      float[] trained = new float[rows * out];
      new VectorProducts(pool).matmul(c.x, c.w, c.b, trained, rows, in, out);
      assertArrayEquals(trained, vector, "prediction against the training product");
    } finally {
      pool.close();
    }
  }

  @Test
  void theSameBitsOnOneAndTwoThreads() {
    assumeTrue(vectorModule());
    int before = Kernels.threads();
    // 2 x 256 x 784 x 256 flops: above the pool's threshold, so two threads split the rows
    Case c = new Case(256, 784, 256);
    try {
      Kernels.useThreads(1);
      float[] one = c.run(new VectorInference());
      Kernels.useThreads(2);
      float[] two = c.run(new VectorInference());
      assertArrayEquals(one, two);
    } finally {
      Kernels.useThreads(before);
    }
  }

  @Test
  void scalingEqualsNormalizationApply() {
    SeededRandom random = SeededRandom.derive(SEED, 99);
    for (int d : new int[] {1, 7, 8, 17, 784}) {
      int rows = 5;
      Matrix x = Matrix.zeros(rows + 2, d);
      for (int i = 0; i < x.size(); i++) {
        x.setFlat(i, random.nextDouble(-300, 300));
      }
      Normalization norm = Normalization.fit(Normalization.Kind.STANDARD, x);
      Matrix expected = norm.apply(x);
      float[] want = Arrays.copyOfRange(expected.floats(), 2 * d, (rows + 2) * d);
      float[] scalar = new float[rows * d];
      new ScalarInference().scale(x.floats(), 2, rows, norm.offset(), norm.scale(), scalar);
      assertArrayEquals(want, scalar, "scalar scaling of " + d + " features");
      if (vectorModule()) {
        float[] vector = new float[rows * d];
        new VectorInference().scale(x.floats(), 2, rows, norm.offset(), norm.scale(), vector);
        assertArrayEquals(want, vector, "vector scaling of " + d + " features");
      }
    }
  }

  @Test
  void aWrongSumIsCaught() {
    Case c = new Case(3, 64, 10);
    float[] z = c.run(new ScalarInference());
    z[7] += 1e-4f * Math.max(1f, Math.abs(z[7]));
    boolean caught = false;
    try {
      c.assertNearReference(z);
    } catch (AssertionError expected) {
      caught = true;
    }
    assertTrue(caught, "a sum off by 1e-4 passed the reference check");
  }

  private static boolean vectorModule() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /** Random x, W and b for one shape, and z = x W + b in float64. */
  private static final class Case {
    final int rows;
    final int in;
    final int out;
    final float[] x;
    final float[] w;
    final float[] b;

    Case(int rows, int in, int out) {
      System.out.println("seed " + SEED + ", shape " + rows + " x " + in + " x " + out);
      this.rows = rows;
      this.in = in;
      this.out = out;
      SeededRandom random = SeededRandom.derive(SEED, rows, in, out);
      x = fill(random, rows * in);
      w = fill(random, in * out);
      b = fill(random, out);
    }

    private static float[] fill(SeededRandom random, int n) {
      float[] a = new float[n];
      for (int i = 0; i < n; i++) {
        a[i] = (float) random.nextDouble(-1, 1);
      }
      return a;
    }

    float[] run(InferenceKernels kernels) {
      float[] z = new float[rows * out];
      kernels.forward(kernels.pack(w, b, in, out), x, rows, z);
      return z;
    }

    /** Within (in + 2) u (sum of |x w| + |b|): the bound of in float additions and fused multiply-adds. */
    void assertNearReference(float[] z) {
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < out; j++) {
          double exact = b[j];
          double magnitude = Math.abs(b[j]);
          for (int p = 0; p < in; p++) {
            exact += (double) x[r * in + p] * w[p * out + j];
            magnitude += Math.abs((double) x[r * in + p] * w[p * out + j]);
          }
          double error = Math.abs(z[r * out + j] - exact);
          double bound = (in + 2) * (double) EPS * magnitude;
          if (!(error <= bound)) {
            throw new AssertionError("z[" + r + "][" + j + "] = " + z[r * out + j] + ", float64 gives " + exact
                + ": off by " + error + ", more than " + bound);
          }
        }
      }
    }
  }
}
