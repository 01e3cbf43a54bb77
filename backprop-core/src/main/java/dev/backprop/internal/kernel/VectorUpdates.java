package dev.backprop.internal.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link UpdateKernels} on the Vector API, with the bits of {@link ScalarUpdates}, on one thread or several.
 */
final class VectorUpdates implements UpdateKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final VectorSpecies<Integer> INTS = S.withLanes(int.class);

  private final ComputePool pool;

  VectorUpdates(ComputePool pool) {
    this.pool = pool;
  }

  @Override
  public void adam(float[] w, float[] g, float[] m, float[] v, AdamStep s) {
    int n = w.length;
    // each element's update is the same whatever range computes it, so large tensors are split over threads
    int tasks = pool.tasksForElements(n, ComputePool.PARALLEL_ELEMENTS);
    if (tasks <= 1) {
      adam(w, g, m, v, s, 0, n);
      return;
    }
    pool.runParts(n, L, tasks, (t, from, to) -> adam(w, g, m, v, s, from, to));
  }

  /**
   * Adam's update, vector by vector, with the bits of {@link ScalarUpdates#adam}.
   *
   * <p>Where a weight's gradient stays zero (an input pixel that is 0 in every image of a batch, a dead ReLU unit), m
   * decays by beta1 a step into the subnormal floats until it stops at a few units of 2^-149, where beta1 m rounds
   * back to m; from then on the update leaves m and w as they are, step after step. On some processors every vector
   * instruction with a subnormal operand or result is finished in microcode, many times slower. So the lanes whose
   * update is known to leave m unchanged (a zero gradient, m of 1 to {@link #stillMoment} units of 2^-149) enter the
   * arithmetic with zeros in place of m, which cost nothing, and get their m back afterwards. The lanes are chosen
   * with integer operations on the bits, and the vectors mixed with bitwise ones: the mask operations of the Vector
   * API are not compiled on every JDK and processor (JDK 17 with AVX-512 allocates for them). The loop is kept short
   * in calls: JDK 17's C2 now and then leaves the last reinterpretation or store of a long loop uncompiled (a
   * species that is not a constant), and the update then allocates for every vector.
   */
  private static void adam(float[] w, float[] g, float[] m, float[] v, AdamStep s, int from, int to) {
    FloatVector b1 = FloatVector.broadcast(S, s.beta1());
    FloatVector c1 = FloatVector.broadcast(S, s.oneMinusBeta1());
    FloatVector b2 = FloatVector.broadcast(S, s.beta2());
    FloatVector c2 = FloatVector.broadcast(S, s.oneMinusBeta2());
    FloatVector step = FloatVector.broadcast(S, s.stepSize());
    FloatVector root = FloatVector.broadcast(S, s.rootCorrection());
    FloatVector eps = FloatVector.broadcast(S, s.epsilon());
    IntVector still = IntVector.broadcast(INTS, stillMoment(s));
    IntVector magnitude = IntVector.broadcast(INTS, Integer.MAX_VALUE);
    IntVector sign = IntVector.broadcast(INTS, Integer.MIN_VALUE);
    IntVector one = IntVector.broadcast(INTS, 1);
    int i = from;
    for (int upper = from + S.loopBound(to - from); i < upper; i += L) {
      FloatVector gi = FloatVector.fromArray(S, g, i);
      IntVector m0 = FloatVector.fromArray(S, m, i).reinterpretAsInts();
      // -1 in the lanes that need the arithmetic, 0 in the still ones: each condition that fails sets the sign bit
      // of a term, and the arithmetic shift spreads the sign of their union
      IntVector units = m0.and(magnitude);
      IntVector moving = gi.reinterpretAsInts().and(magnitude).neg() // the gradient is not a zero
          .or(units.sub(one)) // m is a zero
          .or(still.sub(units)) // m is more than still units
          .lanewise(VectorOperators.ASHR, 31);
      IntVector kept = m0.and(moving.not());
      // a still lane computes beta1 (+0) + (1 - beta1) g = +0 for a zero g, and then w - stepSize (+-0) / d with the
      // sign of its m, which is w - stepSize m / d of the reference, as stepSize m rounds to that zero
      IntVector mi = b1.mul(m0.and(moving).reinterpretAsFloats()).add(c1.mul(gi)).reinterpretAsInts()
          .or(kept.and(sign));
      FloatVector vi = b2.mul(FloatVector.fromArray(S, v, i)).add(c2.mul(gi.mul(gi)));
      FloatVector wi = FloatVector.fromArray(S, w, i);
      wi.sub(step.mul(mi.reinterpretAsFloats()).div(vi.sqrt().div(root).add(eps))).intoArray(w, i);
      vi.intoArray(v, i);
      mi.or(kept).reinterpretAsFloats().intoArray(m, i);
    }
    ScalarUpdates.adam(w, g, m, v, s, i, to);
  }

  /**
   * The largest number of units of 2^-149 that m may have, and every smaller number too, for the reference update
   * with a zero gradient to leave m as it is (beta1 m + (1 - beta1) 0 rounds back to m) and to change w by a zero
   * (stepSize m rounds to a zero, whatever the denominator); 0 where none may. Both hold from one unit up to a
   * bound and not above it (beta1 n rounds to n while n (1 - beta1) is below half a unit, |stepSize| n while it is
   * below half a unit too), so a binary search over the subnormals finds it.
   */
  static int stillMoment(AdamStep s) {
    // a still lane computes beta1 (+0) + (1 - beta1) g for a zero g, which must give +0 for its m to be put back
    if (Float.floatToRawIntBits(s.beta1() * 0f + s.oneMinusBeta1() * 0f) != 0
        || Float.floatToRawIntBits(s.beta1() * 0f + s.oneMinusBeta1() * -0f) != 0) {
      return 0;
    }
    int still = 0; // leaves still
    int moves = 0x800000; // does not (the smallest normal float)
    while (moves - still > 1) {
      int units = (still + moves) >>> 1;
      if (leavesStill(s, Float.intBitsToFloat(units)) && leavesStill(s, -Float.intBitsToFloat(units))) {
        still = units;
      } else {
        moves = units;
      }
    }
    return still;
  }

  /** Whether the reference update with a zero gradient (either sign) leaves m as it is and changes w by a zero. */
  private static boolean leavesStill(AdamStep s, float m) {
    int bits = Float.floatToRawIntBits(m);
    return Float.floatToRawIntBits(s.beta1() * m + s.oneMinusBeta1() * 0f) == bits
        && Float.floatToRawIntBits(s.beta1() * m + s.oneMinusBeta1() * -0f) == bits && s.stepSize() * m == 0f;
  }
}
