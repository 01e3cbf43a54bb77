package dev.backprop.internal.kernel;

import dev.backprop.internal.math.ReproducibleMath;
import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatKernels} on the Vector API: one register-blocked micro-kernel serves all three products.
 *
 * <p>C[i][j] = sum_p A(i, p) B(p, j), where each factor is read through a row and a column stride, so
 * a, a^T, b and b^T need no copy of their own. For each block of KC values of p, A is copied into panels of
 * MR = 6 rows (laid side by side, or for a row-major A that one thread packs for itself, as six rows KC apart)
 * and B into panels of NR = 2 vectors of columns, both contiguous and zero-padded; the micro-kernel keeps a
 * 6 x NR tile of C in 12 vector registers (16 are enough on AVX2) while it walks down both panels: per step 2
 * loads, 6 broadcasts and 12 fused multiply-adds. Packing A matters in Java: with six separate row indices
 * the JIT ran out of registers and the kernel ran at a third of the speed (measured 14 against 45 GFLOP/s on
 * 128x784x256); six rows a constant KC apart cost no register.
 *
 * <p>From JDK 25, with 8 lanes, MR is 4 (see {@link Kernels#ROWS_PROPERTY}): its C2 compiles the six-row
 * micro-kernel to about 60% of JDK 17's speed, and a copy of the kernel alone ran as fast again with four rows,
 * which looks like register pressure (8 accumulators leave room for the broadcasts). Products with two
 * threads, alternating processes on JDK 25: X W, A^T delta and delta W^T 512x784x1024 105-125 GFLOP/s against
 * 64-69 with six rows, 128x784x256 77-113 against 59-70; training W1 +36-47%, W2 +33-44%, W3 +52-75%. On JDK 17
 * four rows measured 0.81-1.14 on those products and 0.86-1.01 in training, so it keeps six. The micro-kernels
 * and the row-major packing keep rows 4 and 5 behind {@code if (MR >= 6)} and the micro-kernels rows 6 to 11
 * behind {@code if (MR == 12)}: MR is a constant of the class, so C2 folds the tests, and each compiles as if
 * written for its tile alone.
 *
 * <p>With 16 lanes (AVX-512, 32 vector registers) MR is 12: 24 accumulators, per step 2 loads and 12 broadcasts
 * for 24 fused multiply-adds, half the loads per multiply-add of six rows. A copy of the loop alone, one thread,
 * on a machine of this kind with AVX-512: 12 rows 170-190 GFLOP/s, 6 rows 88-167 (88 when its B panel of 784
 * values of p comes from the L2 cache); C2 compiles it with nothing on the stack on JDK 17 and 25.
 *
 * <p>Every element of C is the sum over the k-blocks in order, each block summed in p order by one FMA
 * chain, so the result depends on nothing but the shapes. Work is split between threads by tiles of C
 * (columns when there are enough, else rows), never inside a sum.
 */
final class VectorFloatKernels implements FloatKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Columns of C per micro-tile. */
  static final int NR = 2 * L;
  /** Rows of C per micro-tile: 6, or 4 from JDK 25 with 8 lanes, and 12 with 16 lanes (see the class comment). */
  static final int MR = Kernels.tileRows(L);
  /**
   * Values of p per block. 1024 covers every layer of the standard workloads in one block, so each tile of
   * C is written once instead of read and written again per block: with 256, merging the partial sums
   * into C took 13% of W3's time, and two threads on 512x1024x1024 went from about 72 to 85-95 GFLOP/s.
   * The micro-kernel then streams its B panel (NR x KC floats) from the L2 cache, which keeps up.
   */
  static final int KC = 1024;
  /** Rows of A per packed block, a multiple of every MR: MC x KC floats stay in the L2 cache (60 to 120 alike). */
  static final int MC = 96;
  /**
   * Columns of B per packed block (KC x NC floats, in the L2 or L3 cache): large, so that A is packed once
   * per block of p rather than once per block of columns (one thread, 512x784x1024: about 40 GFLOP/s with
   * NC = 8 NR, 50-58 with 64 NR; these machines' timings vary by 20% from run to run).
   */
  static final int NC = 64 * NR;
  /** Panels of a row-major B packed together in one pass over p (eight, written out in {@link #packRowMajorB}). */
  static final int PACK_GROUP = 8;

  private final ComputePool pool;

  VectorFloatKernels(ComputePool pool) {
    this.pool = pool;
  }

  @Override
  public String name() {
    int threads = pool.threads();
    return "vector (" + L + " float lanes, " + MR + " x " + NR + " tiles, " + threads + " thread"
        + (threads == 1 ? "" : "s") + ")";
  }

  @Override
  public void matmul(float[] a, float[] b, float[] bias, float[] out, int m, int k, int n) {
    gemm(new Operands(a, k, 1, b, n, 1), bias, out, m, k, n);
  }

  @Override
  public void matmulTransposeA(float[] a, float[] b, float[] out, int m, int k, int n) {
    gemm(new Operands(a, 1, m, b, n, 1), null, out, m, k, n);
  }

  @Override
  public void matmulTransposeB(float[] a, float[] b, float[] out, int m, int k, int n) {
    gemm(new Operands(a, k, 1, b, 1, k), null, out, m, k, n);
  }

  /**
   * The two factors with their strides: A(i, p) = a[i * ars + p * acs] and B(p, j) = b[p * brs + j * bcs],
   * which covers a, a^T, b and b^T without copying.
   */
  private record Operands(float[] a, int ars, int acs, float[] b, int brs, int bcs) {}

  private void gemm(Operands x, float[] bias, float[] c, int m, int k, int n) {
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          c[i * n + j] = bias == null ? 0f : bias[j];
        }
      }
      return;
    }
    int colTiles = (n + NR - 1) / NR;
    int rowTiles = (m + MR - 1) / MR;
    long flops = 2L * m * n * k;
    int tasks = pool.tasksFor(flops, Math.max(colTiles, rowTiles));
    if (tasks <= 1) {
      tile(x, null, bias, c, m, k, n, 0, m, 0, n);
    } else if (x.ars() == 1 && (long) k * n <= ROW_SPLIT_B_MAX && rowTiles >= tasks) {
      // A^T with a small B: each task packs its own rows of A and all of B
      pool.run(tasks, t -> {
        int i0 = split(rowTiles, tasks, t) * MR;
        int i1 = Math.min(m, split(rowTiles, tasks, t + 1) * MR);
        tile(x, null, bias, c, m, k, n, i0, i1, 0, n);
      });
    } else if (colTiles >= tasks && m >= SHARED_A_MIN_ROWS && k <= KC && !direct(x, n)) {
      // every task needs all of A: pack it once, each task a share of its row panels, then split the columns
      synchronized (this) {
        int rowPanels = (m + MR - 1) / MR;
        if (sharedA.length < rowPanels * MR * k) {
          sharedA = new float[rowPanels * MR * k];
        }
        float[] packed = sharedA;
        pool.run(tasks, t -> {
          int i0 = split(rowPanels, tasks, t) * MR;
          int i1 = Math.min(m, split(rowPanels, tasks, t + 1) * MR);
          packA(x, false, packed, i0 * k, i0, i1, 0, k);
        });
        int parts = columnParts(tasks, colTiles, flops);
        pool.run(parts, t -> {
          int j0 = split(colTiles, parts, t) * NR;
          int j1 = Math.min(n, split(colTiles, parts, t + 1) * NR);
          tile(x, packed, bias, c, m, k, n, 0, m, j0, j1);
        });
      }
    } else if (colTiles >= tasks) {
      pool.run(tasks, t -> {
        int j0 = split(colTiles, tasks, t) * NR;
        int j1 = Math.min(n, split(colTiles, tasks, t + 1) * NR);
        tile(x, null, bias, c, m, k, n, 0, m, j0, j1);
      });
    } else {
      pool.run(tasks, t -> {
        int i0 = split(rowTiles, tasks, t) * MR;
        int i1 = Math.min(m, split(rowTiles, tasks, t + 1) * MR);
        tile(x, null, bias, c, m, k, n, i0, i1, 0, n);
      });
    }
  }

  /**
   * A^T times a B of at most this many floats is split by rows of C rather than by columns: each task packs its
   * own rows of A^T and all of B, in one pool job, instead of packing A^T together with the other tasks and then
   * reading half of it from the other core's cache. Alternating within one run, A^T delta (batch x inputs x
   * outputs) 64x784x128 +26%, 128x256x256 +9%, 128x784x256 +6%, W1 +4%, W2 +1%; but 512x784x1024 (512 K floats
   * of B, packed twice) 0.93. A row-major A split this way lost: X W and delta W^T 128x256x256 0.93 and 0.89.
   */
  static final int ROW_SPLIT_B_MAX = 1 << 16;

  /** Products of at least this many floating-point operations cut their columns into more parts than threads. */
  static final long MANY_PARTS_FLOPS = 256_000_000L;

  /**
   * How many parts the columns are cut into. A large product gets up to four per task, each of at least four
   * column tiles, so that a thread slowed down by the machine's other load takes fewer parts instead of holding
   * up the product; which columns a part covers changes no sum. Smaller ones keep one part per task: with four,
   * W2 (at most 51 MFLOP a product) fell from 40-44k to 32-38k samples/s, while W3 (0.8-1.1 GFLOP) went from
   * 6.8-7.6k to 7.5-8.1k.
   */
  private static int columnParts(int tasks, int colTiles, long flops) {
    if (flops < MANY_PARTS_FLOPS) {
      return tasks;
    }
    return Math.max(tasks, Math.min(tasks * 4, colTiles / 4));
  }

  private static int split(int units, int parts, int index) {
    return (int) ((long) units * index / parts);
  }

  /** Per-thread packing buffers. */
  private static final class Scratch {
    final float[] a = new float[MC * KC];
    final float[] b = new float[NC * KC];
    final float[] tile = new float[MR * NR];
  }

  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  /**
   * From this many rows, A is packed once for all tasks rather than by each task for itself. With 128 rows
   * (W2's batch) packing it once measured about 10% slower (X W and delta W^T 128x784x256, 2 threads): each
   * task then reads half of A from the other core's cache instead of a block it has just packed into its own;
   * with 512 (W3) A^T delta 512x784x1024 went from 61-70 to 76-96 GFLOP/s.
   */
  static final int SHARED_A_MIN_ROWS = 256;

  /** A packed whole for all tasks of one product (grown when needed; guarded by this). */
  private float[] sharedA = new float[0];

  /**
   * Whether A^T is read in place rather than packed: only when C has a single panel of columns, so that each value
   * of A is read once anyway. A^T delta, batch x inputs x outputs, two threads, packed against in place: 128x784x16
   * 0.78, 128x256x10 0.83-0.85, 512x1024x10 (W3's output layer) 0.78, 64x784x32 1.01; from two panels on packing
   * pays, alternating within one run: 128x784x256 +11%, 64x784x128 +11%, W2 and W1 +4%. A row-major A is always
   * packed: six row streams read in place ran 20-50% slower.
   */
  private static boolean direct(Operands x, int n) {
    return x.ars() == 1 && n <= NR;
  }

  /**
   * C[i0..i1) x [j0..j1) of the product; j0 is a multiple of NR. Column blocks of NC; in each, for each block
   * of KC values of p, B is packed once, then A MC rows at a time (unless {@code packedA} holds it already), and
   * the micro-kernel runs over every (row panel, column panel) pair.
   */
  private void tile(Operands x, float[] packedA, float[] bias, float[] c, int m, int k, int n, int i0, int i1, int j0,
      int j1) {
    for (int jc = j0; jc < j1; jc += NC) {
      block(x, packedA, bias, c, m, n, k, i0, i1, jc, Math.min(j1, jc + NC));
    }
  }

  /**
   * C[i0..i1) x [j0..j1) for at most NC columns, whose packed B blocks stay in the L2 cache. With {@code packedA},
   * all of A was packed beforehand as one block of p (k at most KC), its panels from row 0.
   */
  private void block(Operands x, float[] packedA, float[] bias, float[] c, int m, int n, int k, int i0, int i1,
      int j0, int j1) {
    Scratch s = scratch.get();
    int colPanels = (j1 - j0 + NR - 1) / NR;
    boolean direct = direct(x, n);
    // a row-major A packed by this thread alone goes into the row layout (see packA)
    boolean rowLayout = packedA == null && !direct && x.acs() == 1;
    float[] ap = packedA == null ? s.a : packedA;
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kc = Math.min(KC, k - p0);
      boolean first = p0 == 0;
      float[] lastBias = p0 + kc == k ? bias : null;
      int packed = 0;
      if (x.bcs() == 1) {
        // B row-major: PACK_GROUP full panels at a time with p outermost, so that each row of b is read in one
        // contiguous run of PACK_GROUP x 64 bytes instead of 64 bytes per panel
        int full = (j1 - j0) / NR;
        for (; packed + PACK_GROUP <= full; packed += PACK_GROUP) {
          packRowMajorB(x.b(), x.brs(), s.b, packed * NR * kc, p0, kc, j0 + packed * NR);
        }
      }
      for (int panel = packed; panel < colPanels; panel++) {
        int j = j0 + panel * NR;
        packB(x, s.b, panel * NR * kc, p0, kc, j, Math.min(NR, j1 - j));
      }
      for (int ic = i0; ic < i1; ic += MC) {
        int rows = Math.min(MC, i1 - ic);
        int rowPanels = (rows + MR - 1) / MR;
        int fullPanels = rows / MR;
        int aBase = packedA == null ? 0 : ic * kc;
        if (!direct && packedA == null) {
          packA(x, rowLayout, s.a, 0, ic, ic + rows, p0, kc);
        } else if (direct && fullPanels < rowPanels) {
          packPartial(x.a(), x.ars(), x.acs(), s.a, fullPanels * MR * kc, ic + fullPanels * MR, ic + rows, p0, kc);
        }
        // A packed once for all tasks (SHARED_A_MIN_ROWS rows or more) lies in the shared cache: each of its row
        // panels stays in L1 while it meets every column panel of this part. Otherwise each column panel of B
        // meets every row panel. Alternating within one run, rows outermost against columns, over three runs:
        // 512x1024x1024 A^T delta 1.03-1.06, X W 0.99-1.03, delta W^T 1.01-1.05; 512x784x1024 1.01-1.06 over two;
        // W3 1.02 (quartiles 0.99-1.05). With a thread's own packed A (fewer rows) it lost: delta W^T 64x784x128
        // 0.89, X W 128x256x256 0.91.
        boolean rowsOuter = packedA != null;
        int outerPanels = rowsOuter ? rowPanels : colPanels;
        int innerPanels = rowsOuter ? colPanels : rowPanels;
        for (int outer = 0; outer < outerPanels; outer++) {
          for (int inner = 0; inner < innerPanels; inner++) {
            int panel = rowsOuter ? inner : outer;
            int rp = rowsOuter ? outer : inner;
            int j = j0 + panel * NR;
            int cols = Math.min(NR, j1 - j);
            int i = ic + rp * MR;
            int tileRows = Math.min(MR, ic + rows - i);
            // a whole tile with nothing to add goes straight into C, the others through the tile buffer and merge
            // (A^T delta and delta W^T alternating within one run: +1-5% on two threads; W2 and W3 +2%)
            boolean whole = tileRows == MR && cols == NR && first && lastBias == null;
            float[] out = whole ? c : s.tile;
            int outOff = whole ? i * n + j : 0;
            int ldo = whole ? n : NR;
            if (direct && rp < fullPanels) {
              microTransposed(x.a(), i + p0 * x.acs(), x.acs(), s.b, panel * NR * kc, kc, out, outOff, ldo);
            } else if (rowLayout) {
              microRows(ap, rp * MR * KC, s.b, panel * NR * kc, kc, out, outOff, ldo);
            } else {
              microPacked(ap, aBase + rp * MR * kc, s.b, panel * NR * kc, kc, out, outOff, ldo);
            }
            if (!whole) {
              merge(s.tile, c, n, i, tileRows, j, cols, first, lastBias);
            }
          }
        }
      }
    }
  }

  /**
   * Packs rows i0..i1 of A for p0..p0+kc, in panels of MR rows; rows past i1 are zero. Interleaved:
   * packed[dst + (panel * kc + p) * MR + r] = A(i0 + panel * MR + r, p0 + p), MR rows side by side for each p,
   * so the micro-kernel reads A through one index. With {@code rows} (only for a row-major A), the row layout:
   * packed[dst + panel * MR * KC + r * KC + p].
   */
  private static void packA(Operands x, boolean rows, float[] packed, int dst, int i0, int i1, int p0, int kc) {
    float[] a = x.a();
    int ars = x.ars();
    int acs = x.acs();
    int full = (i1 - i0) / MR;
    if (rows) {
      // the row layout: row r of each panel a contiguous copy, at packed[dst + panel * MR * KC + r * KC + p], so
      // that packing is six array copies per panel instead of interleaving six rows value by value. Used where
      // each thread packs all of A for itself (fewer than SHARED_A_MIN_ROWS rows, or one thread); alternating
      // within one run against the interleaved layout: W1 +7% and +10%, W2 +3% twice, X W 64x784x128 on two
      // threads +18%, and 512x784x1024 on one thread 0.99-1.00
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
   * a. Eight panels at a time, value by value with p outermost, ran at 1.2-1.8 ns a float (one thread, 784x512,
   * alone) against 0.25-0.34 for this; alternating within one run, A^T delta 512x784x1024 +6% and +10%, W3 +1.5%.
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
  private static void packPartial(float[] a, int ars, int acs, float[] packed, int base, int i, int i1, int p0,
      int kc) {
    // p outermost, each p's rows then its zeros: the panel is written in order, with no conditional per value
    // (A^T delta 64x128x10 and 128x256x10 +5-7% together with the change to packB's partial panels)
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
   * inside a loop over p, C2 kept a bounds check on every vector (1.8% of W3's samples), and as a loop over the
   * panels inside this loop it ran 2% slower. Alternating within one run, X W 512x784x1024 +3%; in W3's profile
   * this pass and its checks went from 4.8% to 2.2% of the samples.
   */
  private static void packRowMajorB(float[] b, int brs, float[] packed, int off, int p0, int kc, int j) {
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
  private static void packB(Operands x, float[] packed, int off, int p0, int kc, int j, int cols) {
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
      // a partial panel (an output layer's 10 columns): its columns, L at a time while they last, then zeros.
      // Alternating within one run against a conditional per value: X W 64x128x10 +25%, 128x256x10 +10%
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
      // p's eight values written together (delta W^T, alternating within one run against the loop below:
      // +4% on one thread at 512x784x1024, +5-13% on two threads at 512, 128 and 64 rows)
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
   * ({@link #transposeIntoPanel}) rather than value by value: from JDK 25, with 8 float lanes. On JDK 25, alternating
   * within one run, delta W^T 64x784x128 +12%, 128x784x256 +6%, 512x784x1024 +3%, W2 +2%, W3 1.00; measured
   * alone, 0.55 ns a value against 1.4. JDK 17's C2 does not compile the two-vector rearrange into shuffles: there
   * the same products ran at 0.34-0.47 of the value-by-value pass.
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

  /**
   * The micro-kernel for A^T read in place: the six values of each p side by side, aStride apart from the next
   * p's (the strides fixed for the JIT, as in {@link #microPacked}).
   *
   * <p>out[outOff + r * ldo + q] = sum over p of ap[p][r] bp[p][q], for r below MR and q below NR: the
   * register-blocked core, 12 vector accumulators, per step 2 vector loads, 6 broadcasts and 12 fused
   * multiply-adds (8, 2, 4 and 8 with four rows; 24, 2, 12 and 24 with twelve).
   */
  private static void microTransposed(float[] ap, int aOff, int aStride, float[] bp, int bOff, int kc,
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
    // the loop runs on B's index and steps A's: against counting p and multiplying, A^T delta alternating within
    // one run measured +2% on one thread (128x784x256) and +8-10% on two (128x784x256, 64x784x128)
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
   * The micro-kernel for a packed A panel. A copy with the strides fixed: with the strides as arguments the JIT
   * cannot fold them, and the packed case, which runs most, lost about a fifth of its speed when one method
   * served both (measured with every product in one JVM, as training runs them).
   *
   * <p>out[outOff + r * ldo + q] = sum over p of ap[p][r] bp[p][q], for r below MR and q below NR: the
   * register-blocked core, 12 vector accumulators, per step 2 vector loads, 6 broadcasts and 12 fused
   * multiply-adds (8, 2, 4 and 8 with four rows; 24, 2, 12 and 24 with twelve).
   */
  private static void microPacked(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] out, int outOff,
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
    // the loop runs on A's index: C2 then proves the six reads of A in bounds once, before the loop; counting p
    // and computing aOff + 6 p instead left two bounds checks and the index arithmetic in every step
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
   * constant, so the six reads of A are one index plus fixed displacements, as in {@link #microPacked}, and the
   * bounds checks still leave the loop.
   */
  private static void microRows(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] out, int outOff,
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
    // bOff + NR t) ran at 0.44-0.65 of this
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
  private static void merge(float[] tile, float[] c, int n, int i, int rows, int j, int cols, boolean first,
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

  /**
   * The sigmoid is split between the threads from this many values on (two parts of 4096 on two threads). At about
   * 1.7 ns a value (an exp and a division), W1's hidden layer (64 x 128) took 14 us on the calling thread while the
   * worker waited. Alternating within one run, split against never: W1 1.06 (quartiles 1.04-1.09) and 1.02
   * (0.96-1.07).
   */
  private static final int PARALLEL_SIGMOID = 1 << 13;

  /** The float sigmoid of ReproducibleMath, the same operations lane by lane. */
  @Override
  public void sigmoid(float[] z, float[] a, int n) {
    int tasks = elementTasks(n, PARALLEL_SIGMOID);
    if (tasks <= 1) {
      sigmoid(z, a, 0, n);
      return;
    }
    inParts(n, tasks, (t, from, to) -> sigmoid(z, a, from, to));
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
    int tasks = elementTasks(n, PARALLEL_ACTIVATIONS);
    if (tasks <= 1) {
      relu(z, a, 0, n);
      return;
    }
    inParts(n, tasks, (t, from, to) -> relu(z, a, from, to));
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
    int tasks = elementTasks(n, PARALLEL_ACTIVATIONS);
    if (tasks <= 1) {
      reluBackward(z, gradA, delta, 0, n);
      return;
    }
    inParts(n, tasks, (t, from, to) -> reluBackward(z, gradA, delta, from, to));
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
   * The ReLU and its derivative are split between the threads from this many values on. They cost about 0.15 ns a
   * value, so a pool job pays only for large layers: one thread against two, alternating within one run, 128 x 1024
   * values 18.6 against 11.4 us and 512 x 1024 (W3's hidden layers) 80 against 50, but 64 x 1024 10 against 13-33.
   */
  private static final int PARALLEL_ACTIVATIONS = 1 << 17;

  /** L bytes, when the platform has a vector shape that small (64 bits or more; else the loop is scalar). */
  private static final VectorSpecies<Byte> BYTES = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8))
      : null;
  private static final VectorSpecies<Integer> INTS = S.withLanes(int.class);

  /**
   * L bytes at a time: widened to ints, the sign masked off, converted and divided. It does not split itself
   * between threads: as a pool job inside the training step, W1 (64 rows of 784 bytes a batch) trained at
   * 70-80k samples/s against 73-97k on the calling thread alone. Training gathers aside instead, while the
   * worker is idle anyway.
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
   * loop, which C2 leaves scalar (W1's db1, 64 x 128: 5.1 us against 1.1 here, alternating within one run).
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
    int tasks = elementTasks(n, PARALLEL_ELEMENTS);
    if (tasks <= 1) {
      return allFinite(x, 0, n);
    }
    boolean[] finite = new boolean[tasks];
    inParts(n, tasks, (t, from, to) -> finite[t] = allFinite(x, from, to));
    for (boolean f : finite) {
      if (!f) {
        return false;
      }
    }
    return true;
  }

  private static boolean allFinite(float[] x, int from, int to) {
    // x - x is 0 for finite x and NaN for NaN and the infinities; NaN survives every later addition. Four sums,
    // not one: a single chain of additions waits on each addition's latency (W1's 100,352 weights: one thread
    // 13.3 us against 7.3, two threads 8.2 against 4.6, alternating within one run)
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
    int tasks = elementTasks(n, PARALLEL_ELEMENTS);
    if (tasks <= 1) {
      axpy(alpha, x, y, 0, n);
      return;
    }
    inParts(n, tasks, (t, from, to) -> axpy(alpha, x, y, from, to));
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

  /**
   * Runs body(t, from, to) for t &lt; tasks on the pool, the parts cutting [0, n) at multiples of L, so that only
   * the last part has a scalar tail. For element-wise passes, whose values do not depend on the cut.
   */
  private void inParts(int n, int tasks, Part body) {
    int chunks = (n + L - 1) / L;
    pool.run(tasks, t -> body.run(t, split(chunks, tasks, t) * L, Math.min(n, split(chunks, tasks, t + 1) * L)));
  }

  /** One part of an element-wise pass: task t covers [from, to). */
  @FunctionalInterface
  private interface Part {
    void run(int t, int from, int to);
  }

  /** How many tasks an element-wise pass over n elements is split into: one below {@code from} elements. */
  private int elementTasks(int n, int from) {
    return n < from ? 1 : pool.tasksFor(Long.MAX_VALUE, n / from + 1);
  }

  @Override
  public void adam(float[] w, float[] g, float[] m, float[] v, AdamStep s) {
    int n = w.length;
    // each element's update is the same whatever range computes it, so large tensors are split over threads
    int tasks = elementTasks(n, PARALLEL_ELEMENTS);
    if (tasks <= 1) {
      adam(w, g, m, v, s, 0, n);
      return;
    }
    inParts(n, tasks, (t, from, to) -> adam(w, g, m, v, s, from, to));
  }

  /** Element-wise updates are worth a second thread from this many elements on. */
  private static final int PARALLEL_ELEMENTS = 1 << 15;

  /**
   * Adam's update, vector by vector, with the bits of {@link ScalarKernels#adam}.
   *
   * <p>Where a weight's gradient stays zero (an input pixel that is 0 in every image of a batch, a dead ReLU unit), m
   * decays by beta1 a step into the subnormal floats until it stops at a few units of 2^-149, where beta1 m rounds
   * back to m; from then on the update leaves m and w as they are, step after step. On some processors every vector
   * instruction with a subnormal operand or result is finished in microcode (measured on AVX-512: 2.6-3.0 ns a
   * value against 0.15-0.23), and in W2 a third of Adam's vectors held such a "still" m. So the lanes whose update
   * is known to leave m unchanged (a zero gradient, m of 1 to {@link #stillMoment} units of 2^-149) enter the
   * arithmetic with zeros in place of m, which cost nothing, and get their m back afterwards. The lanes are chosen
   * with integer operations on the bits, and the vectors mixed with bitwise ones: the mask operations of the Vector
   * API are not compiled on every JDK and processor (JDK 17 with AVX-512 allocates for them). The loop is kept short
   * in calls: JDK 17's C2 now and then leaves the last reinterpretation or store of a long loop uncompiled (a
   * species that is not a constant), and the update then allocates for every vector. With a dozen calls more it
   * did so in 3 of 13 W2 runs; as written, in about one run in thirteen, which then trains W2 10-15% slower.
   * Splitting the update into two loops over chunks did it in every run.
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
    ScalarKernels.adam(w, g, m, v, s, i, to);
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
