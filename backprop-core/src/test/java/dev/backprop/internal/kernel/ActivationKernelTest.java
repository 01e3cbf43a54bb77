package dev.backprop.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backprop.SeededRandom;
import dev.backprop.internal.math.ReproducibleMath;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The activation kernels: the vector sigmoid and relu give the scalar reference's bits, on one thread and on
 * two, and the sigmoid is within 3 float ulp.
 */
class ActivationKernelTest {
  private static final float[] EDGES = {0f, -0f, 1e-30f, -1e-30f, 1f, -1f, 20f, -20f, 87f, -87f, 103.9f, -103.9f,
      104.1f, -104.1f, 200f, -200f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE,
      Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

  @Test
  void vectorGivesTheScalarBitsAtEveryLengthAndValue() {
    assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "Vector API not enabled");
    // two threads split the sigmoid from 8192 values on: 8192 and 8197 are split, 4096 is not
    onOneAndTwoThreads(ActivationKernelTest::compareSigmoids);
  }

  /** Runs compare(scalar, vector) with the vector kernels on one thread, then on two. */
  private static void onOneAndTwoThreads(BiConsumer<ElementwiseKernels, ElementwiseKernels> compare) {
    ElementwiseKernels scalar = new ScalarElementwise();
    compare.accept(scalar, VectorSupport.create(new ComputePool(1)).elementwise());
    ComputePool two = new ComputePool(2);
    try {
      compare.accept(scalar, VectorSupport.create(two).elementwise());
    } finally {
      two.close();
    }
  }

  private static void compareSigmoids(ElementwiseKernels scalar, ElementwiseKernels vector) {
    SeededRandom r = new SeededRandom(5);
    for (int n : new int[] {0, 1, 3, 4, 7, 8, 9, 17, 63, 64, 65, 1000, 4096, 8192, 8197}) {
      float[] z = new float[n + 3];
      for (int i = 0; i < z.length; i++) {
        z[i] = i < EDGES.length && n >= EDGES.length ? EDGES[i] : (float) (r.nextGaussian() * (i % 3 == 0 ? 30 : 4));
      }
      float[] expected = new float[z.length];
      float[] got = new float[z.length];
      expected[n] = got[n] = 42f; // past n, nothing may be written
      scalar.sigmoid(z, expected, n);
      vector.sigmoid(z, got, n);
      for (int i = 0; i < z.length; i++) {
        assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i]),
            "n " + n + ", element " + i + ": sigmoid(" + z[i] + ")");
      }
      if (n < z.length) {
        assertEquals(42f, got[n]);
      }
    }
  }

  @Test
  void vectorReluGivesTheScalarBitsForwardAndBackward() {
    assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "Vector API not enabled");
    // two threads split them from 131072 values on: 131072 and 262151 are split
    onOneAndTwoThreads(ActivationKernelTest::compareRelus);
  }

  private static void compareRelus(ElementwiseKernels scalar, ElementwiseKernels vector) {
    SeededRandom r = new SeededRandom(7);
    for (int n : new int[] {0, 1, 7, 8, 9, 33, 256, 1001, 131072, 262151}) {
      float[] z = new float[n + 2];
      float[] g = new float[n + 2];
      for (int i = 0; i < z.length; i++) {
        z[i] = i < EDGES.length && n >= EDGES.length ? EDGES[i] : (float) r.nextGaussian();
        g[i] = (float) r.nextGaussian();
      }
      if (n > 3) {
        z[1] = Float.NaN;
        z[2] = -0f;
      }
      float[][] out = new float[4][z.length];
      // a value the kernels never write: an element they skip keeps it
      java.util.Arrays.fill(out[1], 42f);
      java.util.Arrays.fill(out[3], 42f);
      scalar.relu(z, out[0], n);
      vector.relu(z, out[1], n);
      scalar.reluBackward(z, g, out[2], n);
      vector.reluBackward(z, g, out[3], n);
      for (int i = 0; i < z.length; i++) {
        if (i < n) {
          assertEquals(Float.floatToIntBits(out[0][i]), Float.floatToIntBits(out[1][i]),
              "n " + n + ", element " + i + ": relu(" + z[i] + ")");
          assertEquals(Float.floatToIntBits(out[2][i]), Float.floatToIntBits(out[3][i]),
              "n " + n + ", element " + i + ": relu'(" + z[i] + ")");
          assertEquals(z[i] > 0 ? z[i] : 0f, out[0][i]);
          assertEquals(z[i] > 0 ? g[i] : 0f, out[2][i]);
        } else {
          assertEquals(42f, out[1][i], "relu written past n");
          assertEquals(42f, out[3][i], "relu' written past n");
        }
      }
    }
  }

  @Test
  void theFloatSigmoidIsWithinThreeUlpOfTheExactValue() {
    SeededRandom r = new SeededRandom(6);
    for (int i = 0; i < 300_000; i++) {
      float x = (float) r.nextDouble(-110, 110);
      float got = ReproducibleMath.sigmoid(x);
      double exact = 1 / (1 + StrictMath.exp(-(double) x));
      assertTrue(Math.abs(got - exact) <= 3 * Math.ulp((float) exact), "sigmoid(" + x + ") = " + got + ", exact " + exact);
    }
    for (float x : EDGES) {
      float got = ReproducibleMath.sigmoid(x);
      double exact = 1 / (1 + StrictMath.exp(-(double) x));
      assertTrue(Math.abs(got - exact) <= 3 * Math.ulp((float) exact), "sigmoid(" + x + ") = " + got);
    }
    assertTrue(Float.isNaN(ReproducibleMath.sigmoid(Float.NaN)));
    assertEquals(0.5f, ReproducibleMath.sigmoid(0f));
    assertEquals(1f, ReproducibleMath.sigmoid(Float.POSITIVE_INFINITY));
    assertEquals(0f, ReproducibleMath.sigmoid(Float.NEGATIVE_INFINITY));
  }
}
