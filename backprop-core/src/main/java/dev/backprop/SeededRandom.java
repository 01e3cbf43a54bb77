package dev.backprop;

/**
 * The one source of randomness in Backprop: SplitMix64, written out here so that a seed gives the same
 * numbers on every JDK (the JDK's generators are free to change their bounded and Gaussian algorithms).
 *
 * <p>Streams for separate purposes (initialisation, shuffling in epoch e, dropout, splits) are derived with
 * {@link #derive(long, long...)}, so that no choice depends on how many numbers another one drew.
 * Not thread-safe: give each thread its own instance.
 */
public final class SeededRandom {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final double DOUBLE_UNIT = 0x1.0p-53;

  private long state;
  private double spareGaussian = Double.NaN;

  public SeededRandom(long seed) {
    this.state = seed;
  }

  /** A generator for the sub-stream named by {@code path} under {@code seed}, e.g. {@code derive(seed, SHUFFLE, epoch)}. */
  public static SeededRandom derive(long seed, long... path) {
    long s = mix(seed);
    for (long p : path) {
      s = mix(s ^ mix(p + GOLDEN_GAMMA));
    }
    return new SeededRandom(s);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  public long nextLong() {
    state += GOLDEN_GAMMA;
    return mix(state);
  }

  /** Uniform in [0, 1), 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * DOUBLE_UNIT;
  }

  /** Uniform in [lo, hi). */
  public double nextDouble(double lo, double hi) {
    return lo + (hi - lo) * nextDouble();
  }

  /** Uniform in [0, bound), without modulo bias (rejection of the incomplete last block). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    // 2^64 mod bound: the values below it belong to an incomplete block and would bias the result
    long threshold = (Long.remainderUnsigned(-1L, bound) + 1L) % bound;
    while (true) {
      long r = nextLong();
      if (Long.compareUnsigned(r, threshold) >= 0) {
        return (int) Long.remainderUnsigned(r, bound);
      }
    }
  }

  /** Standard normal, by the Box-Muller transform with {@link StrictMath} (identical on every JVM). */
  public double nextGaussian() {
    if (!Double.isNaN(spareGaussian)) {
      double g = spareGaussian;
      spareGaussian = Double.NaN;
      return g;
    }
    double u1;
    do {
      u1 = nextDouble();
    } while (u1 == 0.0);
    double u2 = nextDouble();
    double radius = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
    double angle = 2.0 * StrictMath.PI * u2;
    spareGaussian = radius * StrictMath.sin(angle);
    return radius * StrictMath.cos(angle);
  }

  /** A permutation of 0..n-1 by Fisher-Yates. */
  public int[] permutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    shuffle(p);
    return p;
  }

  /** Shuffles {@code values} in place by Fisher-Yates. */
  public void shuffle(int[] values) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }
}
