package dev.backprop.internal.kernel;

import static dev.backprop.internal.kernel.VectorProducts.KC;
import static dev.backprop.internal.kernel.VectorProducts.L;
import static dev.backprop.internal.kernel.VectorProducts.MR;
import static dev.backprop.internal.kernel.VectorProducts.NR;

import dev.backprop.internal.kernel.VectorProducts.Operands;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packing for {@link VectorProducts}: copies a block of A into panels of MR rows and a block of B into panels of NR
 * columns, contiguous and zero-padded, in the order the micro-kernels of {@link VectorMicroKernels} read them. Each
 * layout of a and b (row-major or transposed, full or partial panel) has its own loop, written for the way that
 * layout is read fastest.
 */
final class VectorPacking {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private VectorPacking() {}

  /**
   * Packs rows i0..i1 of A for p0..p0+kc, in panels of MR rows; rows past i1 are zero. Interleaved:
   * packed[dst + (panel * kc + p) * MR + r] = A(i0 + panel * MR + r, p0 + p), MR rows side by side for each p,
   * so the micro-kernel reads A through one index. With {@code rows} (only for a row-major A), the row layout:
   * packed[dst + panel * MR * KC + r * KC + p].
   */
  static void packA(Operands x, boolean rows, float[] packed, int dst, int i0, int i1, int p0, int kc) {
    float[] a = x.a();
    int ars = x.ars();
    int acs = x.acs();
    int full = (i1 - i0) / MR;
    if (rows) {
      // the row layout: row r of each panel a contiguous copy, at packed[dst + panel * MR * KC + r * KC + p], so
      // that packing is MR array copies per panel instead of interleaving MR rows value by value. Used where each
      // thread packs all of A for itself (fewer than SHARED_A_MIN_ROWS rows, or one thread)
      for (int panel = 0; panel * MR < i1 - i0; panel++) {
        for (int r = 0; r < MR; r++) {
          int row = i0 + panel * MR + r;
          int d = dst + panel * MR * KC + r * KC;
          if (row < i1) {
            System.arraycopy(a, row * ars + p0, packed, d, kc);
          } else {
            Arrays.fill(packed, d, d + kc, 0f);
          }
        }
      }
      return;
    }
    if (acs == 1 && MR == 12) {
      // A row-major, twelve rows: one row at a time into every twelfth value (twelve row streams at once would
      // take more registers than there are)
      for (int panel = 0; panel < full; panel++) {
        for (int r = 0; r < MR; r++) {
          int src = (i0 + panel * MR + r) * ars + p0;
          for (int p = 0, d = dst + panel * MR * kc + r; p < kc; p++, d += MR) {
            packed[d] = a[src + p];
          }
        }
      }
    } else if (acs == 1) {
      // A row-major: MR rows read side by side
      for (int panel = 0; panel < full; panel++) {
        int s0 = (i0 + panel * MR) * ars + p0;
        int s1 = s0 + ars;
        int s2 = s1 + ars;
        int s3 = s2 + ars;
        // rows 4 and 5 are read only when MR is 6
        int s4 = s3 + ars;
        int s5 = s4 + ars;
        for (int p = 0, d = dst + panel * MR * kc; p < kc; p++, d += MR) {
          packed[d] = a[s0 + p];
          packed[d + 1] = a[s1 + p];
          packed[d + 2] = a[s2 + p];
          packed[d + 3] = a[s3 + p];
          if (MR == 6) {
            packed[d + 4] = a[s4 + p];
            packed[d + 5] = a[s5 + p];
          }
        }
      }
    } else {
      // A transposed: the operands give it row stride 1
      packTransposed(a, acs, packed, dst, i0, full, p0, kc);
    }
    if (i0 + full * MR < i1) {
      packPartial(a, ars, acs, packed, dst + full * MR * kc, i0 + full * MR, i1, p0, kc);
    }
  }

  /**
   * The full panels of a transposed A (row stride 1, so the MR values of each p are contiguous in a), panel by
   * panel: each p's MR values are copied as one vector of L lanes, whose lanes past the MR-th land where the
   * next p's values go and are overwritten by them. The panel's last values of p, where that vector would run
   * past the panel, are copied value by value, and so is a whole panel whose vectors would read past the end of
   * a. Copying value by value, several panels at a time with p outermost, was several times slower.
   */
  private static void packTransposed(float[] a, int acs, float[] packed, int dst, int i0, int full, int p0,
      int kc) {
    int tail = (L + MR - 1) / MR - 1;
    for (int panel = 0; panel < full; panel++) {
      int src = i0 + panel * MR + p0 * acs;
      int d = dst + panel * kc * MR;
      int end = d + kc * MR;
      int steps = kc - tail;
      boolean vectors = L >= MR && steps > 0 && src + (steps - 1) * acs + L <= a.length;
      for (int vectorEnd = vectors ? d + steps * MR : d; d < vectorEnd; d += MR, src += acs) {
        FloatVector.fromArray(S, a, src).intoArray(packed, d);
      }
      for (; d < end; d += MR, src += acs) {
        for (int r = 0; r < MR; r++) {
          packed[d + r] = a[src + r];
        }
      }
    }
  }

  /** The last, partial panel: rows i..i1 and zeros below them. */
  static void packPartial(float[] a, int ars, int acs, float[] packed, int base, int i, int i1, int p0,
      int kc) {
    // p outermost, each p's rows then its zeros: the panel is written in order, with no conditional per value
    int rows = i1 - i;
    for (int p = 0; p < kc; p++) {
      int src = i * ars + (p0 + p) * acs;
      int d = base + p * MR;
      int r = 0;
      for (; r < rows; r++) {
        packed[d + r] = a[src + r * ars];
      }
      for (; r < MR; r++) {
        packed[d + r] = 0f;
      }
    }
  }

  /**
   * PACK_GROUP (eight) full panels of a row-major B, from column j: as {@link #packB} for each, in one pass over p.
   * The eight panels are written out by hand and the loop runs on the packed index: as a loop over the panels
   * inside a loop over p, C2 kept a bounds check on every vector, and as a loop over the panels inside this loop it
   * ran slower.
   */
  static void packRowMajorB(float[] b, int brs, float[] packed, int off, int p0, int kc, int j) {
    int size = NR * kc;
    int src = p0 * brs + j;
    for (int d = off, end = off + size; d < end; d += NR, src += brs) {
      FloatVector.fromArray(S, b, src).intoArray(packed, d);
      FloatVector.fromArray(S, b, src + L).intoArray(packed, d + L);
      FloatVector.fromArray(S, b, src + 2 * L).intoArray(packed, d + size);
      FloatVector.fromArray(S, b, src + 3 * L).intoArray(packed, d + size + L);
      FloatVector.fromArray(S, b, src + 4 * L).intoArray(packed, d + 2 * size);
      FloatVector.fromArray(S, b, src + 5 * L).intoArray(packed, d + 2 * size + L);
      FloatVector.fromArray(S, b, src + 6 * L).intoArray(packed, d + 3 * size);
      FloatVector.fromArray(S, b, src + 7 * L).intoArray(packed, d + 3 * size + L);
      FloatVector.fromArray(S, b, src + 8 * L).intoArray(packed, d + 4 * size);
      FloatVector.fromArray(S, b, src + 9 * L).intoArray(packed, d + 4 * size + L);
      FloatVector.fromArray(S, b, src + 10 * L).intoArray(packed, d + 5 * size);
      FloatVector.fromArray(S, b, src + 11 * L).intoArray(packed, d + 5 * size + L);
      FloatVector.fromArray(S, b, src + 12 * L).intoArray(packed, d + 6 * size);
      FloatVector.fromArray(S, b, src + 13 * L).intoArray(packed, d + 6 * size + L);
      FloatVector.fromArray(S, b, src + 14 * L).intoArray(packed, d + 7 * size);
      FloatVector.fromArray(S, b, src + 15 * L).intoArray(packed, d + 7 * size + L);
    }
  }

  /** packed[off + p * NR + q] = B(p0 + p, j + q) for q below cols, zero beyond. */
  static void packB(Operands x, float[] packed, int off, int p0, int kc, int j, int cols) {
    float[] b = x.b();
    int brs = x.brs();
    int bcs = x.bcs();
    if (bcs == 1 && cols == NR) {
      for (int p = 0; p < kc; p++) {
        int src = (p0 + p) * brs + j;
        FloatVector.fromArray(S, b, src).intoArray(packed, off + p * NR);
        FloatVector.fromArray(S, b, src + L).intoArray(packed, off + p * NR + L);
      }
      return;
    }
    if (bcs == 1) {
      // a partial panel (an output layer's 10 columns): its columns, L at a time while they last, then zeros,
      // with no conditional per value
      for (int p = 0; p < kc; p++) {
        int src = (p0 + p) * brs + j;
        int dst = off + p * NR;
        int q = 0;
        for (; q + L <= cols; q += L) {
          FloatVector.fromArray(S, b, src + q).intoArray(packed, dst + q);
        }
        for (; q < cols; q++) {
          packed[dst + q] = b[src + q];
        }
        for (; q < NR; q++) {
          packed[dst + q] = 0f;
        }
      }
      return;
    }
    if (brs == 1 && cols == NR && TRANSPOSE_IN_REGISTERS) {
      for (int g = 0; g < NR; g += L) {
        transposeIntoPanel(b, p0 + (j + g) * bcs, bcs, packed, off + g, kc);
      }
      return;
    }
    if (brs == 1 && cols == NR && NR % 8 == 0) {
      // B transposed (b^T), a full panel: eight columns at a time, their runs of b read side by side and each
      // p's eight values written together, which beat the blocked loop below
      for (int g = 0; g < NR; g += 8) {
        int s0 = p0 + (j + g) * bcs;
        int s1 = s0 + bcs;
        int s2 = s1 + bcs;
        int s3 = s2 + bcs;
        int s4 = s3 + bcs;
        int s5 = s4 + bcs;
        int s6 = s5 + bcs;
        int s7 = s6 + bcs;
        for (int p = 0, d = off + g; p < kc; p++, d += NR) {
          packed[d] = b[s0 + p];
          packed[d + 1] = b[s1 + p];
          packed[d + 2] = b[s2 + p];
          packed[d + 3] = b[s3 + p];
          packed[d + 4] = b[s4 + p];
          packed[d + 5] = b[s5 + p];
          packed[d + 6] = b[s6 + p];
          packed[d + 7] = b[s7 + p];
        }
      }
      return;
    }
    // B transposed, a partial panel (or b read with a row stride): copied 16 values of p at a time, so that the
    // cache lines being read (one per column) and written (16 rows of the panel) stay in the L1 cache; a column
    // at a time wrote every line of the panel NR times over
    for (int pb = 0; pb < kc; pb += 16) {
      int pe = Math.min(kc, pb + 16);
      for (int q = 0; q < NR; q++) {
        if (q < cols) {
          int src = p0 * brs + (j + q) * bcs;
          for (int p = pb; p < pe; p++) {
            packed[off + p * NR + q] = b[src + p * brs];
          }
        } else {
          for (int p = pb; p < pe; p++) {
            packed[off + p * NR + q] = 0f;
          }
        }
      }
    }
  }

  /**
   * Whether a full panel of a transposed B is packed by 8 x 8 transposes in vector registers
   * ({@link #transposeIntoPanel}) rather than value by value: from JDK 25, with 8 float lanes. JDK 17's C2 does not
   * compile the two-vector rearrange into shuffles, which makes it far slower there than the value-by-value pass.
   */
  static final boolean TRANSPOSE_IN_REGISTERS = L == 8 && Runtime.version().feature() >= 25;

  private static VectorShuffle<Float> shuffle(int... lanes) {
    return L == 8 ? VectorShuffle.fromArray(S, lanes, 0) : null;
  }

  // two-vector shuffles for transposeIntoPanel: lane sources 0-7 from the first vector, 8-15 from the second
  private static final VectorShuffle<Float> EVEN1 = shuffle(0, 8, 2, 10, 4, 12, 6, 14);
  private static final VectorShuffle<Float> ODD1 = shuffle(1, 9, 3, 11, 5, 13, 7, 15);
  private static final VectorShuffle<Float> EVEN2 = shuffle(0, 1, 8, 9, 4, 5, 12, 13);
  private static final VectorShuffle<Float> ODD2 = shuffle(2, 3, 10, 11, 6, 7, 14, 15);
  private static final VectorShuffle<Float> LOW4 = shuffle(0, 1, 2, 3, 8, 9, 10, 11);
  private static final VectorShuffle<Float> HIGH4 = shuffle(4, 5, 6, 7, 12, 13, 14, 15);

  /**
   * Eight columns of a transposed B (column q's values of p at b[src + q * bcs + p]) into a panel of NR columns
   * from packed[dst]: packed[dst + p * NR + q] = b[src + q * bcs + p], eight values of p at a time transposed in
   * vector registers, the rest value by value. Three stages of eight two-vector shuffles: pairs of columns
   * interleaved by single values, then by pairs, then by fours, leave vector t holding the eight columns' values
   * at p + t.
   */
  private static void transposeIntoPanel(float[] b, int src, int bcs, float[] packed, int dst, int kc) {
    int p = 0;
    for (; p + 8 <= kc; p += 8) {
      int s = src + p;
      FloatVector r0 = FloatVector.fromArray(S, b, s);
      FloatVector r1 = FloatVector.fromArray(S, b, s + bcs);
      FloatVector r2 = FloatVector.fromArray(S, b, s + 2 * bcs);
      FloatVector r3 = FloatVector.fromArray(S, b, s + 3 * bcs);
      FloatVector r4 = FloatVector.fromArray(S, b, s + 4 * bcs);
      FloatVector r5 = FloatVector.fromArray(S, b, s + 5 * bcs);
      FloatVector r6 = FloatVector.fromArray(S, b, s + 6 * bcs);
      FloatVector r7 = FloatVector.fromArray(S, b, s + 7 * bcs);
      FloatVector e01 = r0.rearrange(EVEN1, r1);
      FloatVector o01 = r0.rearrange(ODD1, r1);
      FloatVector e23 = r2.rearrange(EVEN1, r3);
      FloatVector o23 = r2.rearrange(ODD1, r3);
      FloatVector e45 = r4.rearrange(EVEN1, r5);
      FloatVector o45 = r4.rearrange(ODD1, r5);
      FloatVector e67 = r6.rearrange(EVEN1, r7);
      FloatVector o67 = r6.rearrange(ODD1, r7);
      FloatVector t04a = e01.rearrange(EVEN2, e23);
      FloatVector t26a = e01.rearrange(ODD2, e23);
      FloatVector t15a = o01.rearrange(EVEN2, o23);
      FloatVector t37a = o01.rearrange(ODD2, o23);
      FloatVector t04b = e45.rearrange(EVEN2, e67);
      FloatVector t26b = e45.rearrange(ODD2, e67);
      FloatVector t15b = o45.rearrange(EVEN2, o67);
      FloatVector t37b = o45.rearrange(ODD2, o67);
      int d = dst + p * NR;
      t04a.rearrange(LOW4, t04b).intoArray(packed, d);
      t15a.rearrange(LOW4, t15b).intoArray(packed, d + NR);
      t26a.rearrange(LOW4, t26b).intoArray(packed, d + 2 * NR);
      t37a.rearrange(LOW4, t37b).intoArray(packed, d + 3 * NR);
      t04a.rearrange(HIGH4, t04b).intoArray(packed, d + 4 * NR);
      t15a.rearrange(HIGH4, t15b).intoArray(packed, d + 5 * NR);
      t26a.rearrange(HIGH4, t26b).intoArray(packed, d + 6 * NR);
      t37a.rearrange(HIGH4, t37b).intoArray(packed, d + 7 * NR);
    }
    for (; p < kc; p++) {
      for (int q = 0; q < 8; q++) {
        packed[dst + p * NR + q] = b[src + q * bcs + p];
      }
    }
  }
}
