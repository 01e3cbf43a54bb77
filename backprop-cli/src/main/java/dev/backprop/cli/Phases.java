package dev.backprop.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The seconds each phase of a command took (reading, encoding, evaluating...), printed to stderr when the JVM runs
 * with {@code -Dbackprop.phases=true}: for finding where a whole process's time goes without a profiler. Each line
 * names the phase that just ended, its wall and CPU seconds (all threads of the process, the JIT's and the
 * collector's included) and the heap in use; the first phase starts with the JVM.
 */
final class Phases {
  /** The system property that turns the lines on. */
  static final String PROPERTY = "backprop.phases";

  private static final boolean ON = Boolean.getBoolean(PROPERTY);
  /** The first phase starts with the JVM. */
  private static long lastWall = System.nanoTime() - (ON ? ManagementFactory.getRuntimeMXBean().getUptime() : 0)
      * 1_000_000L;
  private static long lastCpu = 0;

  private Phases() {
  }

  /** Ends a phase: prints its line when the lines are on. */
  static synchronized void done(String phase) {
    if (!ON) {
      return;
    }
    long wall = System.nanoTime();
    long cpu = cpu();
    Runtime rt = Runtime.getRuntime();
    PrintStream err = System.err;
    err.printf(Locale.ROOT, "phase %-10s %6.3f s wall %6.3f s cpu, heap %4d MB used of %4d MB, at %5d ms%n", phase,
        (wall - lastWall) / 1e9, (cpu - lastCpu) / 1e9, (rt.totalMemory() - rt.freeMemory()) >> 20,
        rt.totalMemory() >> 20, ManagementFactory.getRuntimeMXBean().getUptime());
    lastWall = System.nanoTime();
    lastCpu = cpu();
  }

  private static long cpu() {
    return ON && ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : 0;
  }
}
