package dev.backprop.internal.kernel;

import static dev.backprop.internal.kernel.VectorProducts.KC;
import static dev.backprop.internal.kernel.VectorProducts.L;
import static dev.backprop.internal.kernel.VectorProducts.MR;
import static dev.backprop.internal.kernel.VectorProducts.NR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked cores of {@link VectorProducts}: out[outOff + r * ldo + q] = sum over p of A(r, p) B(p, q)
 * for r below MR and q below NR, with A and B read from panels of {@link VectorPacking} (or A^T in place). Per step
 * of p: 2 vector loads of B, MR broadcasts of A and 2 MR fused multiply-adds into 2 MR vector accumulators.
 *
 * <p>There is one copy per layout of A, each with its strides fixed, so that the JIT can fold them. Rows 4 and 5 sit
 * behind {@code if (MR >= 6)} and rows 6 to 11 behind {@code if (MR == 12)}: MR is a constant, so C2 folds the tests
 * and keeps only the accumulators of the tile in use. bench/disasm.sh shows the compiled loops of microPacked and
 * microRows, which must keep every accumulator in a register.
 */
final class VectorMicroKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private VectorMicroKernels() {}

  /**
   * The micro-kernel for A^T read in place: the MR values of each p side by side, aStride apart from the next
   * p's.
   */
  static void microTransposed(float[] ap, int aOff, int aStride, float[] bp, int bOff, int kc,
      float[] out, int outOff, int ldo) {
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
    FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
    FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
    FloatVector c80 = FloatVector.zero(S), c81 = FloatVector.zero(S);
    FloatVector c90 = FloatVector.zero(S), c91 = FloatVector.zero(S);
    FloatVector ca0 = FloatVector.zero(S), ca1 = FloatVector.zero(S);
    FloatVector cb0 = FloatVector.zero(S), cb1 = FloatVector.zero(S);
    // the loop runs on B's index and steps A's, which was faster than counting p and multiplying
    int o = aOff;
    for (int bo = bOff, end = bOff + kc * NR; bo < end; bo += NR, o += aStride) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bo);
      FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
      FloatVector x = FloatVector.broadcast(S, ap[o]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, ap[o + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, ap[o + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, ap[o + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      if (MR >= 6) {
        x = FloatVector.broadcast(S, ap[o + 4]);
        c40 = x.fma(b0, c40);
        c41 = x.fma(b1, c41);
        x = FloatVector.broadcast(S, ap[o + 5]);
        c50 = x.fma(b0, c50);
        c51 = x.fma(b1, c51);
      }
      if (MR == 12) {
        x = FloatVector.broadcast(S, ap[o + 6]);
        c60 = x.fma(b0, c60);
        c61 = x.fma(b1, c61);
        x = FloatVector.broadcast(S, ap[o + 7]);
        c70 = x.fma(b0, c70);
        c71 = x.fma(b1, c71);
        x = FloatVector.broadcast(S, ap[o + 8]);
        c80 = x.fma(b0, c80);
        c81 = x.fma(b1, c81);
        x = FloatVector.broadcast(S, ap[o + 9]);
        c90 = x.fma(b0, c90);
        c91 = x.fma(b1, c91);
        x = FloatVector.broadcast(S, ap[o + 10]);
        ca0 = x.fma(b0, ca0);
        ca1 = x.fma(b1, ca1);
        x = FloatVector.broadcast(S, ap[o + 11]);
        cb0 = x.fma(b0, cb0);
        cb1 = x.fma(b1, cb1);
      }
    }
    c00.intoArray(out, outOff);
    c01.intoArray(out, outOff + L);
    c10.intoArray(out, outOff + ldo);
    c11.intoArray(out, outOff + ldo + L);
    c20.intoArray(out, outOff + 2 * ldo);
    c21.intoArray(out, outOff + 2 * ldo + L);
    c30.intoArray(out, outOff + 3 * ldo);
    c31.intoArray(out, outOff + 3 * ldo + L);
    if (MR >= 6) {
      c40.intoArray(out, outOff + 4 * ldo);
      c41.intoArray(out, outOff + 4 * ldo + L);
      c50.intoArray(out, outOff + 5 * ldo);
      c51.intoArray(out, outOff + 5 * ldo + L);
    }
    if (MR == 12) {
      c60.intoArray(out, outOff + 6 * ldo);
      c61.intoArray(out, outOff + 6 * ldo + L);
      c70.intoArray(out, outOff + 7 * ldo);
      c71.intoArray(out, outOff + 7 * ldo + L);
      c80.intoArray(out, outOff + 8 * ldo);
      c81.intoArray(out, outOff + 8 * ldo + L);
      c90.intoArray(out, outOff + 9 * ldo);
      c91.intoArray(out, outOff + 9 * ldo + L);
      ca0.intoArray(out, outOff + 10 * ldo);
      ca1.intoArray(out, outOff + 10 * ldo + L);
      cb0.intoArray(out, outOff + 11 * ldo);
      cb1.intoArray(out, outOff + 11 * ldo + L);
    }
  }

  /**
   * The micro-kernel for a packed A panel (MR rows side by side for each p), the one that runs most. A copy of its
   * own: with the strides as arguments, as one method serving every layout, the JIT cannot fold them.
   */
  static void microPacked(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] out, int outOff,
      int ldo) {
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
    FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
    FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
    FloatVector c80 = FloatVector.zero(S), c81 = FloatVector.zero(S);
    FloatVector c90 = FloatVector.zero(S), c91 = FloatVector.zero(S);
    FloatVector ca0 = FloatVector.zero(S), ca1 = FloatVector.zero(S);
    FloatVector cb0 = FloatVector.zero(S), cb1 = FloatVector.zero(S);
    // the loop runs on A's index: C2 then proves the MR reads of A in bounds once, before the loop; counting p
    // and computing aOff + MR p instead left two bounds checks and the index arithmetic in every step
    int end = aOff + kc * MR;
    for (int o = aOff, bo = bOff; o < end; o += MR, bo += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bo);
      FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
      FloatVector x = FloatVector.broadcast(S, ap[o]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, ap[o + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, ap[o + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, ap[o + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      if (MR >= 6) {
        x = FloatVector.broadcast(S, ap[o + 4]);
        c40 = x.fma(b0, c40);
        c41 = x.fma(b1, c41);
        x = FloatVector.broadcast(S, ap[o + 5]);
        c50 = x.fma(b0, c50);
        c51 = x.fma(b1, c51);
      }
      if (MR == 12) {
        x = FloatVector.broadcast(S, ap[o + 6]);
        c60 = x.fma(b0, c60);
        c61 = x.fma(b1, c61);
        x = FloatVector.broadcast(S, ap[o + 7]);
        c70 = x.fma(b0, c70);
        c71 = x.fma(b1, c71);
        x = FloatVector.broadcast(S, ap[o + 8]);
        c80 = x.fma(b0, c80);
        c81 = x.fma(b1, c81);
        x = FloatVector.broadcast(S, ap[o + 9]);
        c90 = x.fma(b0, c90);
        c91 = x.fma(b1, c91);
        x = FloatVector.broadcast(S, ap[o + 10]);
        ca0 = x.fma(b0, ca0);
        ca1 = x.fma(b1, ca1);
        x = FloatVector.broadcast(S, ap[o + 11]);
        cb0 = x.fma(b0, cb0);
        cb1 = x.fma(b1, cb1);
      }
    }
    c00.intoArray(out, outOff);
    c01.intoArray(out, outOff + L);
    c10.intoArray(out, outOff + ldo);
    c11.intoArray(out, outOff + ldo + L);
    c20.intoArray(out, outOff + 2 * ldo);
    c21.intoArray(out, outOff + 2 * ldo + L);
    c30.intoArray(out, outOff + 3 * ldo);
    c31.intoArray(out, outOff + 3 * ldo + L);
    if (MR >= 6) {
      c40.intoArray(out, outOff + 4 * ldo);
      c41.intoArray(out, outOff + 4 * ldo + L);
      c50.intoArray(out, outOff + 5 * ldo);
      c51.intoArray(out, outOff + 5 * ldo + L);
    }
    if (MR == 12) {
      c60.intoArray(out, outOff + 6 * ldo);
      c61.intoArray(out, outOff + 6 * ldo + L);
      c70.intoArray(out, outOff + 7 * ldo);
      c71.intoArray(out, outOff + 7 * ldo + L);
      c80.intoArray(out, outOff + 8 * ldo);
      c81.intoArray(out, outOff + 8 * ldo + L);
      c90.intoArray(out, outOff + 9 * ldo);
      c91.intoArray(out, outOff + 9 * ldo + L);
      ca0.intoArray(out, outOff + 10 * ldo);
      ca1.intoArray(out, outOff + 10 * ldo + L);
      cb0.intoArray(out, outOff + 11 * ldo);
      cb1.intoArray(out, outOff + 11 * ldo + L);
    }
  }

  /**
   * The micro-kernel for A packed in the row layout: row r of the panel at ap[aOff + r * KC + p]. KC is a
   * constant, so the MR reads of A are one index plus fixed displacements, as in {@link #microPacked}, and the
   * bounds checks still leave the loop.
   */
  static void microRows(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] out, int outOff,
      int ldo) {
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
    FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
    FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
    FloatVector c80 = FloatVector.zero(S), c81 = FloatVector.zero(S);
    FloatVector c90 = FloatVector.zero(S), c91 = FloatVector.zero(S);
    FloatVector ca0 = FloatVector.zero(S), ca1 = FloatVector.zero(S);
    FloatVector cb0 = FloatVector.zero(S), cb1 = FloatVector.zero(S);
    // the loop runs on A's index, as in microPacked; one counter for both operands (A at aOff + t, B at
    // bOff + NR t) ran far slower
    int end = aOff + kc;
    for (int o = aOff, bo = bOff; o < end; o++, bo += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bo);
      FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
      FloatVector x = FloatVector.broadcast(S, ap[o]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, ap[o + KC]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, ap[o + 2 * KC]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, ap[o + 3 * KC]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      if (MR >= 6) {
        x = FloatVector.broadcast(S, ap[o + 4 * KC]);
        c40 = x.fma(b0, c40);
        c41 = x.fma(b1, c41);
        x = FloatVector.broadcast(S, ap[o + 5 * KC]);
        c50 = x.fma(b0, c50);
        c51 = x.fma(b1, c51);
      }
      if (MR == 12) {
        x = FloatVector.broadcast(S, ap[o + 6 * KC]);
        c60 = x.fma(b0, c60);
        c61 = x.fma(b1, c61);
        x = FloatVector.broadcast(S, ap[o + 7 * KC]);
        c70 = x.fma(b0, c70);
        c71 = x.fma(b1, c71);
        x = FloatVector.broadcast(S, ap[o + 8 * KC]);
        c80 = x.fma(b0, c80);
        c81 = x.fma(b1, c81);
        x = FloatVector.broadcast(S, ap[o + 9 * KC]);
        c90 = x.fma(b0, c90);
        c91 = x.fma(b1, c91);
        x = FloatVector.broadcast(S, ap[o + 10 * KC]);
        ca0 = x.fma(b0, ca0);
        ca1 = x.fma(b1, ca1);
        x = FloatVector.broadcast(S, ap[o + 11 * KC]);
        cb0 = x.fma(b0, cb0);
        cb1 = x.fma(b1, cb1);
      }
    }
    c00.intoArray(out, outOff);
    c01.intoArray(out, outOff + L);
    c10.intoArray(out, outOff + ldo);
    c11.intoArray(out, outOff + ldo + L);
    c20.intoArray(out, outOff + 2 * ldo);
    c21.intoArray(out, outOff + 2 * ldo + L);
    c30.intoArray(out, outOff + 3 * ldo);
    c31.intoArray(out, outOff + 3 * ldo + L);
    if (MR >= 6) {
      c40.intoArray(out, outOff + 4 * ldo);
      c41.intoArray(out, outOff + 4 * ldo + L);
      c50.intoArray(out, outOff + 5 * ldo);
      c51.intoArray(out, outOff + 5 * ldo + L);
    }
    if (MR == 12) {
      c60.intoArray(out, outOff + 6 * ldo);
      c61.intoArray(out, outOff + 6 * ldo + L);
      c70.intoArray(out, outOff + 7 * ldo);
      c71.intoArray(out, outOff + 7 * ldo + L);
      c80.intoArray(out, outOff + 8 * ldo);
      c81.intoArray(out, outOff + 8 * ldo + L);
      c90.intoArray(out, outOff + 9 * ldo);
      c91.intoArray(out, outOff + 9 * ldo + L);
      ca0.intoArray(out, outOff + 10 * ldo);
      ca1.intoArray(out, outOff + 10 * ldo + L);
      cb0.intoArray(out, outOff + 11 * ldo);
      cb1.intoArray(out, outOff + 11 * ldo + L);
    }
  }

  /**
   * Writes (first k-block) or adds (later blocks) the valid rows x cols of a micro-tile into C, and after the
   * last block adds the bias.
   */
  static void merge(float[] tile, float[] c, int n, int i, int rows, int j, int cols, boolean first,
      float[] bias) {
    if (cols == NR) {
      for (int r = 0; r < rows; r++) {
        int dst = (i + r) * n + j;
        FloatVector v0 = FloatVector.fromArray(S, tile, r * NR);
        FloatVector v1 = FloatVector.fromArray(S, tile, r * NR + L);
        if (!first) {
          v0 = v0.add(FloatVector.fromArray(S, c, dst));
          v1 = v1.add(FloatVector.fromArray(S, c, dst + L));
        }
        if (bias != null) {
          v0 = v0.add(FloatVector.fromArray(S, bias, j));
          v1 = v1.add(FloatVector.fromArray(S, bias, j + L));
        }
        v0.intoArray(c, dst);
        v1.intoArray(c, dst + L);
      }
      return;
    }
    for (int r = 0; r < rows; r++) {
      int dst = (i + r) * n + j;
      int src = r * NR;
      if (first) {
        for (int q = 0; q < cols; q++) {
          c[dst + q] = tile[src + q];
        }
      } else {
        for (int q = 0; q < cols; q++) {
          c[dst + q] += tile[src + q];
        }
      }
      if (bias != null) {
        for (int q = 0; q < cols; q++) {
          c[dst + q] += bias[j + q];
        }
      }
    }
  }
}
