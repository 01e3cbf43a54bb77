package dev.backprop.internal.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A small fixed pool for the kernels: {@code threads - 1} daemon workers plus the calling thread run the
 * numbered tasks of one job at a time. Workers spin briefly between jobs (training calls the kernels
 * thousands of times a second, and waking a parked thread costs more than a small product), then park.
 *
 * <p>Which thread runs which task varies from run to run; the kernels make every task's output independent
 * of that.
 */
final class ComputePool {
  /** Below this many floating-point operations a product runs on the calling thread alone. */
  static final long MIN_PARALLEL_FLOPS = 4_000_000L;
  private static final long SPIN_NANOS = 200_000L;

  private final int threads;
  private final Thread[] workers;
  private volatile Job job;
  private volatile Aside aside;
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

  /** Runs body(0) .. body(tasks - 1), spread over the pool, and returns when all are done. */
  synchronized void run(int tasks, IntConsumer body) {
    if (tasks == 1 || workers.length == 0) {
      for (int t = 0; t < tasks; t++) {
        body.accept(t);
      }
      return;
    }
    Job j = new Job(body, tasks);
    job = j;
    for (Thread w : workers) {
      LockSupport.unpark(w);
    }
    j.help();
    while (j.done.get() < tasks) {
      Thread.onSpinWait();
    }
    if (j.failure != null) {
      if (j.failure instanceof RuntimeException) {
        throw (RuntimeException) j.failure;
      }
      throw (Error) j.failure;
    }
  }

  /**
   * Starts {@code task} on a worker, or runs it now when there is none. The caller must have awaited the
   * previous task aside. A worker takes it when it is not helping with a job; if none has when the caller
   * awaits, the caller runs it itself.
   */
  FloatKernels.Pending runAside(Runnable task) {
    if (workers.length == 0) {
      task.run();
      return () -> { };
    }
    Aside a = new Aside(task);
    aside = a;
    LockSupport.unpark(workers[0]);
    return a;
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
      Aside a;
      if (j != null && j != seen) {
        seen = j;
        j.help();
        idleSince = System.nanoTime();
      } else if ((a = aside) != null && a.claim()) {
        a.execute();
        idleSince = System.nanoTime();
      } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(this, 1_000_000L);
      }
    }
  }

  /** A task aside: run once, by whichever thread claims it first. */
  private static final class Aside implements FloatKernels.Pending {
    private final Runnable task;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile boolean done;
    private volatile Throwable failure;

    Aside(Runnable task) {
      this.task = task;
    }

    boolean claim() {
      return !claimed.get() && claimed.compareAndSet(false, true);
    }

    void execute() {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        failure = e;
      } finally {
        done = true;
      }
    }

    @Override
    public void await() {
      if (claim()) {
        execute();
      }
      while (!done) {
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

    void help() {
      for (int t; (t = next.getAndIncrement()) < tasks; ) {
        try {
          body.accept(t);
        } catch (RuntimeException | Error e) {
          failure = e;
        } finally {
          done.incrementAndGet();
        }
      }
    }
  }
}
