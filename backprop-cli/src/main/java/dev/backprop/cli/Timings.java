package dev.backprop.cli;

import dev.backprop.train.EpochResult;
import dev.backprop.train.TrainingListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where the time of a {@code train} process goes, for measuring its start-up and the JIT's warm-up: with the JVM
 * option {@code -Dbackprop.timings=true}, {@code train} prints on stderr, after its work, the seconds since the
 * process started at each phase (the command line read, the data read, training started, each epoch, the
 * evaluation, the model saved) and the first epoch's batches in tenths, against a later epoch's. Off by default:
 * it costs nothing then.
 */
final class Timings implements TrainingListener {
  /** The JVM option that turns the timings on. */
  static final String PROPERTY = "backprop.timings";

  /** The timings of this process, or null when they are off. */
  private static final Timings ACTIVE = Boolean.getBoolean(PROPERTY) ? new Timings() : null;

  private final long originNanos;
  private final double processSeconds;
  private final List<String> names = new ArrayList<>();
  private final List<Long> marks = new ArrayList<>();
  /** Nanos at each batch's end, per epoch (the first and the last recorded). */
  private long[] firstEpoch;
  private long[] lastEpoch;
  private long epochStart;
  private long[] current;

  private Timings() {
    originNanos = System.nanoTime();
    // the launcher's start, or the process's as the kernel gives it (to a second or so), so that the JVM's own
    // start-up is counted
    Instant started = launched(System.getProperty(LAUNCHED_PROPERTY));
    if (started == null) {
      started = ProcessHandle.current().info().startInstant().orElse(Instant.now());
    }
    processSeconds = Duration.between(started, Instant.now()).toNanos() / 1e9;
  }

  /** The JVM option by which the launcher gives its start, in seconds since the epoch with microseconds. */
  static final String LAUNCHED_PROPERTY = "backprop.launched";

  /** The instant of a value of {@link #LAUNCHED_PROPERTY} ({@code 1796685463.557140}, or with a comma), or null. */
  static Instant launched(String value) {
    if (value == null) {
      return null;
    }
    String[] parts = value.trim().split("[.,]");
    try {
      long seconds = Long.parseLong(parts[0]);
      long nanos = 0;
      if (parts.length == 2 && parts[1].length() <= 9) {
        nanos = Long.parseLong(parts[1]) * (long) Math.pow(10, 9 - parts[1].length());
      } else if (parts.length != 1) {
        return null;
      }
      return seconds > 0 ? Instant.ofEpochSecond(seconds, nanos) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The timings when {@code -Dbackprop.timings=true}, else null. */
  static Timings active() {
    return ACTIVE;
  }

  /** Records that the phase {@code name} ends now (nothing when the timings are off). */
  static void mark(String name) {
    if (ACTIVE != null) {
      synchronized (ACTIVE) {
        ACTIVE.names.add(name);
        ACTIVE.marks.add(System.nanoTime());
      }
    }
  }

  @Override
  public synchronized void onTrainingStart(int epochs, int batchesPerEpoch) {
    names.add("training starts");
    marks.add(System.nanoTime());
    epochStart = System.nanoTime();
    current = new long[batchesPerEpoch];
  }

  @Override
  public synchronized void onBatchEnd(int epoch, int batch, int batchesPerEpoch, double loss) {
    if (current != null && batch <= current.length) {
      current[batch - 1] = System.nanoTime() - epochStart;
    }
  }

  @Override
  public synchronized void onEpochEnd(EpochResult result) {
    names.add("epoch " + result.epoch() + " (its evaluation included)");
    marks.add(System.nanoTime());
    if (firstEpoch == null) {
      firstEpoch = current;
    } else {
      lastEpoch = current;
    }
    current = new long[current.length];
    epochStart = System.nanoTime();
  }

  /** Prints the phases and the batches' tenths on {@code err}. */
  synchronized void print(PrintWriter err) {
    err.println("timings: seconds since the process started, and since the phase before");
    long previous = originNanos - (long) (processSeconds * 1e9);
    for (int i = 0; i < names.size(); i++) {
      err.printf(Locale.ROOT, "timings: %7.3f  +%.3f  %s%n", at(marks.get(i)), (marks.get(i) - previous) / 1e9,
          names.get(i));
      previous = marks.get(i);
    }
    if (firstEpoch != null) {
      err.println("timings: the first epoch's batches in tenths, seconds: " + tenths(firstEpoch));
    }
    if (lastEpoch != null) {
      err.println("timings: the last epoch's batches in tenths, seconds:  " + tenths(lastEpoch));
    }
    err.flush();
  }

  private double at(long nanos) {
    return processSeconds + (nanos - originNanos) / 1e9;
  }

  /** The time of each tenth of an epoch's batches (ends recorded from the epoch's start). */
  private static String tenths(long[] ends) {
    int n = ends.length;
    double[] parts = new double[Math.min(10, n)];
    long before = 0;
    for (int t = 0; t < parts.length; t++) {
      int last = (int) ((long) n * (t + 1) / parts.length) - 1;
      parts[t] = (ends[last] - before) / 1e9;
      before = ends[last];
    }
    StringBuilder s = new StringBuilder();
    for (double p : parts) {
      s.append(String.format(Locale.ROOT, " %.3f", p));
    }
    return s.toString().strip() + String.format(Locale.ROOT, " (%d batches, %.3f s)", n, Arrays.stream(parts).sum());
  }
}
