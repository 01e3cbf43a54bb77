package dev.backprop.cli;

import dev.backprop.train.EpochResult;
import dev.backprop.train.TrainingListener;
import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress display of {@code backprop train}.
 *
 * <p>On a terminal ({@link Mode#BAR}) one line is redrawn in place, at most {@link #REDRAWS_PER_SECOND}
 * times a second however fast the batches come:
 *
 * <pre>epoch 3/10  batch 12/23 [######------]  loss 0.4123   12,345 samples/s  ETA  0:42</pre>
 *
 * <p>The loss is the mean per-sample loss of the epoch's batches so far; samples/s is the epoch's rate so
 * far, counting the mean batch size (the rows over the batches); the time left is the remaining batches of
 * the run at the run's measured seconds per batch, evaluations included. At the end of each epoch the line
 * is replaced by the plain epoch summary ({@link #epochLine}). Elsewhere (a pipe, a file, a CI log) only
 * the plain summaries are printed ({@link Mode#LINES}), with no carriage return or escape code. The
 * environment variable {@value #ENV} ({@code bar}, {@code lines} or {@code none}) overrides the choice.
 */
final class Progress implements TrainingListener {
  /** The environment variable that overrides the display: {@code bar}, {@code lines} or {@code none}. */
  static final String ENV = "BACKPROP_PROGRESS";
  /** The most redraws of the bar per second. */
  static final int REDRAWS_PER_SECOND = 10;
  /** The line width when the environment variable COLUMNS does not give one. */
  static final int DEFAULT_COLUMNS = 80;
  /** The narrowest bar worth drawing; on a narrower line the bar is left out. */
  static final int MIN_BAR = 5;

  /** Back to the start of the line and clear it. */
  private static final String CLEAR_LINE = "\r\033[K";
  private static final long REDRAW_NANOS = 1_000_000_000L / REDRAWS_PER_SECOND;

  /** How progress is shown. */
  enum Mode {
    /** A line redrawn in place, then the plain epoch summary. */
    BAR,
    /** The plain epoch summaries only. */
    LINES,
    /** Nothing. */
    NONE;

    /** The mode {@code override} names, or, when it is null or blank, BAR on a terminal and LINES elsewhere. */
    static Mode choose(String override, boolean terminal) {
      if (override == null || override.isBlank()) {
        return terminal ? BAR : LINES;
      }
      for (Mode m : values()) {
        if (m.name().equalsIgnoreCase(override.strip())) {
          return m;
        }
      }
      throw new UsageException(ENV + " must be bar, lines or none, got '" + override
          + "'; unset it to get the bar on a terminal and plain lines elsewhere");
    }
  }

  private final PrintWriter out;
  private final Mode mode;
  private final long rows;
  private final int columns;
  private final LongSupplier nanoTime;

  private int epochs;
  private int batches;
  private long runStart;
  private long epochStart;
  private long lastDraw;
  private long batchesDone;
  private double epochLossSum;
  private int epochBatches;
  private boolean lineOpen;

  /**
   * @param out where the progress goes
   * @param mode how it is shown
   * @param rows training rows per epoch (for samples/s)
   * @param columns the terminal width; the bar line stays one shorter so that it never wraps
   * @param nanoTime the clock, {@link System#nanoTime} outside tests
   */
  Progress(PrintWriter out, Mode mode, long rows, int columns, LongSupplier nanoTime) {
    this.out = out;
    this.mode = mode;
    this.rows = rows;
    this.columns = columns;
    this.nanoTime = nanoTime;
  }

  /** The display for this process: the mode from {@value #ENV} or the terminal, the width from COLUMNS. */
  static Progress create(PrintWriter out, long rows) {
    Mode mode = Mode.choose(System.getenv(ENV), stdoutIsTerminal());
    return new Progress(out, mode, rows, columns(System.getenv("COLUMNS")), System::nanoTime);
  }

  /**
   * Whether standard output is an interactive terminal. From JDK 22 {@link System#console()} is not null
   * even when the output is redirected, and {@code Console.isTerminal()} (looked up by reflection, as the
   * code is built for 17) says; before, a console exists only on a terminal.
   */
  static boolean stdoutIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** The width COLUMNS gives, or {@link #DEFAULT_COLUMNS} when it is unset or not a positive number. */
  static int columns(String env) {
    try {
      int c = env == null ? 0 : Integer.parseInt(env.strip());
      return c > 0 ? c : DEFAULT_COLUMNS;
    } catch (NumberFormatException e) {
      return DEFAULT_COLUMNS;
    }
  }

  @Override
  public void onTrainingStart(int epochs, int batchesPerEpoch) {
    this.epochs = epochs;
    this.batches = batchesPerEpoch;
    runStart = nanoTime.getAsLong();
    epochStart = runStart;
    lastDraw = runStart;
  }

  @Override
  public void onBatchEnd(int epoch, int batch, int batchesPerEpoch, double loss) {
    if (mode != Mode.BAR) {
      return;
    }
    epochLossSum += loss;
    epochBatches++;
    batchesDone++;
    long now = nanoTime.getAsLong();
    if (now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    double epochSeconds = (now - epochStart) / 1e9;
    double samplesPerSecond = epochSeconds > 0 ? rows * (double) batch / batchesPerEpoch / epochSeconds : Double.NaN;
    long batchesLeft = (long) (epochs - epoch) * batchesPerEpoch + (batchesPerEpoch - batch);
    double secondsLeft = batchesLeft * ((now - runStart) / 1e9 / batchesDone);
    out.print(CLEAR_LINE + barLine(epoch, batch, batchesPerEpoch, epochLossSum / epochBatches, samplesPerSecond,
        secondsLeft));
    out.flush();
    lineOpen = true;
  }

  /** Clears a drawn bar, so that an error that ends training starts on a line of its own. */
  void interrupt() {
    if (lineOpen) {
      out.print(CLEAR_LINE);
      out.flush();
      lineOpen = false;
    }
  }

  @Override
  public void onEpochEnd(EpochResult result) {
    if (mode == Mode.NONE) {
      return;
    }
    if (lineOpen) {
      out.print(CLEAR_LINE);
      lineOpen = false;
    }
    out.println(epochLine(result, epochs));
    out.flush();
    epochStart = nanoTime.getAsLong();
    epochLossSum = 0;
    epochBatches = 0;
  }

  /**
   * The bar line, at most {@code columns - 1} characters: the bar takes what the text leaves, and is left
   * out below {@link #MIN_BAR} characters; on a very narrow terminal the text is cut.
   */
  String barLine(int epoch, int batch, int batchesPerEpoch, double loss, double samplesPerSecond,
      double secondsLeft) {
    String head = String.format(Locale.ROOT, "epoch %" + digits(epochs) + "d/%d  batch %" + digits(batchesPerEpoch)
        + "d/%d", epoch, epochs, batch, batchesPerEpoch);
    // the rate and the time left padded, so that the bar does not change width between redraws
    String tail = String.format(Locale.ROOT, "  loss %.4f  %7s samples/s  ETA %5s", loss, rate(samplesPerSecond),
        duration(secondsLeft));
    int width = columns - 1;
    int barWidth = width - head.length() - tail.length() - 3;
    String line = barWidth < MIN_BAR ? head + tail : head + " [" + bar(batch, batchesPerEpoch, barWidth) + "]" + tail;
    return line.length() <= width ? line : line.substring(0, Math.max(0, width));
  }

  /** {@code width} characters, the share {@code done / total} of them filled. */
  static String bar(int done, int total, int width) {
    int filled = total <= 0 ? width : (int) Math.min(width, (long) width * done / total);
    return "#".repeat(filled) + "-".repeat(width - filled);
  }

  /** Samples per second with thousands separators, or "-" when not measured yet. */
  static String rate(double samplesPerSecond) {
    return Double.isFinite(samplesPerSecond) ? String.format(Locale.ROOT, "%,.0f", samplesPerSecond) : "-";
  }

  /** A time left as m:ss, or h:mm:ss from an hour on; "--:--" when unknown. */
  static String duration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "--:--";
    }
    long s = Math.round(seconds);
    return s < 3600 ? String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }

  /**
   * The plain summary of one epoch, a format scripts may read: {@code epoch 3/10  loss 0.4123  acc 0.8812
   * test_loss 0.4400  test_acc 0.8700  0.21s} (acc for classification; test_r2 instead of test_acc for
   * regression; the test fields when there is test data).
   */
  static String epochLine(EpochResult r, int epochs) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %" + digits(epochs) + "d/%d  loss %.4f",
        r.epoch(), epochs, r.trainLoss()));
    if (!Double.isNaN(r.trainAccuracy())) {
      line.append(String.format(Locale.ROOT, "  acc %.4f", r.trainAccuracy()));
    }
    if (r.validation() != null) {
      line.append(String.format(Locale.ROOT, "  val_loss %.4f", r.validation().loss()));
      if (r.validation().classification() != null) {
        line.append(String.format(Locale.ROOT, "  val_acc %.4f", r.validation().accuracy()));
      }
    }
    if (r.test() != null) {
      line.append(String.format(Locale.ROOT, "  test_loss %.4f", r.test().loss()));
      if (r.test().classification() != null) {
        line.append(String.format(Locale.ROOT, "  test_acc %.4f", r.test().accuracy()));
      } else {
        line.append(String.format(Locale.ROOT, "  test_r2 %.4f", r.test().regression().r2()));
      }
    }
    line.append(String.format(Locale.ROOT, "  %.2fs", r.seconds()));
    return line.toString();
  }

  private static int digits(int n) {
    return String.valueOf(n).length();
  }
}
