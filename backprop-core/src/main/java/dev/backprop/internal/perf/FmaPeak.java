package dev.backprop.internal.perf;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The single-precision FMA peak of this machine as the JVM reaches it: every thread runs twelve
 * independent vector fused multiply-add chains (enough to hide the FMA latency) and nothing else. Only
 * {@link KernelBenchmark#fmaPeak} names it, once the Vector API module is known to be present.
 */
final class FmaPeak {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private FmaPeak() {}

  /**
   * GFLOP/s of {@code threads} threads running FMA chains for about {@code seconds}: the sum of each thread's best
   * of {@link #WINDOWS} windows.
   */
  static double measure(int threads, double seconds) throws InterruptedException {
    double[] rates = new double[threads];
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int index = t;
      workers[t] = new Thread(() -> rates[index] = oneThread(seconds));
      workers[t].start();
    }
    double total = 0;
    for (int t = 0; t < threads; t++) {
      workers[t].join();
      total += rates[t];
    }
    return total;
  }

  private static double oneThread(double seconds) {
    float[] state = new float[12 * S.length()];
    java.util.Arrays.fill(state, 1f);
    // short bursts first, so that the JIT compiles the method before the long ones are timed: one long burst
    // interpreted took longer than a short measurement
    for (int i = 0; i < WARM_CALLS; i++) {
      burst(state, 100);
    }
    double best = 0;
    long window = (long) (seconds * 1e9 / WINDOWS);
    for (int w = 0; w < WINDOWS; w++) {
      long iterations = 0;
      long start = System.nanoTime();
      long now;
      do {
        burst(state, BURST);
        iterations += BURST;
        now = System.nanoTime();
      } while (now < start + window);
      best = Math.max(best, 12.0 * 2 * S.length() * iterations / ((now - start) / 1e9) / 1e9);
    }
    if (state[0] == 42f) {
      System.out.print("");
    }
    return best;
  }

  private static final int BURST = 100_000;
  private static final int WARM_CALLS = 20_000;
  /** Timed windows per thread, the best one counting: as the products are measured (KernelBenchmark). */
  private static final int WINDOWS = 5;

  /**
   * {@code iterations} rounds of twelve independent FMA chains, the accumulators kept in registers and
   * stored once at the end (a method called repeatedly, so the JIT compiles it whole rather than on stack
   * replacement, where the vector intrinsics were lost and the loop ran boxed). Each chain is the addend,
   * c = a * b + c, as in the micro-kernels: with the chain as the multiplicand (c = c * a + b) the same loop ran
   * slower than the products it is meant to bound.
   */
  private static void burst(float[] state, int iterations) {
    int l = S.length();
    FloatVector a = FloatVector.broadcast(S, 0.999999f);
    FloatVector b = FloatVector.broadcast(S, 1e-7f);
    FloatVector c0 = FloatVector.fromArray(S, state, 0);
    FloatVector c1 = FloatVector.fromArray(S, state, l);
    FloatVector c2 = FloatVector.fromArray(S, state, 2 * l);
    FloatVector c3 = FloatVector.fromArray(S, state, 3 * l);
    FloatVector c4 = FloatVector.fromArray(S, state, 4 * l);
    FloatVector c5 = FloatVector.fromArray(S, state, 5 * l);
    FloatVector c6 = FloatVector.fromArray(S, state, 6 * l);
    FloatVector c7 = FloatVector.fromArray(S, state, 7 * l);
    FloatVector c8 = FloatVector.fromArray(S, state, 8 * l);
    FloatVector c9 = FloatVector.fromArray(S, state, 9 * l);
    FloatVector c10 = FloatVector.fromArray(S, state, 10 * l);
    FloatVector c11 = FloatVector.fromArray(S, state, 11 * l);
    for (int i = 0; i < iterations; i++) {
      c0 = a.fma(b, c0);
      c1 = a.fma(b, c1);
      c2 = a.fma(b, c2);
      c3 = a.fma(b, c3);
      c4 = a.fma(b, c4);
      c5 = a.fma(b, c5);
      c6 = a.fma(b, c6);
      c7 = a.fma(b, c7);
      c8 = a.fma(b, c8);
      c9 = a.fma(b, c9);
      c10 = a.fma(b, c10);
      c11 = a.fma(b, c11);
    }
    c0.intoArray(state, 0);
    c1.intoArray(state, l);
    c2.intoArray(state, 2 * l);
    c3.intoArray(state, 3 * l);
    c4.intoArray(state, 4 * l);
    c5.intoArray(state, 5 * l);
    c6.intoArray(state, 6 * l);
    c7.intoArray(state, 7 * l);
    c8.intoArray(state, 8 * l);
    c9.intoArray(state, 9 * l);
    c10.intoArray(state, 10 * l);
    c11.intoArray(state, 11 * l);
  }
}
