package dev.backprop.internal.kernel;

import dev.backprop.internal.math.ReproducibleMath;
import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementwiseKernels} on the Vector API, L floats at a time with a scalar tail, with the bits of
 * {@link ScalarElementwise}. Large passes are cut into parts for the compute pool at multiples of L; no value depends
 * on the cut.
 */
final class VectorElementwise implements ElementwiseKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private final ComputePool pool;

  VectorElementwise(ComputePool pool) {
    this.pool = pool;
  }

  /**
   * The sigmoid is split between the threads from this many values on (two parts of 4096 on two threads): with an
   * exp and a division per value, a hidden layer of that size already costs more than a pool job.
   */
  private static final int PARALLEL_SIGMOID = 1 << 13;

  /** The float sigmoid of ReproducibleMath, the same operations lane by lane. */
  @Override
  public void sigmoid(float[] z, float[] a, int n) {
    int tasks = pool.tasksForElements(n, PARALLEL_SIGMOID);
    if (tasks <= 1) {
      sigmoid(z, a, 0, n);
      return;
    }
    pool.runParts(n, L, tasks, (t, from, to) -> sigmoid(z, a, from, to));
  }

  private static void sigmoid(float[] z, float[] a, int from, int to) {
    int bound = from + S.loopBound(to - from);
    float[] c = ReproducibleMath.F_TAYLOR;
    int i = from;
    for (; i < bound; i += L) {
      FloatVector x = FloatVector.fromArray(S, z, i);
      FloatVector t = x.abs().neg().max(ReproducibleMath.FLOAT_EXP_FLOOR);
      FloatVector v = t.mul(ReproducibleMath.F_INV_LN2).add(ReproducibleMath.ROUNDER);
      FloatVector k = v.sub(ReproducibleMath.ROUNDER);
      IntVector ki = v.reinterpretAsInts().sub(ReproducibleMath.ROUNDER_BITS);
      IntVector half = ki.lanewise(VectorOperators.ASHR, 1);
      FloatVector scale1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
      FloatVector scale2 = ki.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
      FloatVector r = t.sub(k.mul(ReproducibleMath.F_LN2_HI)).sub(k.mul(ReproducibleMath.F_LN2_LO));
      FloatVector h = FloatVector.broadcast(S, c[6]);
      h = r.mul(h).add(c[5]);
      h = r.mul(h).add(c[4]);
      h = r.mul(h).add(c[3]);
      h = r.mul(h).add(c[2]);
      h = r.mul(h).add(c[1]);
      h = r.mul(h).add(c[0]);
      FloatVector e = r.mul(r.mul(h)).add(r).add(1f).mul(scale1).mul(scale2);
      FloatVector d = e.add(1f);
      e.blend(1f, x.compare(VectorOperators.GE, 0f)).div(d).intoArray(a, i);
    }
    for (; i < to; i++) {
      a[i] = ReproducibleMath.sigmoid(z[i]);
    }
  }

  @Override
  public void relu(float[] z, float[] a, int n) {
    int tasks = pool.tasksForElements(n, PARALLEL_ACTIVATIONS);
    if (tasks <= 1) {
      relu(z, a, 0, n);
      return;
    }
    pool.runParts(n, L, tasks, (t, from, to) -> relu(z, a, from, to));
  }

  private static void relu(float[] z, float[] a, int from, int to) {
    FloatVector zero = FloatVector.zero(S);
    int i = from;
    for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, z, i);
      zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(a, i);
    }
    for (; i < to; i++) {
      a[i] = z[i] > 0f ? z[i] : 0f;
    }
  }

  @Override
  public void reluBackward(float[] z, float[] gradA, float[] delta, int n) {
    int tasks = pool.tasksForElements(n, PARALLEL_ACTIVATIONS);
    if (tasks <= 1) {
      reluBackward(z, gradA, delta, 0, n);
      return;
    }
    pool.runParts(n, L, tasks, (t, from, to) -> reluBackward(z, gradA, delta, from, to));
  }

  private static void reluBackward(float[] z, float[] gradA, float[] delta, int from, int to) {
    FloatVector zero = FloatVector.zero(S);
    int i = from;
    for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
      FloatVector g = FloatVector.fromArray(S, gradA, i);
      zero.blend(g, FloatVector.fromArray(S, z, i).compare(VectorOperators.GT, 0f)).intoArray(delta, i);
    }
    for (; i < to; i++) {
      delta[i] = z[i] > 0f ? gradA[i] : 0f;
    }
  }

  /**
   * The ReLU and its derivative are split between the threads from this many values on: they are so cheap a value
   * that a pool job pays only for large layers.
   */
  private static final int PARALLEL_ACTIVATIONS = 1 << 17;

  /** L bytes, when the platform has a vector shape that small (64 bits or more; else the loop is scalar). */
  private static final VectorSpecies<Byte> BYTES = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8))
      : null;
  private static final VectorSpecies<Integer> INTS = S.withLanes(int.class);

  /**
   * L bytes at a time: widened to ints, the sign masked off, converted and divided. It does not split itself
   * between threads, which was slower as a pool job inside the training step; training gathers aside instead
   * ({@link TasksAside}), while the workers are idle anyway.
   */
  @Override
  public void gatherBytes(byte[] src, int width, int[] rows, int from, int count, float divisor, float[] dst,
      int dstOffset) {
    int bound = BYTES == null ? 0 : BYTES.loopBound(width);
    for (int r = 0; r < count; r++) {
      int s = rows[from + r] * width;
      int t = dstOffset + r * width;
      int j = 0;
      for (; j < bound; j += L) {
        ByteVector bytes = ByteVector.fromArray(BYTES, src, s + j);
        IntVector ints = (IntVector) bytes.convertShape(VectorOperators.B2I, INTS, 0);
        FloatVector values = (FloatVector) ints.and(0xff).convertShape(VectorOperators.I2F, S, 0);
        values.div(divisor).intoArray(dst, t + j);
      }
      for (; j < width; j++) {
        dst[t + j] = (src[s + j] & 0xff) / divisor;
      }
    }
  }

  /**
   * Row by row into out, L columns at a time, so each column is still summed in row order, as in the scalar
   * loop, which C2 leaves scalar.
   */
  @Override
  public void columnSums(float[] a, float[] out, int m, int n) {
    Arrays.fill(out, 0, n, 0f);
    int bound = S.loopBound(n);
    for (int i = 0; i < m; i++) {
      int row = i * n;
      int j = 0;
      for (; j < bound; j += L) {
        FloatVector.fromArray(S, out, j).add(FloatVector.fromArray(S, a, row + j)).intoArray(out, j);
      }
      for (; j < n; j++) {
        out[j] += a[row + j];
      }
    }
  }

  @Override
  public boolean allFinite(float[] x) {
    int n = x.length;
    int tasks = pool.tasksForElements(n, ComputePool.PARALLEL_ELEMENTS);
    if (tasks <= 1) {
      return allFinite(x, 0, n);
    }
    boolean[] finite = new boolean[tasks];
    pool.runParts(n, L, tasks, (t, from, to) -> finite[t] = allFinite(x, from, to));
    for (boolean f : finite) {
      if (!f) {
        return false;
      }
    }
    return true;
  }

  private static boolean allFinite(float[] x, int from, int to) {
    // x - x is 0 for finite x and NaN for NaN and the infinities; NaN survives every later addition. Four sums,
    // not one: a single chain of additions waits on each addition's latency
    FloatVector acc = FloatVector.zero(S);
    FloatVector acc1 = FloatVector.zero(S);
    FloatVector acc2 = FloatVector.zero(S);
    FloatVector acc3 = FloatVector.zero(S);
    int i = from;
    for (int upper = from + (to - from) / (4 * L) * (4 * L); i < upper; i += 4 * L) {
      FloatVector v0 = FloatVector.fromArray(S, x, i);
      FloatVector v1 = FloatVector.fromArray(S, x, i + L);
      FloatVector v2 = FloatVector.fromArray(S, x, i + 2 * L);
      FloatVector v3 = FloatVector.fromArray(S, x, i + 3 * L);
      acc = acc.add(v0.sub(v0));
      acc1 = acc1.add(v1.sub(v1));
      acc2 = acc2.add(v2.sub(v2));
      acc3 = acc3.add(v3.sub(v3));
    }
    acc = acc.add(acc1).add(acc2.add(acc3));
    for (int upper = from + S.loopBound(to - from); i < upper; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      acc = acc.add(v.sub(v));
    }
    // every lane is 0 or NaN, and so is their sum
    if (acc.reduceLanes(VectorOperators.ADD) != 0f) {
      return false;
    }
    for (; i < to; i++) {
      if (!Float.isFinite(x[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void axpy(float alpha, float[] x, float[] y) {
    int n = y.length;
    int tasks = pool.tasksForElements(n, ComputePool.PARALLEL_ELEMENTS);
    if (tasks <= 1) {
      axpy(alpha, x, y, 0, n);
      return;
    }
    pool.runParts(n, L, tasks, (t, from, to) -> axpy(alpha, x, y, from, to));
  }

  private static void axpy(float alpha, float[] x, float[] y, int from, int to) {
    int i = from;
    for (int upper = from + S.loopBound(to - from); i < upper; i += L) {
      // a multiply then an add, not a fused multiply-add: the same two roundings as the scalar loop
      FloatVector.fromArray(S, x, i).mul(alpha).add(FloatVector.fromArray(S, y, i)).intoArray(y, i);
    }
    for (; i < to; i++) {
      y[i] += alpha * x[i];
    }
  }
}
