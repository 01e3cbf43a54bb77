package dev.backprop.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The single-precision FMA peak of this machine as the JVM reaches it: every thread runs twelve
 * independent vector fused multiply-add chains (enough to hide the FMA latency) and nothing else.
 */
public final class FmaPeak {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private FmaPeak() {}

  /** GFLOP/s of {@code threads} threads running FMA chains for about {@code seconds}. */
  public static double measure(int threads, double seconds) throws InterruptedException {
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
    FloatVector a = FloatVector.broadcast(S, 0.999999f);
    FloatVector b = FloatVector.broadcast(S, 1e-7f);
    FloatVector c0 = FloatVector.broadcast(S, 1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
    FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
    long iterations = 0;
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      for (int i = 0; i < 10_000; i++) {
        c0 = c0.fma(a, b);
        c1 = c1.fma(a, b);
        c2 = c2.fma(a, b);
        c3 = c3.fma(a, b);
        c4 = c4.fma(a, b);
        c5 = c5.fma(a, b);
        c6 = c6.fma(a, b);
        c7 = c7.fma(a, b);
        c8 = c8.fma(a, b);
        c9 = c9.fma(a, b);
        c10 = c10.fma(a, b);
        c11 = c11.fma(a, b);
      }
      iterations += 10_000;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    float sink = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
        .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    if (sink == 42f) {
      System.out.print("");
    }
    return 12.0 * 2 * S.length() * iterations / elapsed / 1e9;
  }
}
