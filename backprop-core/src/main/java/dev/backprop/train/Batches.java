package dev.backprop.train;

import dev.backprop.SeededRandom;
import dev.backprop.data.Dataset;
import dev.backprop.internal.kernel.TasksAside;
import dev.backprop.tensor.Matrix;

/**
 * The mini-batches of an epoch, in the order drawn from (seed, epoch), gathered into buffers allocated once per
 * run. While one batch trains, idle compute threads gather the next into the other buffer, so a batch is ready
 * when the step needs it. Close it to wait for a gathering still under way.
 */
final class Batches implements AutoCloseable {
  /** Stream id of the per-epoch shuffles under the training seed. */
  static final long SHUFFLE_STREAM = 2;
  /** Rows per task of the gathering aside: short tasks keep a product from waiting long for a busy thread. */
  private static final int GATHER_PART = 4;

  private final Dataset data;
  private final int rows;
  private final int count;
  private final long seed;
  private final boolean shuffle;
  /** Two buffers of the full size when a full batch can follow another; a third for a short last batch. */
  private final Batch[] full;
  private final Batch rest;
  private int[] order;
  private TasksAside pending;

  /** One batch: its rows' features and targets, and where its rows start in the epoch's order. */
  record Batch(Matrix x, Matrix y, int from) {
    int rows() {
      return x.rows();
    }
  }

  /** @param batchSize rows per batch, or {@link TrainingConfig#FULL_BATCH} */
  Batches(Dataset data, int batchSize, long seed, boolean shuffle) {
    int n = data.size();
    this.data = data;
    this.rows = batchSize == TrainingConfig.FULL_BATCH ? n : Math.min(batchSize, n);
    this.count = (n + rows - 1) / rows;
    this.seed = seed;
    this.shuffle = shuffle;
    this.full = new Batch[] {buffer(rows), n / rows >= 2 ? buffer(rows) : null};
    this.rest = n % rows == 0 ? null : buffer(n % rows);
  }

  private Batch buffer(int size) {
    return new Batch(Matrix.zeros(size, data.featureCount()), Matrix.zeros(size, data.outputCount()), 0);
  }

  /** Batches per epoch. */
  int count() {
    return count;
  }

  /** Draws the order of {@code epoch}'s rows. */
  void startEpoch(int epoch) {
    order = shuffle ? SeededRandom.derive(seed, SHUFFLE_STREAM, epoch).permutation(data.size()) : identity(data.size());
  }

  /**
   * Batch b of the epoch (0-based), gathered now or by the threads that gathered it aside, and the gathering of
   * batch b + 1 started aside.
   */
  Batch take(int b) {
    Batch buffers = buffers(b);
    int from = b * rows;
    if (pending == null) {
      data.gather(order, from, from + buffers.rows(), buffers.x(), buffers.y());
    } else {
      awaitPending();
    }
    if (b + 1 < count) {
      gatherAside(b + 1);
    }
    return new Batch(buffers.x(), buffers.y(), from);
  }

  /** The label of row i of a batch that starts at {@code from} in the order. */
  int label(int from, int i) {
    return data.label(order[from + i]);
  }

  private void gatherAside(int b) {
    Batch next = buffers(b);
    int from = b * rows;
    int parts = (next.rows() + GATHER_PART - 1) / GATHER_PART;
    pending = TasksAside.start(parts, t -> {
      int r0 = t * GATHER_PART;
      int r1 = Math.min(next.rows(), r0 + GATHER_PART);
      data.gatherPart(order, from + r0, from + r1, next.x(), next.y(), r0);
    });
  }

  private void awaitPending() {
    TasksAside p = pending;
    pending = null;
    p.await();
  }

  /** The buffers of batch b: the smaller ones for a last, short batch, else the two full-size ones in turn. */
  private Batch buffers(int b) {
    if (b == count - 1 && rest != null) {
      return rest;
    }
    return b % 2 == 1 && full[1] != null ? full[1] : full[0];
  }

  /** Waits for a gathering under way, so that no task outlives the run; an epoch's end leaves none. */
  @Override
  public void close() {
    if (pending != null) {
      awaitPending();
    }
  }

  private static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }
}
