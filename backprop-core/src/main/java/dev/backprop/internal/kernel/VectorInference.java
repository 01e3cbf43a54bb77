package dev.backprop.internal.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link InferenceKernels} on the Vector API. W is packed once into column panels, each panel p-major and contiguous
 * ({@code panel[p * width + q]} = W[p][j0 + q]), so that the kernels stream it: panels of four vectors while four
 * fit, then panels of one vector, the last padded with zeros. A tile is four rows (or one) by a panel; its
 * accumulators take p in order with fused multiply-adds, one lane per element of z, so neither the tile nor the
 * lane count enters the order of the sums. Large batches split their rows over the compute pool. Needs at least
 * one input (every network has).
 */
final class VectorInference implements InferenceKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int WIDE = 4 * L;
  private static final int ROWS = 4;

  @Override
  public PackedDense pack(float[] w, float[] b, int in, int out) {
    int padded = paddedColumns(out);
    float[] panels = new float[padded * in];
    float[] bias = new float[padded];
    System.arraycopy(b, 0, bias, 0, out);
    for (int j0 = 0; j0 < out; j0 += width(j0, out)) {
      int width = width(j0, out);
      int cols = Math.min(width, out - j0);
      int base = j0 * in;
      for (int p = 0; p < in; p++) {
        System.arraycopy(w, p * out + j0, panels, base + p * width, cols);
      }
    }
    return new PackedDense(in, out, panels, bias);
  }

  /** The width of the panel that starts at column j0: four vectors while four fit, else one. */
  private static int width(int j0, int out) {
    return out - j0 >= WIDE ? WIDE : L;
  }

  private static int paddedColumns(int out) {
    int wide = out / WIDE * WIDE;
    return wide + (out - wide + L - 1) / L * L;
  }

  /** Float64 lanes for scaling, and float lanes of the same count to convert from and to. */
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> DF =
      VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

  @Override
  public void scale(float[] x, int from, int rows, double[] offset, double[] scale, float[] out) {
    int d = offset.length;
    int n = D.length();
    // the float64 division per feature is the cost of a prediction's first step (tens of microseconds for 64 rows
    // of 784 features as scalar code); IEEE division is exact per lane, so vectors keep its bits
    for (int r = 0; r < rows; r++) {
      int xRow = (from + r) * d;
      int oRow = r * d;
      int j = 0;
      for (; j <= d - n; j += n) {
        DoubleVector v = (DoubleVector) FloatVector.fromArray(DF, x, xRow + j).convertShape(VectorOperators.F2D, D, 0);
        v = v.sub(DoubleVector.fromArray(D, offset, j)).div(DoubleVector.fromArray(D, scale, j));
        ((FloatVector) v.convertShape(VectorOperators.D2F, DF, 0)).intoArray(out, oRow + j);
      }
      for (; j < d; j++) {
        out[oRow + j] = (float) ((x[xRow + j] - offset[j]) / scale[j]);
      }
    }
  }

  @Override
  public void forward(PackedDense layer, float[] x, int rows, float[] z) {
    long flops = 2L * rows * layer.in * layer.out;
    int blocks = (rows + ROWS - 1) / ROWS;
    // the pool in use now: Kernels.useThreads may have replaced the one of the time W was packed
    ComputePool pool = Kernels.pool();
    int tasks = pool == null ? 1 : pool.tasksFor(flops, blocks);
    if (tasks == 1) {
      rows(layer, x, z, 0, rows);
      return;
    }
    // whole tiles of rows per task: each element of z is computed as it would be on one thread
    pool.run(tasks, t -> rows(layer, x, z, ComputePool.split(blocks, tasks, t) * ROWS,
        Math.min(rows, ComputePool.split(blocks, tasks, t + 1) * ROWS)));
  }

  private static void rows(PackedDense layer, float[] x, float[] z, int r0, int r1) {
    int in = layer.in;
    int out = layer.out;
    for (int j0 = 0; j0 < out; j0 += width(j0, out)) {
      boolean wide = width(j0, out) == WIDE;
      int cols = Math.min(L, out - j0);
      int base = j0 * in;
      for (int r = r0; r < r1; ) {
        boolean four = r1 - r >= ROWS;
        for (int p0 = 0; p0 < in; p0 += KC) {
          int kc = Math.min(KC, in - p0);
          Epilogue e = new Epilogue(z, r * out + j0, out, layer.bias, j0, p0 == 0, p0 + kc >= in);
          if (wide && four) {
            tile4x4(x, r * in + p0, in, layer.weights, base + p0 * WIDE, kc, e);
          } else if (wide) {
            tile1x4(x, r * in + p0, layer.weights, base + p0 * WIDE, kc, e);
          } else if (four) {
            tile4x1(x, r * in + p0, in, layer.weights, base + p0 * L, kc, e, cols);
          } else {
            tile1x1(x, r * in + p0, layer.weights, base + p0 * L, kc, e, cols);
          }
        }
        r += four ? ROWS : 1;
      }
    }
  }

  /**
   * Where a tile's sums go: z = s on the first block of p, z = s + z after it, plus the bias after the last, the
   * order of {@code VectorMicroKernels.merge}.
   */
  private record Epilogue(float[] z, int off, int ldz, float[] bias, int j0, boolean first, boolean last) {
    void put(FloatVector s, int row, int q, int valid) {
      int at = off + row * ldz + q;
      if (valid == L) {
        FloatVector v = first ? s : s.add(FloatVector.fromArray(S, z, at));
        if (last) {
          v = v.add(FloatVector.fromArray(S, bias, j0 + q));
        }
        v.intoArray(z, at);
        return;
      }
      float[] lanes = s.toArray();
      for (int i = 0; i < valid; i++) {
        float v = first ? lanes[i] : lanes[i] + z[at + i];
        if (last) {
          v += bias[j0 + q + i];
        }
        z[at + i] = v;
      }
    }
  }

  private static void tile4x4(float[] x, int xOff, int ldx, float[] w, int wOff, int kc, Epilogue e) {
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
    FloatVector c03 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c12 = FloatVector.zero(S), c13 = FloatVector.zero(S), c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S), c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
    FloatVector c33 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int wo = wOff + p * WIDE;
      FloatVector w0 = FloatVector.fromArray(S, w, wo);
      FloatVector w1 = FloatVector.fromArray(S, w, wo + L);
      FloatVector w2 = FloatVector.fromArray(S, w, wo + 2 * L);
      FloatVector w3 = FloatVector.fromArray(S, w, wo + 3 * L);
      int xo = xOff + p;
      FloatVector a = FloatVector.broadcast(S, x[xo]);
      c00 = a.fma(w0, c00);
      c01 = a.fma(w1, c01);
      c02 = a.fma(w2, c02);
      c03 = a.fma(w3, c03);
      a = FloatVector.broadcast(S, x[xo + ldx]);
      c10 = a.fma(w0, c10);
      c11 = a.fma(w1, c11);
      c12 = a.fma(w2, c12);
      c13 = a.fma(w3, c13);
      a = FloatVector.broadcast(S, x[xo + 2 * ldx]);
      c20 = a.fma(w0, c20);
      c21 = a.fma(w1, c21);
      c22 = a.fma(w2, c22);
      c23 = a.fma(w3, c23);
      a = FloatVector.broadcast(S, x[xo + 3 * ldx]);
      c30 = a.fma(w0, c30);
      c31 = a.fma(w1, c31);
      c32 = a.fma(w2, c32);
      c33 = a.fma(w3, c33);
    }
    e.put(c00, 0, 0, L);
    e.put(c01, 0, L, L);
    e.put(c02, 0, 2 * L, L);
    e.put(c03, 0, 3 * L, L);
    e.put(c10, 1, 0, L);
    e.put(c11, 1, L, L);
    e.put(c12, 1, 2 * L, L);
    e.put(c13, 1, 3 * L, L);
    e.put(c20, 2, 0, L);
    e.put(c21, 2, L, L);
    e.put(c22, 2, 2 * L, L);
    e.put(c23, 2, 3 * L, L);
    e.put(c30, 3, 0, L);
    e.put(c31, 3, L, L);
    e.put(c32, 3, 2 * L, L);
    e.put(c33, 3, 3 * L, L);
  }

  /** One row against a wide panel: the matrix-vector product of a single prediction. */
  private static void tile1x4(float[] x, int xOff, float[] w, int wOff, int kc, Epilogue e) {
    FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
    FloatVector c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int wo = wOff + p * WIDE;
      FloatVector a = FloatVector.broadcast(S, x[xOff + p]);
      c0 = a.fma(FloatVector.fromArray(S, w, wo), c0);
      c1 = a.fma(FloatVector.fromArray(S, w, wo + L), c1);
      c2 = a.fma(FloatVector.fromArray(S, w, wo + 2 * L), c2);
      c3 = a.fma(FloatVector.fromArray(S, w, wo + 3 * L), c3);
    }
    e.put(c0, 0, 0, L);
    e.put(c1, 0, L, L);
    e.put(c2, 0, 2 * L, L);
    e.put(c3, 0, 3 * L, L);
  }

  private static void tile4x1(float[] x, int xOff, int ldx, float[] w, int wOff, int kc, Epilogue e, int cols) {
    FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
    FloatVector c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      FloatVector b = FloatVector.fromArray(S, w, wOff + p * L);
      int xo = xOff + p;
      c0 = FloatVector.broadcast(S, x[xo]).fma(b, c0);
      c1 = FloatVector.broadcast(S, x[xo + ldx]).fma(b, c1);
      c2 = FloatVector.broadcast(S, x[xo + 2 * ldx]).fma(b, c2);
      c3 = FloatVector.broadcast(S, x[xo + 3 * ldx]).fma(b, c3);
    }
    e.put(c0, 0, 0, cols);
    e.put(c1, 1, 0, cols);
    e.put(c2, 2, 0, cols);
    e.put(c3, 3, 0, cols);
  }

  private static void tile1x1(float[] x, int xOff, float[] w, int wOff, int kc, Epilogue e, int cols) {
    FloatVector c0 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      c0 = FloatVector.broadcast(S, x[xOff + p]).fma(FloatVector.fromArray(S, w, wOff + p * L), c0);
    }
    e.put(c0, 0, 0, cols);
  }
}
