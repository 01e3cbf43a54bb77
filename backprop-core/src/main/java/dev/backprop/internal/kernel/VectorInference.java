package dev.backprop.internal.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
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

  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

  @Override
  public void scale(float[] x, int from, int rows, double[] offset, double[] scale, float[] out) {
    int d = offset.length;
    int n = D.length();
    // the float64 division per feature is the cost of a prediction's first step (tens of microseconds for 64 rows
    // of 784 features as scalar code); IEEE division is exact per lane, so vectors keep its bits. The widening and
    // narrowing stay scalar: a float vector of another shape than S's makes the JDK's shared vector code see two
    // classes, after which C2 could box the tiles' accumulators in every step of p (ten times slower, by run)
    double[] row = new double[d];
    for (int r = 0; r < rows; r++) {
      int xRow = (from + r) * d;
      int oRow = r * d;
      for (int j = 0; j < d; j++) {
        row[j] = x[xRow + j];
      }
      int j = 0;
      for (; j <= d - n; j += n) {
        DoubleVector.fromArray(D, row, j).sub(DoubleVector.fromArray(D, offset, j))
            .div(DoubleVector.fromArray(D, scale, j)).intoArray(row, j);
      }
      for (; j < d; j++) {
        row[j] = (row[j] - offset[j]) / scale[j];
      }
      for (j = 0; j < d; j++) {
        out[oRow + j] = (float) row[j];
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
    // the tiles leave their sums here and merge() places them: a vector handed to a method C2 did not inline is
    // boxed, and C2's inlining of a tile depends on what it compiled first, so no vector crosses a call
    float[] tile = new float[ROWS * WIDE];
    for (int j0 = 0; j0 < out; j0 += width(j0, out)) {
      int width = width(j0, out);
      int cols = Math.min(width, out - j0);
      int base = j0 * in;
      for (int r = r0; r < r1; ) {
        int rows = r1 - r >= ROWS ? ROWS : 1;
        for (int p0 = 0; p0 < in; p0 += KC) {
          int kc = Math.min(KC, in - p0);
          if (width == WIDE && rows == ROWS) {
            tile4x4(x, r * in + p0, in, layer.weights, base + p0 * WIDE, kc, tile);
          } else if (width == WIDE) {
            tile1x4(x, r * in + p0, layer.weights, base + p0 * WIDE, kc, tile);
          } else if (rows == ROWS) {
            tile4x1(x, r * in + p0, in, layer.weights, base + p0 * L, kc, tile);
          } else {
            tile1x1(x, r * in + p0, layer.weights, base + p0 * L, kc, tile);
          }
          merge(tile, width, z, r, rows, out, j0, cols, p0 == 0, p0 + kc >= in ? layer.bias : null);
        }
        r += rows;
      }
    }
  }

  /**
   * z = s on the first block of p, z = s + z after it, plus the bias after the last (bias non-null), for the valid
   * rows x cols of a tile whose rows are width apart: the order of {@code VectorMicroKernels.merge}.
   */
  private static void merge(float[] tile, int width, float[] z, int r, int rows, int ldz, int j0, int cols,
      boolean first, float[] bias) {
    for (int i = 0; i < rows; i++) {
      int at = (r + i) * ldz + j0;
      for (int q = 0; q < cols; q += L) {
        FloatVector v = FloatVector.fromArray(S, tile, i * width + q);
        if (q + L <= cols) {
          if (!first) {
            v = v.add(FloatVector.fromArray(S, z, at + q));
          }
          if (bias != null) {
            v = v.add(FloatVector.fromArray(S, bias, j0 + q));
          }
          v.intoArray(z, at + q);
        } else {
          for (int k = 0; k < cols - q; k++) {
            float s = tile[i * width + q + k];
            if (!first) {
              s += z[at + q + k];
            }
            if (bias != null) {
              s += bias[j0 + q + k];
            }
            z[at + q + k] = s;
          }
        }
      }
    }
  }

  private static void tile4x4(float[] x, int xOff, int ldx, float[] w, int wOff, int kc, float[] tile) {
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
    c00.intoArray(tile, 0);
    c01.intoArray(tile, L);
    c02.intoArray(tile, 2 * L);
    c03.intoArray(tile, 3 * L);
    c10.intoArray(tile, WIDE);
    c11.intoArray(tile, WIDE + L);
    c12.intoArray(tile, WIDE + 2 * L);
    c13.intoArray(tile, WIDE + 3 * L);
    c20.intoArray(tile, 2 * WIDE);
    c21.intoArray(tile, 2 * WIDE + L);
    c22.intoArray(tile, 2 * WIDE + 2 * L);
    c23.intoArray(tile, 2 * WIDE + 3 * L);
    c30.intoArray(tile, 3 * WIDE);
    c31.intoArray(tile, 3 * WIDE + L);
    c32.intoArray(tile, 3 * WIDE + 2 * L);
    c33.intoArray(tile, 3 * WIDE + 3 * L);
  }

  /** One row against a wide panel: the matrix-vector product of a single prediction. */
  private static void tile1x4(float[] x, int xOff, float[] w, int wOff, int kc, float[] tile) {
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
    c0.intoArray(tile, 0);
    c1.intoArray(tile, L);
    c2.intoArray(tile, 2 * L);
    c3.intoArray(tile, 3 * L);
  }

  /** Four rows against a one-vector panel; the tile's rows are L apart. */
  private static void tile4x1(float[] x, int xOff, int ldx, float[] w, int wOff, int kc, float[] tile) {
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
    c0.intoArray(tile, 0);
    c1.intoArray(tile, L);
    c2.intoArray(tile, 2 * L);
    c3.intoArray(tile, 3 * L);
  }

  private static void tile1x1(float[] x, int xOff, float[] w, int wOff, int kc, float[] tile) {
    FloatVector c0 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      c0 = FloatVector.broadcast(S, x[xOff + p]).fma(FloatVector.fromArray(S, w, wOff + p * L), c0);
    }
    c0.intoArray(tile, 0);
  }
}
