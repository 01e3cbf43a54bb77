package dev.backprop.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backprop.SeededRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Adam's vector kernel where m, v or the gradient are subnormal or close to it, as they become in training where a
 * weight's gradient stays zero: the bits of the scalar reference, on one thread and two. Subnormals are where a
 * faster Adam would be tempted to flush to zero (on some processors each vector instruction with a subnormal operand
 * or result is finished in microcode, about 150 cycles), which would change the results.
 */
class AdamSubnormalTest {
  /** The steps of a run: the usual one, one with a large step and a tiny epsilon, one with zero betas. */
  private static final UpdateKernels.AdamStep[] STEPS = {
    new UpdateKernels.AdamStep(0.9f, 0.1f, 0.999f, 0.001f, 0.01f, 0.05f, 1e-8f),
    new UpdateKernels.AdamStep(0.5f, 0.5f, 0.9f, 0.1f, 3f, 1f, 1e-30f),
    new UpdateKernels.AdamStep(0f, 1f, 0f, 1f, 1e-3f, 0.5f, 1e-8f),
  };
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

  @BeforeEach
  void vectorModule() {
    assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "Vector API not enabled");
  }

  /**
   * A value of one of five kinds, each as likely: an ordinary one, a subnormal one, one within a factor of 16 of the
   * smallest normal float, a zero of either sign, and a large one.
   */
  private static float value(SeededRandom r, boolean negative) {
    float x;
    switch (r.nextInt(5)) {
      case 0:
        x = (float) Math.pow(10, r.nextDouble(-30, 2));
        break;
      case 1:
        x = Float.intBitsToFloat(1 + r.nextInt(0x7fffff));
        break;
      case 2:
        x = (float) (Float.MIN_NORMAL * r.nextDouble(0.25, 16));
        break;
      case 3:
        x = 0f;
        break;
      default:
        x = (float) Math.pow(10, r.nextDouble(10, 30));
        break;
    }
    return negative && r.nextInt(2) == 0 ? -x : x;
  }

  private static float[] values(SeededRandom r, int size, boolean negative) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = value(r, negative);
    }
    return x;
  }

  @Test
  void mixedVectorsAgreeWithTheReferenceOnOneAndTwoThreads() {
    UpdateKernels scalar = new ScalarUpdates();
    UpdateKernels one = VectorSupport.create(onePool).updates();
    UpdateKernels two = VectorSupport.create(twoPool).updates();
    for (UpdateKernels.AdamStep step : STEPS) {
      // 40001 is split over two threads
      for (int size : new int[] {1, 15, 16, 17, 33, 1000, 40001}) {
        SeededRandom r = new SeededRandom(size);
        float[] g = values(r, size, true);
        float[] w = values(r, size, true);
        float[] m = values(r, size, true);
        float[] v = values(r, size, false);
        float[][] expected = {w.clone(), m.clone(), v.clone()};
        float[][] onThreads = {w.clone(), m.clone(), v.clone()};
        scalar.adam(expected[0], g, expected[1], expected[2], step);
        one.adam(w, g, m, v, step);
        two.adam(onThreads[0], g, onThreads[1], onThreads[2], step);
        String what = "size " + size + ", step " + step.stepSize();
        assertArrayEquals(expected[1], m, "m, " + what);
        assertArrayEquals(expected[2], v, "v, " + what);
        assertArrayEquals(expected[0], w, "w, " + what);
        assertArrayEquals(expected[1], onThreads[1], "m on two threads, " + what);
        assertArrayEquals(expected[2], onThreads[2], "v on two threads, " + what);
        assertArrayEquals(expected[0], onThreads[0], "w on two threads, " + what);
      }
    }
  }

  /**
   * Training as it happens: half of the gradients are zero at every step, so their m decays through the subnormals
   * until it stops at a few units of 2^-149, while the other half stay ordinary. Every 50 steps the two kernels'
   * states must agree.
   */
  @Test
  void mDecayingThroughTheSubnormalsAgreesStepByStep() {
    UpdateKernels scalar = new ScalarUpdates();
    UpdateKernels vector = VectorSupport.create(twoPool).updates();
    int size = 40_000;
    SeededRandom r = new SeededRandom(7);
    float[] w1 = new float[size];
    float[] m1 = new float[size];
    float[] v1 = new float[size];
    for (int i = 0; i < size; i++) {
      w1[i] = (float) r.nextDouble(-1, 1);
      m1[i] = (float) r.nextDouble(-1e-3, 1e-3);
      v1[i] = (float) r.nextDouble(0, 1e-6);
    }
    float[] w2 = w1.clone();
    float[] m2 = m1.clone();
    float[] v2 = v1.clone();
    float[] g = new float[size];
    int subnormalSteps = 0;
    for (int t = 1; t <= 1200; t++) {
      for (int i = 0; i < size; i++) {
        // the first half of every 64 values never has a gradient; the rest changes each step
        g[i] = i % 64 < 32 ? 0f : (float) r.nextDouble(-1e-2, 1e-2);
      }
      UpdateKernels.AdamStep step = new UpdateKernels.AdamStep(0.9f, 0.1f, 0.999f, 0.001f,
          (float) (1e-3 / (1 - Math.pow(0.9, t))), (float) Math.sqrt(1 - Math.pow(0.999, t)), 1e-8f);
      scalar.adam(w1, g, m1, v1, step);
      vector.adam(w2, g, m2, v2, step);
      if (t % 50 == 0) {
        assertArrayEquals(m1, m2, "m after step " + t);
        assertArrayEquals(v1, v2, "v after step " + t);
        assertArrayEquals(w1, w2, "w after step " + t);
      }
      for (float x : m1) {
        if (x != 0 && Math.abs(x) < Float.MIN_NORMAL) {
          subnormalSteps++;
          break;
        }
      }
    }
    assertArrayEquals(m1, m2, "m at the end");
    assertArrayEquals(w1, w2, "w at the end");
    // the run did pass through the subnormals, which is what it tests
    assertTrue(subnormalSteps > 100, "m was subnormal after only " + subnormalSteps + " steps");
  }

  /**
   * The kernel passes "still" values (a zero gradient and an m of a few units of 2^-149, which the update leaves as
   * they are) through its arithmetic as zeros. With beta1 = 0.9, 0.9 n rounds back to n up to n = 4 (5 x 0.9 = 4.5
   * rounds to the even 4), so four units are still and five are not.
   */
  @Test
  void stillMomentsAreThoseTheUpdateLeavesAsTheyAre() {
    assertEquals(4, VectorUpdates.stillMoment(new UpdateKernels.AdamStep(0.9f, 0.1f, 0.999f, 0.001f, 1e-3f,
        0.5f, 1e-8f)));
    // 0.5 x 1 unit is a tie, which rounds to the even 0: no m is still
    assertEquals(0, VectorUpdates.stillMoment(new UpdateKernels.AdamStep(0.5f, 0.5f, 0.9f, 0.1f, 1e-3f, 1f,
        1e-8f)));
    assertEquals(0, VectorUpdates.stillMoment(new UpdateKernels.AdamStep(0f, 1f, 0f, 1f, 1e-3f, 0.5f, 1e-8f)));
    // a step of 0.2 turns 3 units into 0.6 of a unit, which rounds to 1 unit, not to zero
    assertEquals(2, VectorUpdates.stillMoment(new UpdateKernels.AdamStep(0.9f, 0.1f, 0.999f, 0.001f, 0.2f,
        0.5f, 1e-8f)));
  }

  /**
   * The binary search of {@link VectorUpdates#stillMoment} against a scan of m from 1 unit to twice the bound
   * and a thousand units more, for betas and
   * steps of the usual sizes and odd ones: every m up to the bound is left as it is by the reference update with a
   * zero gradient and has a product with the step that rounds to a zero, and no m above it.
   */
  @Test
  void theStillBoundIsThatOfAScan() {
    float[] betas = {0.9f, 0.95f, 0.99f, 0.999f, 0.9999f, 0.5f, 0.3f, 0.75f};
    float[] steps = {1e-3f, 0.01f, 0.05f, 0.2f, 0.5f, 3f};
    for (float beta1 : betas) {
      for (float stepSize : steps) {
        UpdateKernels.AdamStep step = new UpdateKernels.AdamStep(beta1, 1 - beta1, 0.999f, 0.001f, stepSize, 0.5f,
            1e-8f);
        int bound = VectorUpdates.stillMoment(step);
        float[] w = new float[4];
        float[] g = {0f, -0f, 0f, -0f};
        float[] m = new float[4];
        float[] v = new float[4];
        for (int units = 1; units <= 2 * bound + 1000; units++) {
          float plus = Float.intBitsToFloat(units);
          float[] before = {plus, plus, -plus, -plus};
          System.arraycopy(before, 0, m, 0, 4);
          ScalarUpdates.adam(w, g, m, v, step, 0, 4);
          boolean still = stepSize * plus == 0f;
          for (int i = 0; i < 4; i++) {
            still &= Float.floatToRawIntBits(m[i]) == Float.floatToRawIntBits(before[i]);
          }
          if (still != units <= bound) {
            throw new AssertionError("beta1 " + beta1 + ", step " + stepSize + ": " + units + " units are "
                + (still ? "" : "not ") + "still, the bound is " + bound);
          }
        }
      }
    }
  }

  /**
   * Values at the edges of "still": gradients of +0 and -0, of one and eight units of 2^-149 with either sign, and
   * an ordinary one; m of 0 to 7 units of either sign; w of -0, +0, NaN, infinities, subnormal and ordinary; v of
   * zeros, subnormals, ordinary, infinite and NaN. Every combination, in shuffled order, against the reference on
   * one and two threads.
   */
  @Test
  void valuesAtTheEdgesOfStillAgreeWithTheReference() {
    float tiny = Float.MIN_VALUE;
    float[] gs = {0f, -0f, tiny, -tiny, 8 * tiny, -8 * tiny, 1e-3f};
    float[] ws = {-0f, 0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3 * tiny, -0.25f, 7.5f};
    float[] vs = {0f, tiny, 100 * tiny, 1e-12f, 1f, Float.POSITIVE_INFINITY, Float.NaN};
    UpdateKernels scalar = new ScalarUpdates();
    UpdateKernels one = VectorSupport.create(onePool).updates();
    UpdateKernels two = VectorSupport.create(twoPool).updates();
    UpdateKernels.AdamStep[] steps = {
      new UpdateKernels.AdamStep(0.9f, 0.1f, 0.999f, 0.001f, 1e-3f, 0.05f, 1e-8f),
      new UpdateKernels.AdamStep(0.9f, 0.1f, 0.999f, 0.001f, 0.2f, 1f, 0f),
      new UpdateKernels.AdamStep(0.99f, 0.01f, 0.999f, 0.001f, 1e-2f, 0.5f, 1e-8f),
      new UpdateKernels.AdamStep(-0.9f, 1.9f, 0.999f, 0.001f, 1e-3f, 0.5f, 1e-8f),
    };
    int size = gs.length * 15 * ws.length * vs.length;
    float[] g = new float[size];
    float[] m = new float[size];
    float[] w = new float[size];
    float[] v = new float[size];
    int k = 0;
    for (float gi : gs) {
      for (int units = -7; units <= 7; units++) {
        for (float wi : ws) {
          for (float vi : vs) {
            g[k] = gi;
            float zero = k % 2 == 0 ? 0f : -0f;
            m[k] = units == 0 ? zero : Math.signum(units) * Float.intBitsToFloat(Math.abs(units));
            w[k] = wi;
            v[k] = vi;
            k++;
          }
        }
      }
    }
    SeededRandom r = new SeededRandom(11);
    for (int i = size - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      for (float[] x : new float[][] {g, m, w, v}) {
        float t = x[i];
        x[i] = x[j];
        x[j] = t;
      }
    }
    for (UpdateKernels.AdamStep step : steps) {
      float[][] expected = {w.clone(), m.clone(), v.clone()};
      scalar.adam(expected[0], g, expected[1], expected[2], step);
      for (UpdateKernels kernels : new UpdateKernels[] {one, two}) {
        float[][] actual = {w.clone(), m.clone(), v.clone()};
        kernels.adam(actual[0], g, actual[1], actual[2], step);
        String what = "beta1 " + step.beta1() + ", step " + step.stepSize();
        assertArrayEquals(bits(expected[1]), bits(actual[1]), "m, " + what);
        assertArrayEquals(bits(expected[2]), bits(actual[2]), "v, " + what);
        assertArrayEquals(bits(expected[0]), bits(actual[0]), "w, " + what);
      }
    }
  }

  /** The raw bits, so that NaNs are compared by their payload and zeros by their sign. */
  private static int[] bits(float[] x) {
    int[] bits = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      bits[i] = Float.floatToRawIntBits(x[i]);
    }
    return bits;
  }
}
