package dev.backprop.internal.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A small fixed pool for the kernels: {@code threads - 1} daemon workers plus the calling thread run the
 * numbered tasks of one job at a time. Workers spin briefly between jobs (training calls the kernels
 * thousands of times a second, and waking a parked thread costs more than a small product), then park.
 * Between jobs they also take tasks aside ({@link TasksAside}), one at a time.
 *
 * <p>Which thread runs which task varies from run to run; the kernels make every task's output independent
 * of that.
 */
final class ComputePool {
  /** Below this many floating-point operations a product runs on the calling thread alone. */
  static final long MIN_PARALLEL_FLOPS = 4_000_000L;
  /** A pass of a few operations per element is worth a second thread from this many elements on. */
  static final int PARALLEL_ELEMENTS = 1 << 15;
  private static final long SPIN_NANOS = 200_000L;

  private final int threads;
  private final Thread[] workers;
  private volatile Job job;
  private volatile Job aside;
  private volatile boolean closed;

  ComputePool(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.threads = threads;
    this.workers = new Thread[threads - 1];
    for (int w = 0; w < workers.length; w++) {
      Thread t = new Thread(this::work, "backprop-compute-" + (w + 1));
      t.setDaemon(true);
      workers[w] = t;
      t.start();
    }
  }

  int threads() {
    return threads;
  }

  /** How many tasks a product of {@code flops} with {@code tiles} independent tiles should be split into. */
  int tasksFor(long flops, int tiles) {
    if (threads == 1 || flops < MIN_PARALLEL_FLOPS) {
      return 1;
    }
    return Math.min(threads, tiles);
  }

  /** How many tasks an element-wise pass over {@code n} elements is split into: one below {@code from} elements. */
  int tasksForElements(int n, int from) {
    return n < from ? 1 : tasksFor(Long.MAX_VALUE, n / from + 1);
  }

  /** The first of {@code units} units that part {@code index} of {@code parts} covers. */
  static int split(int units, int parts, int index) {
    return (int) ((long) units * index / parts);
  }

  /**
   * Runs body(t, from, to) for t &lt; tasks on the pool, the parts cutting [0, n) at multiples of {@code step}, so
   * that only the last part has a tail shorter than a step. For element-wise passes, whose values do not depend on
   * the cut.
   */
  void runParts(int n, int step, int tasks, Part body) {
    int chunks = (n + step - 1) / step;
    run(tasks, t -> body.run(t, split(chunks, tasks, t) * step, Math.min(n, split(chunks, tasks, t + 1) * step)));
  }

  /** One part of an element-wise pass: task t covers [from, to). */
  @FunctionalInterface
  interface Part {
    void run(int t, int from, int to);
  }

  /**
   * Runs body(0) .. body(tasks - 1), spread over the pool, and returns when all are done. A single task runs on the
   * caller without the pool's lock, so that threads predicting at once do not wait for each other's small products.
   */
  void run(int tasks, IntConsumer body) {
    if (tasks == 1 || workers.length == 0) {
      for (int t = 0; t < tasks; t++) {
        body.accept(t);
      }
      return;
    }
    runShared(tasks, body);
  }

  private synchronized void runShared(int tasks, IntConsumer body) {
    Job j = new Job(body, tasks);
    job = j;
    for (Thread w : workers) {
      LockSupport.unpark(w);
    }
    j.finish();
  }

  /**
   * Starts body(0) .. body(tasks - 1) aside: workers take them one at a time when not helping with a job, and
   * {@link TasksAside#await()} runs the rest on the caller. With no workers they run now. The caller must have
   * awaited the previous tasks aside.
   */
  TasksAside runAside(int tasks, IntConsumer body) {
    Job j = new Job(body, tasks);
    if (workers.length == 0) {
      j.finish();
      return () -> { };
    }
    aside = j;
    LockSupport.unpark(workers[0]);
    return () -> {
      try {
        j.finish();
      } finally {
        // the tasks may hold on to large arrays (a dataset): the pool keeps no reference once they are done
        if (aside == j) {
          aside = null;
        }
      }
    };
  }

  void close() {
    closed = true;
    for (Thread w : workers) {
      LockSupport.unpark(w);
    }
  }

  private void work() {
    Job seen = null;
    long idleSince = System.nanoTime();
    while (!closed) {
      Job j = job;
      Job a;
      if (j != null && j != seen) {
        seen = j;
        j.help();
        idleSince = System.nanoTime();
      } else if ((a = aside) != null && a.next.get() < a.tasks) {
        // one task aside, then back to look for a job: a job that comes meanwhile waits for this task alone, not
        // for all the tasks left
        a.runOne();
        idleSince = System.nanoTime();
      } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(this, 1_000_000L);
      }
    }
  }

  private static final class Job {
    final IntConsumer body;
    final int tasks;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    volatile Throwable failure;

    Job(IntConsumer body, int tasks) {
      this.body = body;
      this.tasks = tasks;
    }

    /** Runs the tasks no thread has taken, waits for the others, and rethrows a task's failure. */
    void finish() {
      help();
      while (done.get() < tasks) {
        Thread.onSpinWait();
      }
      Throwable f = failure;
      if (f instanceof RuntimeException) {
        throw (RuntimeException) f;
      }
      if (f != null) {
        throw (Error) f;
      }
    }

    /** Runs the tasks no thread has taken. */
    void help() {
      while (runOne()) {
        // until every task is taken
      }
    }

    /** Runs one task no thread has taken; false when there was none. */
    boolean runOne() {
      int t = next.getAndIncrement();
      if (t >= tasks) {
        return false;
      }
      try {
        body.accept(t);
      } catch (RuntimeException | Error e) {
        failure = e;
      } finally {
        done.incrementAndGet();
      }
      return true;
    }
  }
}
