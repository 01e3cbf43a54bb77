package dev.backprop.internal.kernel;

import java.util.function.IntConsumer;

/**
 * Tasks run aside of the kernels' work: idle compute threads take them one by one while the caller goes on, and a
 * product started meanwhile comes first, waiting at most for the task a thread is running. For work whose result does
 * not depend on which thread does it, such as gathering the next mini-batch while this one trains. One set of tasks
 * aside at a time: await it before starting the next.
 */
public interface TasksAside {
  /**
   * Starts {@code body(0) .. body(tasks - 1)} aside on the compute threads of the kernels in use. With no such
   * thread (the scalar kernels, or one thread) they run before this returns.
   */
  static TasksAside start(int tasks, IntConsumer body) {
    ComputePool pool = Kernels.pool();
    if (pool == null) {
      for (int t = 0; t < tasks; t++) {
        body.accept(t);
      }
      return () -> { };
    }
    return pool.runAside(tasks, body);
  }

  /** Runs the tasks no thread has taken yet and returns once all have run; rethrows an exception or error of one. */
  void await();
}
