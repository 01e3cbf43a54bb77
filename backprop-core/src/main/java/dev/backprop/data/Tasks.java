package dev.backprop.data;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Independent tasks of the table code run side by side on the JDK's common pool. Each task writes only its own
 * part of the result, so that nothing depends on how many threads there are or which one ran which task.
 */
final class Tasks {
  private Tasks() {
  }

  /** Runs task(0) .. task(n - 1) and returns when all have ended; a task's exception is rethrown. */
  static void run(int n, IntConsumer task) {
    if (n == 1) {
      task.accept(0);
    } else {
      IntStream.range(0, n).parallel().forEach(task);
    }
  }
}
