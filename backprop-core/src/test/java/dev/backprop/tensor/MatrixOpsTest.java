package dev.backprop.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MatrixOps against naive double-precision loops on random matrices of awkward sizes, and the shape and
 * type checks of MatrixOps and Matrix.
 */
class MatrixOpsTest {
  private static final int[] SIZES = {1, 3, 17, 63, 65, 127};

  /** (m, k, n) triples putting every awkward size in every position, in both element types. */
  static List<Arguments> products() {
    List<Arguments> all = new ArrayList<>();
    for (DType dtype : DType.values()) {
      for (int i = 0; i < SIZES.length; i++) {
        all.add(Arguments.of(dtype, SIZES[i], SIZES[(i + 1) % SIZES.length], SIZES[(i + 3) % SIZES.length]));
        all.add(Arguments.of(dtype, SIZES[(i + 2) % SIZES.length], SIZES[i], SIZES[(i + 5) % SIZES.length]));
        all.add(Arguments.of(dtype, SIZES[(i + 4) % SIZES.length], SIZES[(i + 1) % SIZES.length], SIZES[i]));
      }
      all.add(Arguments.of(dtype, 1, 1, 1));
      all.add(Arguments.of(dtype, 127, 127, 127));
      // sums longer than one cache block, and products large enough to be split between threads
      all.add(Arguments.of(dtype, 5, 257, 19));
      all.add(Arguments.of(dtype, 65, 513, 17));
      all.add(Arguments.of(dtype, 130, 300, 129));
    }
    return all;
  }

  /** (rows, cols) pairs for the element-wise operations. */
  static List<Arguments> shapes() {
    List<Arguments> all = new ArrayList<>();
    for (DType dtype : DType.values()) {
      for (int i = 0; i < SIZES.length; i++) {
        all.add(Arguments.of(dtype, SIZES[i], SIZES[(i + 2) % SIZES.length]));
        all.add(Arguments.of(dtype, SIZES[(i + 3) % SIZES.length], SIZES[i]));
      }
    }
    return all;
  }

  // ---------------------------------------------------------------- products

  @ParameterizedTest(name = "{0} [{1}x{2}] [{2}x{3}]")
  @MethodSource("products")
  void matmulMatchesNaiveLoop(DType dtype, int m, int k, int n) {
    long seed = seedOf(1, dtype, m, k, n);
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    Matrix a = random(dtype, m, k, random);
    Matrix b = random(dtype, k, n, random);
    Matrix out = Matrix.zeros(dtype, m, n).fill(123.0);
    MatrixOps.matmul(a, b, out);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        double sumAbs = 0;
        for (int p = 0; p < k; p++) {
          double t = a.get(i, p) * b.get(p, j);
          sum += t;
          sumAbs += Math.abs(t);
        }
        assertClose(sum, out.get(i, j), tolerance(dtype, k, sumAbs), "matmul", i, j);
      }
    }
  }

  @ParameterizedTest(name = "{0} [{2}x{1}]^T [{2}x{3}]")
  @MethodSource("products")
  void matmulTransposeAMatchesNaiveLoop(DType dtype, int m, int k, int n) {
    long seed = seedOf(2, dtype, m, k, n);
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    Matrix a = random(dtype, k, m, random);
    Matrix b = random(dtype, k, n, random);
    Matrix out = Matrix.zeros(dtype, m, n).fill(-7.0);
    MatrixOps.matmulTransposeA(a, b, out);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        double sumAbs = 0;
        for (int p = 0; p < k; p++) {
          double t = a.get(p, i) * b.get(p, j);
          sum += t;
          sumAbs += Math.abs(t);
        }
        assertClose(sum, out.get(i, j), tolerance(dtype, k, sumAbs), "matmulTransposeA", i, j);
      }
    }
  }

  @ParameterizedTest(name = "{0} [{1}x{2}] [{3}x{2}]^T")
  @MethodSource("products")
  void matmulTransposeBMatchesNaiveLoop(DType dtype, int m, int k, int n) {
    long seed = seedOf(3, dtype, m, k, n);
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    Matrix a = random(dtype, m, k, random);
    Matrix b = random(dtype, n, k, random);
    Matrix out = Matrix.zeros(dtype, m, n).fill(5.0);
    MatrixOps.matmulTransposeB(a, b, out);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        double sumAbs = 0;
        for (int p = 0; p < k; p++) {
          double t = a.get(i, p) * b.get(j, p);
          sum += t;
          sumAbs += Math.abs(t);
        }
        assertClose(sum, out.get(i, j), tolerance(dtype, k, sumAbs), "matmulTransposeB", i, j);
      }
    }
  }

  // ---------------------------------------------------------------- row and element-wise operations

  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("shapes")
  void columnSumsMatchNaiveLoop(DType dtype, int rows, int cols) {
    long seed = seedOf(4, dtype, rows, cols, 0);
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    Matrix a = random(dtype, rows, cols, random);
    Matrix out = Matrix.zeros(dtype, 1, cols).fill(99.0);
    MatrixOps.columnSums(a, out);
    for (int j = 0; j < cols; j++) {
      double sum = 0;
      double sumAbs = 0;
      for (int i = 0; i < rows; i++) {
        sum += a.get(i, j);
        sumAbs += Math.abs(a.get(i, j));
      }
      assertClose(sum, out.get(0, j), tolerance(dtype, rows, sumAbs), "columnSums", 0, j);
    }
  }

  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("shapes")
  void addRowVectorMatchesNaiveLoop(DType dtype, int rows, int cols) {
    long seed = seedOf(5, dtype, rows, cols, 0);
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    Matrix a = random(dtype, rows, cols, random);
    Matrix before = a.copy();
    Matrix bias = random(dtype, 1, cols, random);
    Matrix result = MatrixOps.addRowVector(a, bias);
    assertTrue(result == a, "addRowVector works in place and returns its first argument");
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double expected = before.get(i, j) + bias.get(0, j);
        double scale = Math.abs(before.get(i, j)) + Math.abs(bias.get(0, j));
        assertClose(expected, a.get(i, j), tolerance(dtype, 1, scale), "addRowVector", i, j);
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("shapes")
  void axpyMatchesNaiveLoop(DType dtype, int rows, int cols) {
    long seed = seedOf(6, dtype, rows, cols, 0);
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    double alpha = -0.37;
    Matrix x = random(dtype, rows, cols, random);
    Matrix y = random(dtype, rows, cols, random);
    Matrix before = y.copy();
    MatrixOps.axpy(alpha, x, y);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double expected = before.get(i, j) + alpha * x.get(i, j);
        double scale = Math.abs(before.get(i, j)) + Math.abs(alpha * x.get(i, j));
        assertClose(expected, y.get(i, j), tolerance(dtype, 2, scale), "axpy", i, j);
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("shapes")
  void subtractMatchesNaiveLoop(DType dtype, int rows, int cols) {
    long seed = seedOf(7, dtype, rows, cols, 0);
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    Matrix a = random(dtype, rows, cols, random);
    Matrix b = random(dtype, rows, cols, random);
    Matrix out = Matrix.zeros(dtype, rows, cols).fill(3.0);
    MatrixOps.subtract(a, b, out);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double expected = a.get(i, j) - b.get(i, j);
        double scale = Math.abs(a.get(i, j)) + Math.abs(b.get(i, j));
        assertClose(expected, out.get(i, j), tolerance(dtype, 1, scale), "subtract", i, j);
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("shapes")
  void subtractMayWriteIntoItsFirstArgument(DType dtype, int rows, int cols) {
    long seed = seedOf(8, dtype, rows, cols, 0);
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    Matrix a = random(dtype, rows, cols, random);
    Matrix b = random(dtype, rows, cols, random);
    Matrix separate = MatrixOps.subtract(a, b, a.zerosLike());
    MatrixOps.subtract(a, b, a);
    assertEquals(separate, a);
  }

  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("shapes")
  void scaleMatchesNaiveLoop(DType dtype, int rows, int cols) {
    long seed = seedOf(9, dtype, rows, cols, 0);
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    double alpha = 2.75;
    Matrix a = random(dtype, rows, cols, random);
    Matrix before = a.copy();
    MatrixOps.scale(a, alpha);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double expected = alpha * before.get(i, j);
        assertClose(expected, a.get(i, j), tolerance(dtype, 1, Math.abs(expected)), "scale", i, j);
      }
    }
  }

  // ---------------------------------------------------------------- shape and type checks

  @Test
  void matmulShapeMismatchNamesBothShapes() {
    Matrix a = Matrix.zeros(3, 4);
    Matrix b = Matrix.zeros(5, 2);
    ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
        () -> MatrixOps.matmul(a, b, Matrix.zeros(3, 2)));
    assertMentions(e, "3x4", "5x2");
  }

  @Test
  void matmulTransposeAShapeMismatchNamesBothShapes() {
    Matrix a = Matrix.zeros(3, 4);
    Matrix b = Matrix.zeros(5, 2);
    ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
        () -> MatrixOps.matmulTransposeA(a, b, Matrix.zeros(4, 2)));
    assertMentions(e, "3x4", "5x2");
  }

  @Test
  void matmulTransposeBShapeMismatchNamesBothShapes() {
    Matrix a = Matrix.zeros(3, 4);
    Matrix b = Matrix.zeros(2, 5);
    ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
        () -> MatrixOps.matmulTransposeB(a, b, Matrix.zeros(3, 2)));
    assertMentions(e, "3x4", "2x5");
  }

  @Test
  void wrongOutputShapesNameActualAndExpected() {
    Matrix a = Matrix.zeros(3, 4);
    Matrix b = Matrix.zeros(4, 2);
    assertMentions(assertThrows(ShapeMismatchException.class, () -> MatrixOps.matmul(a, b, Matrix.zeros(2, 3))),
        "2x3", "3x2");
    // a^T b: [4x3] [3x5] = [4x5]
    assertMentions(assertThrows(ShapeMismatchException.class,
        () -> MatrixOps.matmulTransposeA(a, Matrix.zeros(3, 5), Matrix.zeros(5, 4))), "5x4", "4x5");
    // a b^T: [3x4] [6x4]^T = [3x6]
    assertMentions(assertThrows(ShapeMismatchException.class,
        () -> MatrixOps.matmulTransposeB(a, Matrix.zeros(6, 4), Matrix.zeros(6, 3))), "6x3", "3x6");
  }

  @Test
  void rowAndElementwiseShapeMismatchesNameActualAndExpected() {
    Matrix a = Matrix.zeros(3, 4);
    assertMentions(assertThrows(ShapeMismatchException.class, () -> MatrixOps.addRowVector(a, Matrix.zeros(1, 5))),
        "1x5", "1x4");
    assertMentions(assertThrows(ShapeMismatchException.class, () -> MatrixOps.addRowVector(a, Matrix.zeros(3, 4))),
        "3x4", "1x4");
    assertMentions(assertThrows(ShapeMismatchException.class, () -> MatrixOps.columnSums(a, Matrix.zeros(1, 3))),
        "1x3", "1x4");
    assertMentions(assertThrows(ShapeMismatchException.class, () -> MatrixOps.axpy(1.0, Matrix.zeros(4, 3), a)),
        "4x3", "3x4");
    assertMentions(assertThrows(ShapeMismatchException.class,
        () -> MatrixOps.subtract(a, Matrix.zeros(3, 5), Matrix.zeros(3, 4))), "3x5", "3x4");
    assertMentions(assertThrows(ShapeMismatchException.class,
        () -> MatrixOps.subtract(a, Matrix.zeros(3, 4), Matrix.zeros(2, 4))), "2x4", "3x4");
  }

  @Test
  void mixedElementTypesAreRejected() {
    Matrix f32 = Matrix.zeros(DType.FLOAT32, 3, 3);
    Matrix f64 = Matrix.zeros(DType.FLOAT64, 3, 3);
    Matrix row32 = Matrix.zeros(DType.FLOAT32, 1, 3);
    Matrix row64 = Matrix.zeros(DType.FLOAT64, 1, 3);
    assertThrowsExactly(IllegalArgumentException.class, () -> MatrixOps.matmul(f32, f64, f32.zerosLike()));
    assertThrowsExactly(IllegalArgumentException.class, () -> MatrixOps.matmul(f32, f32, f64.zerosLike()));
    assertThrowsExactly(IllegalArgumentException.class, () -> MatrixOps.matmulTransposeA(f64, f32, f64.zerosLike()));
    assertThrowsExactly(IllegalArgumentException.class, () -> MatrixOps.matmulTransposeB(f32, f64, f32.zerosLike()));
    assertThrowsExactly(IllegalArgumentException.class, () -> MatrixOps.addRowVector(f32, row64));
    assertThrowsExactly(IllegalArgumentException.class, () -> MatrixOps.columnSums(f64, row32));
    assertThrowsExactly(IllegalArgumentException.class, () -> MatrixOps.axpy(1.0, f32, f64));
    assertThrowsExactly(IllegalArgumentException.class, () -> MatrixOps.subtract(f32, f64, f32.zerosLike()));
    assertThrowsExactly(IllegalArgumentException.class, () -> MatrixOps.subtract(f32, f32, f64.zerosLike()));
  }

  // ---------------------------------------------------------------- Matrix

  @Test
  void wrapChecksTheArrayLength() {
    ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> Matrix.wrap(2, 3, new float[5]));
    assertMentions(e, "2x3", "5");
    assertThrows(ShapeMismatchException.class, () -> Matrix.wrap(2, 3, new double[7]));
    float[] data = {1f, 2f, 3f, 4f, 5f, 6f};
    Matrix m = Matrix.wrap(2, 3, data);
    // wrap does not copy: (1, 0) is index 1 * 3 + 0
    data[3] = 40f;
    assertEquals(40.0, m.get(1, 0));
    assertEquals(6.0, m.get(1, 2));
  }

  @Test
  void ofRejectsRaggedRows() {
    ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
        () -> Matrix.of(new double[][] {{1, 2, 3}, {4, 5}}));
    assertMentions(e, "row 1");
    Matrix m = Matrix.of(DType.FLOAT64, new double[][] {{1, 2, 3}, {4, 5, 6}});
    assertEquals(2, m.rows());
    assertEquals(3, m.cols());
    assertEquals(6.0, m.get(1, 2));
  }

  @Test
  void conversionRoundTripsAndRoundsToNearest() {
    long seed = 31;
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    Matrix f32 = random(DType.FLOAT32, 17, 3, random);
    Matrix f64 = f32.to(DType.FLOAT64);
    assertEquals(DType.FLOAT64, f64.dtype());
    assertEquals(f32, f64.to(DType.FLOAT32), "float32 -> float64 -> float32 is exact");

    Matrix d = random(DType.FLOAT64, 3, 17, random);
    Matrix rounded = d.to(DType.FLOAT32);
    for (int i = 0; i < d.size(); i++) {
      assertEquals((double) (float) d.getFlat(i), rounded.getFlat(i));
    }
    Matrix same = d.to(DType.FLOAT64);
    assertEquals(d, same);
    assertNotSame(d, same, "to(its own type) is a copy");
    same.set(0, 0, 1234.5);
    assertNotEquals(1234.5, d.get(0, 0));
  }

  @Test
  void equalsIsBitIdentity() {
    Matrix a = Matrix.of(new double[][] {{1.5, -2}, {0.25, 8}});
    Matrix b = Matrix.of(new double[][] {{1.5, -2}, {0.25, 8}});
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());

    Matrix oneUlp = b.copy();
    oneUlp.set(1, 1, Math.nextUp(8f));
    assertNotEquals(a, oneUlp);

    Matrix plusZero = Matrix.wrap(1, 1, new float[] {0f});
    Matrix minusZero = Matrix.wrap(1, 1, new float[] {-0f});
    assertNotEquals(plusZero, minusZero, "0.0 and -0.0 differ in their bits");

    assertNotEquals(a, a.to(DType.FLOAT64), "same values, other element type");
    assertNotEquals(Matrix.wrap(2, 3, new float[6]), Matrix.wrap(3, 2, new float[6]), "same data, other shape");
  }

  @Test
  void requireShapeNamesWhatAndBothShapes() {
    Matrix m = Matrix.zeros(2, 3);
    assertTrue(m.requireShape(2, 3, "weights") == m);
    ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> m.requireShape(3, 2, "weights"));
    assertMentions(e, "weights", "2x3", "3x2");
  }

  // ---------------------------------------------------------------- helpers

  private static long seedOf(int test, DType dtype, int a, int b, int c) {
    return ((test * 1_000_003L + dtype.ordinal()) * 131 + a) * 131 * 131 + b * 131L + c;
  }

  /** Entries of magnitude in [0.1, 2) with a random sign: never zero. */
  private static Matrix random(DType dtype, int rows, int cols, SeededRandom random) {
    Matrix m = Matrix.zeros(dtype, rows, cols);
    for (int i = 0; i < m.size(); i++) {
      double v = random.nextDouble(0.1, 2.0);
      m.setFlat(i, random.nextDouble() < 0.5 ? -v : v);
    }
    return m;
  }

  /**
   * float32: k terms summed in float have a rounding error below about k 2^-24 times the sum of their
   * magnitudes; 1e-6 (k + 1) leaves a margin of more than ten. float64: 1e-12 relative to that sum.
   */
  private static double tolerance(DType dtype, int k, double sumAbs) {
    double scale = Math.max(sumAbs, Double.MIN_NORMAL);
    return dtype == DType.FLOAT32 ? 1e-6 * (k + 1) * scale : 1e-12 * scale;
  }

  private static void assertClose(double expected, double actual, double tolerance, String what, int i, int j) {
    assertEquals(expected, actual, tolerance, () -> what + " at (" + i + ", " + j + ")");
  }

  private static void assertMentions(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
    }
  }

  @Test
  void zeroTimesNanIsNanInEveryFloatKernel() {
    // 0 * NaN and 0 * Inf are NaN: no kernel may skip zeros and hide a non-finite weight
    float[] a = {0f, 1f};
    float[] b = {Float.NaN, 2f};
    float[] out = new float[1];
    dev.backprop.internal.kernel.ScalarKernels.matmul(a, b, out, 1, 2, 1);
    assertTrue(Float.isNaN(out[0]), "scalar a b gave " + out[0]);
    dev.backprop.internal.kernel.ScalarKernels.matmulTransposeA(new float[] {0f, 1f}, new float[] {Float.POSITIVE_INFINITY, 2f},
        out, 1, 2, 1);
    assertTrue(Float.isNaN(out[0]), "scalar a^T b gave " + out[0]);
    Matrix x = Matrix.wrap(1, 2, new float[] {0f, 1f});
    Matrix w = Matrix.wrap(2, 1, new float[] {Float.NaN, 2f});
    assertTrue(Double.isNaN(MatrixOps.matmul(x, w, Matrix.zeros(1, 1)).get(0, 0)), "the kernels in use hide NaN");
  }
}
