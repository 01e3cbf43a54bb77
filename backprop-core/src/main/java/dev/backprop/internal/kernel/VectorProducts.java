package dev.backprop.internal.kernel;

import static dev.backprop.internal.kernel.ComputePool.split;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ProductKernels} on the Vector API: one register-blocked design serves all three products.
 *
 * <p>C[i][j] = sum_p A(i, p) B(p, j), where each factor is read through a row and a column stride ({@link Operands}),
 * so a, a^T, b and b^T need no copy of their own. For each block of KC values of p, A is copied into panels of MR
 * rows and B into panels of NR = 2 vectors of columns, both contiguous and zero-padded ({@link VectorPacking}); a
 * micro-kernel ({@link VectorMicroKernels}) keeps an MR x NR tile of C in 2 MR vector registers while it walks down
 * both panels. A row-major A is always packed, though it could be read in place: MR separate row streams take more
 * registers than the JIT has to spare.
 *
 * <p>MR is 6, 4 from JDK 25 with 8 lanes and 12 with 16 lanes ({@link Kernels#ROWS_PROPERTY}). It is a constant of
 * the class, so C2 folds every test on it and compiles each micro-kernel as if written for its tile alone.
 *
 * <p>Every element of C is the sum over the k-blocks in order, each block summed in p order by one FMA chain, so the
 * result depends on nothing but the shapes. Work is split between threads by tiles of C (columns when there are
 * enough, else rows), never inside a sum. docs/KERNEL-NOTES.md has the measurements behind the constants and
 * choices here.
 */
final class VectorProducts implements ProductKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  /** Floats per vector. */
  static final int L = S.length();
  /** Columns of C per micro-tile. */
  static final int NR = 2 * L;
  /** Rows of C per micro-tile: 6, or 4 from JDK 25 with 8 lanes, and 12 with 16 lanes (see the class comment). */
  static final int MR = Kernels.tileRows(L);
  /**
   * Values of p per block: enough for every layer of the standard workloads to be one block, so each tile of C is
   * written once instead of read and written again per block. The micro-kernel then streams its B panel (NR x KC
   * floats) from the L2 cache, which keeps up.
   */
  static final int KC = 1024;
  /** Rows of A per packed block, a multiple of every MR: MC x KC floats stay in the L2 cache. */
  static final int MC = 96;
  /**
   * Columns of B per packed block (KC x NC floats, in the L2 or L3 cache): large, so that A is packed once per block
   * of p rather than once per block of columns.
   */
  static final int NC = 64 * NR;
  /** Panels of a row-major B packed together in one pass over p (eight, written out in VectorPacking). */
  static final int PACK_GROUP = 8;

  private final ComputePool pool;

  VectorProducts(ComputePool pool) {
    this.pool = pool;
  }

  /** The description for logs and benchmarks, e.g. {@code vector (8 float lanes, 6 x 16 tiles, 2 threads)}. */
  static String describe(int threads) {
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
  record Operands(float[] a, int ars, int acs, float[] b, int brs, int bcs) {}

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
          VectorPacking.packA(x, false, packed, i0 * k, i0, i1, 0, k);
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
   * reading half of it from the other core's cache. A larger B would be packed once per task, which costs more.
   */
  static final int ROW_SPLIT_B_MAX = 1 << 16;

  /** Products of at least this many floating-point operations cut their columns into more parts than threads. */
  static final long MANY_PARTS_FLOPS = 256_000_000L;

  /**
   * How many parts the columns are cut into. A large product gets up to four per task, each of at least four
   * column tiles, so that a thread slowed down by the machine's other load takes fewer parts instead of holding
   * up the product; which columns a part covers changes no sum. Smaller ones keep one part per task, for which the
   * extra parts cost more than they balance.
   */
  private static int columnParts(int tasks, int colTiles, long flops) {
    if (flops < MANY_PARTS_FLOPS) {
      return tasks;
    }
    return Math.max(tasks, Math.min(tasks * 4, colTiles / 4));
  }

  /** Per-thread packing buffers. */
  private static final class Scratch {
    final float[] a = new float[MC * KC];
    final float[] b = new float[NC * KC];
    final float[] tile = new float[MR * NR];
  }

  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  /**
   * From this many rows, A is packed once for all tasks rather than by each task for itself. Below it, reading half
   * of a shared A from the other core's cache costs more than each task packing the block it needs into its own.
   */
  static final int SHARED_A_MIN_ROWS = 256;

  /** A packed whole for all tasks of one product (grown when needed; guarded by this). */
  private float[] sharedA = new float[0];

  /**
   * Whether A^T is read in place rather than packed: only when C has a single panel of columns, so that each value
   * of A is read once anyway and packing it would be pure cost. A row-major A is always packed (see the class
   * comment).
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
    // a row-major A packed by this thread alone goes into the row layout (see VectorPacking.packA)
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
          VectorPacking.packRowMajorB(x.b(), x.brs(), s.b, packed * NR * kc, p0, kc, j0 + packed * NR);
        }
      }
      for (int panel = packed; panel < colPanels; panel++) {
        int j = j0 + panel * NR;
        VectorPacking.packB(x, s.b, panel * NR * kc, p0, kc, j, Math.min(NR, j1 - j));
      }
      for (int ic = i0; ic < i1; ic += MC) {
        int rows = Math.min(MC, i1 - ic);
        int rowPanels = (rows + MR - 1) / MR;
        int fullPanels = rows / MR;
        int aBase = packedA == null ? 0 : ic * kc;
        if (!direct && packedA == null) {
          VectorPacking.packA(x, rowLayout, s.a, 0, ic, ic + rows, p0, kc);
        } else if (direct && fullPanels < rowPanels) {
          VectorPacking.packPartial(x.a(), x.ars(), x.acs(), s.a, fullPanels * MR * kc, ic + fullPanels * MR,
              ic + rows, p0, kc);
        }
        // A packed once for all tasks (SHARED_A_MIN_ROWS rows or more) lies in the shared cache: each of its row
        // panels stays in L1 while it meets every column panel of this part. With a thread's own packed A (fewer
        // rows) that order lost, so there each column panel of B meets every row panel.
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
            boolean whole = tileRows == MR && cols == NR && first && lastBias == null;
            float[] out = whole ? c : s.tile;
            int outOff = whole ? i * n + j : 0;
            int ldo = whole ? n : NR;
            if (direct && rp < fullPanels) {
              VectorMicroKernels.microTransposed(x.a(), i + p0 * x.acs(), x.acs(), s.b, panel * NR * kc, kc, out,
                  outOff, ldo);
            } else if (rowLayout) {
              VectorMicroKernels.microRows(ap, rp * MR * KC, s.b, panel * NR * kc, kc, out, outOff, ldo);
            } else {
              VectorMicroKernels.microPacked(ap, aBase + rp * MR * kc, s.b, panel * NR * kc, kc, out, outOff, ldo);
            }
            if (!whole) {
              VectorMicroKernels.merge(s.tile, c, n, i, tileRows, j, cols, first, lastBias);
            }
          }
        }
      }
    }
  }
}

