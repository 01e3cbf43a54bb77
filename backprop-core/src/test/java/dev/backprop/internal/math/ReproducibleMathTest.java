package dev.backprop.internal.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import org.junit.jupiter.api.Test;

/** The reproducible exp, expm1 and tanh against StrictMath (fdlibm), over seeded random arguments. */
class ReproducibleMathTest {
  @Test
  void expIsWithinOneUlpOfFdlibm() {
    SeededRandom r = new SeededRandom(1);
    double worst = 0;
    for (int i = 0; i < 200_000; i++) {
      double x = i % 2 == 0 ? r.nextDouble(-30, 30) : r.nextDouble(-745, 709.7);
      worst = Math.max(worst, ulps(ReproducibleMath.exp(x), StrictMath.exp(x)));
    }
    assertTrue(worst <= 1, "worst " + worst + " ulp");
  }

  @Test
  void expm1AndTanhKeepTheirRelativeAccuracyNearZero() {
    SeededRandom r = new SeededRandom(2);
    double worstExpm1 = 0;
    double worstTanh = 0;
    for (int i = 0; i < 200_000; i++) {
      double x = (r.nextDouble(-1, 1)) * Math.pow(10, -r.nextInt(12)) * 3;
      worstExpm1 = Math.max(worstExpm1, ulps(ReproducibleMath.expm1(x), StrictMath.expm1(x)));
      worstTanh = Math.max(worstTanh, ulps(ReproducibleMath.tanh(x), StrictMath.tanh(x)));
    }
    double y = 1e-300;
    assertEquals(y, ReproducibleMath.tanh(y));
    // beyond |x| = ln 2 / 2, e^x - 1 cancels up to two bits of e^x's 1 ulp: 4 ulp of the result at most
    assertTrue(worstExpm1 <= 4, "expm1 worst " + worstExpm1 + " ulp");
    assertTrue(worstTanh <= 4, "tanh worst " + worstTanh + " ulp");
    for (int i = 0; i < 100_000; i++) {
      double x = r.nextDouble(-25, 25);
      worstTanh = Math.max(worstTanh, ulps(ReproducibleMath.tanh(x), StrictMath.tanh(x)));
    }
    assertTrue(worstTanh <= 4, "tanh worst " + worstTanh + " ulp");
  }

  @Test
  void specialValues() {
    assertEquals(1.0, ReproducibleMath.exp(0));
    assertEquals(1.0, ReproducibleMath.exp(-0.0));
    assertEquals(Double.POSITIVE_INFINITY, ReproducibleMath.exp(710));
    assertEquals(Double.POSITIVE_INFINITY, ReproducibleMath.exp(Double.POSITIVE_INFINITY));
    assertEquals(0.0, ReproducibleMath.exp(-746));
    assertEquals(0.0, ReproducibleMath.exp(Double.NEGATIVE_INFINITY));
    assertTrue(Double.isNaN(ReproducibleMath.exp(Double.NaN)));
    assertTrue(ReproducibleMath.exp(-740) > 0, "a subnormal result, not zero");
    assertTrue(ulps(ReproducibleMath.exp(-740), StrictMath.exp(-740)) <= 1);
    assertTrue(ulps(ReproducibleMath.exp(709.7), StrictMath.exp(709.7)) <= 1);
    assertEquals(1.0, ReproducibleMath.tanh(30));
    assertEquals(-1.0, ReproducibleMath.tanh(Double.NEGATIVE_INFINITY));
    assertEquals(-0.0, ReproducibleMath.tanh(-0.0));
    assertTrue(Double.isNaN(ReproducibleMath.tanh(Double.NaN)));
    assertEquals(-1.0, ReproducibleMath.expm1(-800));
  }

  private static double ulps(double actual, double expected) {
    if (actual == expected) {
      return 0;
    }
    return Math.abs(actual - expected) / Math.ulp(expected);
  }
}
