package dev.backprop.internal.math;

/**
 * The transcendental functions of training (exp for sigmoid and softmax, tanh), written in plain double
 * arithmetic so that they give the same bits on every JVM, CPU and JIT tier.
 *
 * <p>{@link Math#exp} may differ from one JDK to the next and be replaced by CPU-specific intrinsics (the
 * specification allows 1 ulp of error and does not fix which result); {@link StrictMath#exp} is exact to
 * fdlibm but is slower in the hot loops of the activations. Since Java 17 every double operation is
 * strict IEEE 754, and Java never contracts a * b + c into a fused multiply-add on its own, so a function
 * built from +, -, *, / and exact scaling gives one result everywhere. Accuracy, measured against
 * StrictMath in the tests: exp within 1 ulp, expm1 and tanh within 4 ulp.
 */
public final class ReproducibleMath {
  private static final double LN2_HI = 6.93147180369123816490e-01; // the high 32 bits of ln 2
  private static final double LN2_LO = 1.90821492927058770002e-10; // ln 2 - LN2_HI
  private static final double INV_LN2 = 1.44269504088896338700e+00;
  /** Above this, e^x overflows to infinity. */
  private static final double OVERFLOW = 7.09782712893383973096e+02;
  /** Below this, e^x underflows to zero. */
  private static final double UNDERFLOW = -7.45133219101941108420e+02;

  private ReproducibleMath() {}

  /** e^x. */
  public static double exp(double x) {
    if (!(x < OVERFLOW)) {
      return x != x ? x : Double.POSITIVE_INFINITY; // NaN stays NaN
    }
    if (x < UNDERFLOW) {
      return 0;
    }
    // x = k ln 2 + r with |r| <= ln 2 / 2, then e^x = 2^k e^r
    double k = Math.rint(x * INV_LN2);
    double r = (x - k * LN2_HI) - k * LN2_LO;
    double e = 1 + expm1Small(r);
    int kk = (int) k;
    // scalb by two steps keeps the intermediate finite when k is near the exponent limits
    return kk > 1000 || kk < -1000 ? Math.scalb(Math.scalb(e, kk / 2), kk - kk / 2) : Math.scalb(e, kk);
  }

  /** 1.5 * 2^23: adding it rounds a float below 2^22 in magnitude to an integer, ties to even. */
  public static final float ROUNDER = 0x1.8p23f;
  /** The bits of {@link #ROUNDER}: the bits of ROUNDER + k exceed them by k. */
  public static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
  /** Below this, e^t is below half the smallest float: sigmoid arguments are clamped there. */
  public static final float FLOAT_EXP_FLOOR = -104f;
  /** 1 / ln 2 and ln 2 in two parts (the high part has 12 significant bits, so k * it is exact). */
  public static final float F_INV_LN2 = 1.44269504f;
  public static final float F_LN2_HI = 0.693145752f;
  public static final float F_LN2_LO = 1.42860677e-6f;
  /** 1/n! for n = 2..8, the Taylor coefficients of e^r - 1 after r. */
  public static final float[] F_TAYLOR = {1f / 2, 1f / 6, 1f / 24, 1f / 120, 1f / 720, 1f / 5040, 1f / 40320};

  /**
   * The logistic function in float arithmetic: e = e^-|x| (x clamped at {@link #FLOAT_EXP_FLOOR}), then
   * 1 / (1 + e) for x &gt;= 0 and e / (1 + e) otherwise. e^t = 2^k e^r with k = round(t / ln 2) and
   * r = t - k ln 2, e^r - 1 by its Taylor series to r^8/8!, and 2^k applied in two halves so that each
   * factor is a normal float. Within 3 float ulp of the exact value (measured in the tests). The vector
   * kernels compute exactly these float operations lane by lane, so both give the same bits.
   */
  public static float sigmoid(float x) {
    float t = -Math.abs(x);
    if (t < FLOAT_EXP_FLOOR) {
      t = FLOAT_EXP_FLOOR;
    }
    float v = t * F_INV_LN2 + ROUNDER;
    float k = v - ROUNDER;
    int ki = Float.floatToRawIntBits(v) - ROUNDER_BITS;
    int half = ki >> 1;
    float scale1 = Float.intBitsToFloat((half + 127) << 23);
    float scale2 = Float.intBitsToFloat((ki - half + 127) << 23);
    float r = (t - k * F_LN2_HI) - k * F_LN2_LO;
    float[] c = F_TAYLOR;
    float h = c[6];
    h = c[5] + r * h;
    h = c[4] + r * h;
    h = c[3] + r * h;
    h = c[2] + r * h;
    h = c[1] + r * h;
    h = c[0] + r * h;
    float e = (1 + (r + r * (r * h))) * scale1 * scale2;
    float d = 1 + e;
    return (x >= 0 ? 1 : e) / d;
  }

  /** tanh(x), from e^-2|x| - 1 so that small arguments keep their relative accuracy. */
  public static double tanh(double x) {
    double ax = Math.abs(x);
    if (ax > 22) {
      return x > 0 ? 1 : -1; // tanh is 1 to double precision beyond 22
    }
    if (ax != ax) {
      return x;
    }
    double em = expm1(-2 * ax);
    double t = -em / (2 + em);
    return x < 0 ? -t : t;
  }

  /** e^x - 1, accurate near 0. */
  public static double expm1(double x) {
    if (Math.abs(x) <= 0.34657359027997264) {
      return expm1Small(x);
    }
    return exp(x) - 1;
  }

  /**
   * e^r - 1 for |r| &lt;= ln 2 / 2 by its Taylor series to r^14 / 14!, in Horner form (the first term left
   * out is below 1e-17 relative).
   */
  private static double expm1Small(double r) {
    double h = C14;
    h = C13 + r * h;
    h = C12 + r * h;
    h = C11 + r * h;
    h = C10 + r * h;
    h = C9 + r * h;
    h = C8 + r * h;
    h = C7 + r * h;
    h = C6 + r * h;
    h = C5 + r * h;
    h = C4 + r * h;
    h = C3 + r * h;
    h = C2 + r * h;
    return r + r * (r * h);
  }

  // 1 / n!
  private static final double C2 = 1.0 / 2;
  private static final double C3 = 1.0 / 6;
  private static final double C4 = 1.0 / 24;
  private static final double C5 = 1.0 / 120;
  private static final double C6 = 1.0 / 720;
  private static final double C7 = 1.0 / 5040;
  private static final double C8 = 1.0 / 40320;
  private static final double C9 = 1.0 / 362880;
  private static final double C10 = 1.0 / 3628800;
  private static final double C11 = 1.0 / 39916800;
  private static final double C12 = 1.0 / 479001600;
  private static final double C13 = 1.0 / 6227020800L;
  private static final double C14 = 1.0 / 87178291200L;
}
