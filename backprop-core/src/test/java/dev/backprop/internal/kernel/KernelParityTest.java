package dev.backprop.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backprop.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Vector API kernels against the scalar reference on random inputs over awkward sizes, in all three
 * product forms, and bit for bit between one and two threads. Skipped (not failed) when the JVM runs
 * without the jdk.incubator.vector module, as CI's second pass does to exercise the scalar fallback.
 */
class KernelParityTest {
  private static final int[] SIZES = {1, 3, 17, 63, 65, 127, 784};
  private static ComputePool onePool;
  private static ComputePool twoPool;

  @BeforeAll
  static void pools() {
    onePool = new ComputePool(1);
    twoPool = new ComputePool(2);
  }

  @AfterAll
  static void close() {
    onePool.close();
    twoPool.close();
  }

  static List<Arguments> shapes() {
    List<Arguments> all = new ArrayList<>();
    for (int m : SIZES) {
      for (int k : SIZES) {
        for (int n : SIZES) {
          if ((long) m * k * n <= 40_000_000L && (m < 700 || n < 700)) {
            all.add(Arguments.of(m, k, n));
          }
        }
      }
    }
    all.add(Arguments.of(128, 784, 256));
    all.add(Arguments.of(64, 784, 128));
    all.add(Arguments.of(128, 256, 10));
    // more than one block of p (KC), so partial sums are added into C
    all.add(Arguments.of(17, 2100, 33));
    all.add(Arguments.of(64, 1500, 130));
    all.add(Arguments.of(300, 3000, 20));
    // over 256 MFLOP: the columns are cut into more parts than threads, and on two threads A is packed once
    all.add(Arguments.of(258, 520, 1000));
    return all;
  }

  private static float[] random(SeededRandom r, int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) r.nextDouble(-1, 1);
    }
    return x;
  }

  @ParameterizedTest(name = "{0}x{1}x{2}")
  @MethodSource("shapes")
  void vectorMatchesScalarInAllThreeForms(int m, int k, int n) {
    assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "Vector API not enabled");
    long seed = 31L * m + 17L * k + n;
    SeededRandom r = new SeededRandom(seed);
    ProductKernels scalar = new ScalarProducts();
    ProductKernels vector1 = VectorSupport.create(onePool).products();
    ProductKernels vector2 = VectorSupport.create(twoPool).products();
    float[] a = random(r, m * k);
    float[] b = random(r, k * n);
    float[] bias = random(r, n);
    float[] bt = random(r, n * k);
    float[] at = random(r, k * m);

    float[] expected = new float[m * n];
    float[] got1 = new float[m * n];
    float[] got2 = new float[m * n];

    scalar.matmul(a, b, bias, expected, m, k, n);
    vector1.matmul(a, b, bias, got1, m, k, n);
    vector2.matmul(a, b, bias, got2, m, k, n);
    assertClose(expected, got1, k, "a b + bias, seed " + seed);
    assertArrayEquals(got1, got2, "a b + bias: 1 and 2 threads differ");

    // without a bias, whole tiles of one block of p go straight into C
    scalar.matmul(a, b, null, expected, m, k, n);
    vector1.matmul(a, b, null, got1, m, k, n);
    vector2.matmul(a, b, null, got2, m, k, n);
    assertClose(expected, got1, k, "a b, seed " + seed);
    assertArrayEquals(got1, got2, "a b: 1 and 2 threads differ");

    scalar.matmulTransposeA(at, b, expected, m, k, n);
    vector1.matmulTransposeA(at, b, got1, m, k, n);
    vector2.matmulTransposeA(at, b, got2, m, k, n);
    assertClose(expected, got1, k, "a^T b, seed " + seed);
    assertArrayEquals(got1, got2, "a^T b: 1 and 2 threads differ");

    scalar.matmulTransposeB(a, bt, expected, m, k, n);
    vector1.matmulTransposeB(a, bt, got1, m, k, n);
    vector2.matmulTransposeB(a, bt, got2, m, k, n);
    assertClose(expected, got1, k, "a b^T, seed " + seed);
    assertArrayEquals(got1, got2, "a b^T: 1 and 2 threads differ");
  }

  /** Sums of k products of values in [-1, 1] differ by rounding: allow a few ulps of 1 per term. */
  private static void assertClose(float[] expected, float[] actual, int k, String what) {
    double tolerance = 1e-6 * (k + 1) + 1e-6;
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs(expected[i] - actual[i]);
      int index = i;
      assertTrue(diff <= tolerance, () -> what + ": element " + index + " is " + actual[index] + ", expected "
          + expected[index] + " (tolerance " + tolerance + ")");
    }
  }

  @org.junit.jupiter.api.Test
  void adamAxpyAndFinitenessAgreeBitForBit() {
    assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "Vector API not enabled");
    ElementwiseKernels scalar = new ScalarElementwise();
    ElementwiseKernels vector = VectorSupport.create(onePool).elementwise();
    ElementwiseKernels vector2 = VectorSupport.create(twoPool).elementwise();
    UpdateKernels scalarUpdates = new ScalarUpdates();
    UpdateKernels vectorUpdates = VectorSupport.create(onePool).updates();
    UpdateKernels vector2Updates = VectorSupport.create(twoPool).updates();
    // 40001 and 200705 are split over the two threads of vector2
    for (int size : new int[] {1, 7, 8, 17, 1000, 4099, 40001, 200705}) {
      SeededRandom r = new SeededRandom(size);
      float[] g = random(r, size);
      float[] w1 = random(r, size);
      float[] m1 = random(r, size);
      float[] v1 = new float[size];
      for (int i = 0; i < size; i++) {
        v1[i] = (float) r.nextDouble(0, 1);
      }
      float[] w2 = w1.clone();
      float[] m2 = m1.clone();
      float[] v2 = v1.clone();
      float[] w3 = w1.clone();
      float[] m3 = m1.clone();
      float[] v3 = v1.clone();
      UpdateKernels.AdamStep step = new UpdateKernels.AdamStep(0.9f, 0.1f, 0.999f, 0.001f, 0.01f, 0.05f, 1e-8f);
      scalarUpdates.adam(w1, g, m1, v1, step);
      vectorUpdates.adam(w2, g, m2, v2, step);
      vector2Updates.adam(w3, g, m3, v3, step);
      assertArrayEquals(w1, w3, "Adam weights on two threads, size " + size);
      assertArrayEquals(m1, m3, "Adam m on two threads, size " + size);
      assertArrayEquals(v1, v3, "Adam v on two threads, size " + size);
      assertArrayEquals(w1, w2, "Adam weights, size " + size);
      assertArrayEquals(m1, m2, "Adam m, size " + size);
      assertArrayEquals(v1, v2, "Adam v, size " + size);

      float[] y1 = random(r, size);
      float[] y2 = y1.clone();
      float[] y3 = y1.clone();
      scalar.axpy(-0.37f, g, y1);
      vector.axpy(-0.37f, g, y2);
      vector2.axpy(-0.37f, g, y3);
      assertArrayEquals(y1, y2, "axpy, size " + size);
      assertArrayEquals(y1, y3, "axpy on two threads, size " + size);
      float[] plain = y1.clone();
      for (int i = 0; i < size; i++) {
        // a multiply-add fused into one rounding would differ from this in some elements
        plain[i] = y1[i] + 1.7f * g[i];
      }
      vector2.axpy(1.7f, g, y1);
      assertArrayEquals(plain, y1, "axpy as Java's y + a x, size " + size);

      assertTrue(scalar.allFinite(g) && vector.allFinite(g) && vector2.allFinite(g));
      for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
        for (int at : new int[] {0, size / 2, size - 1}) {
          float[] x = g.clone();
          x[at] = bad;
          assertTrue(!scalar.allFinite(x) && !vector.allFinite(x) && !vector2.allFinite(x),
              bad + " at " + at + " of " + size);
        }
      }
      float[] big = g.clone();
      big[size - 1] = Float.MAX_VALUE;
      assertTrue(scalar.allFinite(big) && vector.allFinite(big) && vector2.allFinite(big), "MAX_VALUE is finite");
    }
  }

  @org.junit.jupiter.api.Test
  void allFiniteFindsANonFiniteValueWhereverItIs() {
    assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "Vector API not enabled");
    ElementwiseKernels vector = VectorSupport.create(onePool).elementwise();
    ElementwiseKernels vector2 = VectorSupport.create(twoPool).elementwise();
    // the vector loop keeps several sums side by side: a bad value must be found in each of them, in the loop
    // over single vectors after them, in the scalar tail, and on either side of the cut between two threads
    for (int size : new int[] {1, 5, 8, 13, 31, 32, 33, 64, 71, 100, 4099, 40001}) {
      float[] g = random(new SeededRandom(size), size);
      assertTrue(vector.allFinite(g) && vector2.allFinite(g), "all finite, size " + size);
      for (int at = 0; at < size; at++) {
        boolean near = at < 160 || at >= size - 160 || Math.abs(at - size / 2) < 160;
        if (size > 4099 && !near) {
          continue;
        }
        float saved = g[at];
        g[at] = at % 3 == 0 ? Float.NaN : at % 3 == 1 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
        assertFalse(vector.allFinite(g), g[at] + " at " + at + " of " + size);
        assertFalse(vector2.allFinite(g), g[at] + " at " + at + " of " + size + ", two threads");
        g[at] = saved;
      }
    }
  }

  @org.junit.jupiter.api.Test
  void columnSumsAgreeBitForBitWithRowOrder() {
    assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "Vector API not enabled");
    ElementwiseKernels scalar = new ScalarElementwise();
    ElementwiseKernels vector = VectorSupport.create(twoPool).elementwise();
    for (int m : new int[] {1, 3, 17, 64, 65}) {
      for (int n : new int[] {1, 7, 8, 10, 17, 128, 1025}) {
        SeededRandom r = new SeededRandom(31L * m + n);
        float[] a = random(r, m * n);
        // values of very different sizes, so that another order of the additions would round differently
        for (int i = 0; i < a.length; i += 3) {
          a[i] *= 1e6f;
        }
        float[] expected = new float[n];
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            expected[j] += a[i * n + j];
          }
        }
        // out holds something beforehand, which the sums replace
        float[] viaScalar = random(r, n);
        float[] viaVector = random(r, n);
        scalar.columnSums(a, viaScalar, m, n);
        vector.columnSums(a, viaVector, m, n);
        assertArrayEquals(expected, viaScalar, "scalar column sums, " + m + "x" + n);
        assertArrayEquals(expected, viaVector, "vector column sums, " + m + "x" + n);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void byteGatherAgreesBitForBitWithTheDivision() {
    assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "Vector API not enabled");
    ElementwiseKernels scalar = new ScalarElementwise();
    ElementwiseKernels vector = VectorSupport.create(twoPool).elementwise();
    for (int width : new int[] {1, 3, 8, 17, 63, 65, 784}) {
      SeededRandom r = new SeededRandom(width);
      int rowCount = 50;
      byte[] src = new byte[rowCount * width];
      for (int i = 0; i < src.length; i++) {
        src[i] = (byte) r.nextInt(256);
      }
      src[0] = (byte) 0xff; // the sign bit set: must read as 255, not -1
      src[src.length - 1] = 0;
      int[] order = new int[rowCount];
      for (int i = 0; i < rowCount; i++) {
        order[i] = (i * 7 + 3) % rowCount;
      }
      for (float divisor : new float[] {255f, 1f, 3f}) {
        int from = 5;
        int count = 40;
        // written after an offset of one row, which must stay as it was
        int offset = width;
        float[] expected = new float[offset + count * width];
        java.util.Arrays.fill(expected, 0, offset, -7f);
        for (int row = 0; row < count; row++) {
          for (int j = 0; j < width; j++) {
            expected[offset + row * width + j] = (float) (src[order[from + row] * width + j] & 0xff) / divisor;
          }
        }
        float[] viaScalar = new float[expected.length];
        float[] viaVector = new float[expected.length];
        java.util.Arrays.fill(viaScalar, 0, offset, -7f);
        java.util.Arrays.fill(viaVector, 0, offset, -7f);
        scalar.gatherBytes(src, width, order, from, count, divisor, viaScalar, offset);
        vector.gatherBytes(src, width, order, from, count, divisor, viaVector, offset);
        assertArrayEquals(expected, viaScalar, "scalar gather, width " + width + ", divisor " + divisor);
        assertArrayEquals(expected, viaVector, "vector gather, width " + width + ", divisor " + divisor);
      }
    }
  }
}
