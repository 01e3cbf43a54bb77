package dev.backprop.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Tasks run aside: each exactly once, on a worker when one is free, by the caller otherwise, failures rethrown. */
class ComputePoolAsideTest {
  @Test
  void aWorkerRunsTheTaskWhileTheCallerGoesOn() throws InterruptedException {
    ComputePool pool = new ComputePool(2);
    try {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicReference<Thread> ranOn = new AtomicReference<>();
      TasksAside pending = pool.runAside(1, t -> {
        ranOn.set(Thread.currentThread());
        started.countDown();
        awaitQuietly(release);
      });
      // the task blocks until released, so it can only have started on another thread
      assertTrue(started.await(10, TimeUnit.SECONDS), "no worker took the task");
      assertTrue(ranOn.get() != Thread.currentThread());
      // a job of the pool still runs while the worker is busy aside: the caller takes every task
      AtomicInteger tasks = new AtomicInteger();
      pool.run(4, t -> tasks.incrementAndGet());
      assertEquals(4, tasks.get());
      release.countDown();
      pending.await();
    } finally {
      pool.close();
    }
  }

  @Test
  void aJobStartedMeanwhileComesBeforeTheTasksAsideNotYetTaken() throws InterruptedException {
    ComputePool pool = new ComputePool(2);
    try {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      List<String> order = Collections.synchronizedList(new ArrayList<>());
      TasksAside pending = pool.runAside(3, t -> {
        if (t == 0) {
          started.countDown();
          awaitQuietly(release);
        }
        order.add("aside " + t);
      });
      assertTrue(started.await(10, TimeUnit.SECONDS), "no worker took the first task");
      // the caller takes task 0 of the job, frees the worker and holds on until task 1 has started elsewhere:
      // the worker must take it after the one task aside it was running, not after all three
      CountDownLatch bothStarted = new CountDownLatch(2);
      Thread caller = Thread.currentThread();
      pool.run(2, t -> {
        if (t == 0) {
          release.countDown();
        }
        bothStarted.countDown();
        awaitQuietly(bothStarted);
        order.add("job " + t + (Thread.currentThread() == caller ? " on the caller" : " on a worker"));
      });
      pending.await();
      assertTrue(order.contains("job 1 on a worker"), "order: " + order);
      assertTrue(order.indexOf("job 1 on a worker") < order.indexOf("aside 1"), "order: " + order);
      assertTrue(order.indexOf("job 1 on a worker") < order.indexOf("aside 2"), "order: " + order);
    } finally {
      pool.close();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void eachTaskRunsExactlyOnceWhoeverTakesIt() {
    ComputePool pool = new ComputePool(2);
    try {
      for (int i = 0; i < 2000; i++) {
        int tasks = 1 + i % 5;
        AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
        TasksAside p = pool.runAside(tasks, runs::incrementAndGet);
        if (i % 3 == 0) {
          pool.run(2, t -> { });
        }
        p.await();
        for (int t = 0; t < tasks; t++) {
          assertEquals(1, runs.get(t), "task " + t + " of " + tasks + " in round " + i);
        }
      }
    } finally {
      pool.close();
    }
  }

  @Test
  void theTasksFailureReachesTheCaller() {
    for (int threads : new int[] {1, 2}) {
      ComputePool pool = new ComputePool(threads);
      try {
        IllegalStateException boom = new IllegalStateException("boom");
        TasksAside p;
        if (threads == 1) {
          // without a worker the task runs at once, so its failure surfaces right there
          assertSame(boom, assertThrows(IllegalStateException.class, () -> pool.runAside(1, t -> {
            throw boom;
          })));
        } else {
          p = pool.runAside(3, t -> {
            if (t == 1) {
              throw boom;
            }
          });
          assertSame(boom, assertThrows(IllegalStateException.class, p::await));
        }
      } finally {
        pool.close();
      }
    }
  }

  @Test
  void withOneThreadTheTaskHasRunBeforeRunAsideReturns() {
    ComputePool pool = new ComputePool(1);
    try {
      AtomicReference<Thread> ranOn = new AtomicReference<>();
      TasksAside p = pool.runAside(1, t -> ranOn.set(Thread.currentThread()));
      assertSame(Thread.currentThread(), ranOn.get());
      p.await();
    } finally {
      pool.close();
    }
  }
}
