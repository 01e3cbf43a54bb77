package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.metrics.ClassificationMetrics;
import dev.backprop.train.Evaluation;
import dev.backprop.metrics.RegressionMetrics;
import dev.backprop.train.EpochResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress display of train, driven by a fake clock and read back from a string. */
class ProgressTest {
  private static final String CLEAR_LINE = "\r\033[K";
  private static final long MS = 1_000_000L;

  /** A clock the test moves by hand. */
  private static final class Clock {
    long nanos = 1_000 * MS;

    long now() {
      return nanos;
    }
  }

  private final StringWriter text = new StringWriter();
  private final Clock clock = new Clock();

  private Progress progress(Progress.Mode mode, long rows, int columns) {
    return new Progress(new PrintWriter(text), mode, rows, columns, clock::now);
  }

  private static EpochResult epoch(int epoch, double loss) {
    return new EpochResult(epoch, 0.001, loss, 0.75, null, null, 0.5);
  }

  /** Runs {@code epochs} epochs of {@code batches} batches, each taking {@code batchMillis} on the clock. */
  private void train(Progress p, int epochs, int batches, long batchMillis) {
    p.onTrainingStart(epochs, batches);
    for (int e = 1; e <= epochs; e++) {
      for (int b = 1; b <= batches; b++) {
        clock.nanos += batchMillis * MS;
        p.onBatchEnd(e, b, batches, 0.5);
      }
      p.onEpochEnd(epoch(e, 0.5));
    }
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void barRedrawsAtMostTenTimesASecondWhateverTheBatchRate() {
    // 2,000 batches of 1 ms: 2 s, so about 20 redraws, not 2,000
    train(progress(Progress.Mode.BAR, 64_000, 80), 1, 2_000, 1);
    String out = text.toString();
    int redraws = count(out, "batch ");
    assertTrue(redraws >= 18 && redraws <= 20, "redraws " + redraws + " in 2 s:\n" + out);
    assertEquals(redraws + 1, count(out, CLEAR_LINE), "each redraw and the summary start by clearing the line");
    assertFalse(out.contains("\n" + "epoch 1/1  batch"), "redraws stay on one line");
  }

  @Test
  void barRedrawsEveryBatchWhenBatchesAreSlow() {
    train(progress(Progress.Mode.BAR, 640, 80), 1, 10, 250);
    assertEquals(10, count(text.toString(), "batch "), text::toString);
    assertTrue(text.toString().contains("batch 10/10 [##########"), "a full bar while the epoch is evaluated");
  }

  @Test
  void barEndsEachEpochWithThePlainSummaryOnItsOwnLine() {
    train(progress(Progress.Mode.BAR, 640, 80), 2, 10, 50);
    String out = text.toString();
    String[] lines = out.split("\n", -1);
    assertEquals(3, lines.length, out);
    assertTrue(lines[0].endsWith(CLEAR_LINE + "epoch 1/2  loss 0.5000  acc 0.7500  0.50s"), out);
    assertTrue(lines[1].startsWith(CLEAR_LINE + "epoch 2/2  batch "), out);
    assertTrue(lines[1].endsWith(CLEAR_LINE + "epoch 2/2  loss 0.5000  acc 0.7500  0.50s"), out);
    assertEquals("", lines[2]);
  }

  @Test
  void barShowsBatchLossRateAndTimeLeft() {
    Progress p = progress(Progress.Mode.BAR, 2_300, 100);
    p.onTrainingStart(2, 23);
    for (int b = 1; b <= 12; b++) {
      clock.nanos += 100 * MS;
      p.onBatchEnd(1, b, 23, b == 12 ? 1.2 : 0.4);
    }
    // 12 batches of 100 rows in 1.2 s: 1,000 samples/s; 11 + 23 batches left at 0.1 s: 3.4 s
    String last = text.toString().substring(text.toString().lastIndexOf(CLEAR_LINE) + CLEAR_LINE.length());
    assertTrue(last.startsWith("epoch 1/2  batch 12/23 ["), last);
    assertTrue(last.endsWith("]  loss 0.4667    1,000 samples/s  ETA  0:03"), last);
    assertEquals(99, last.length(), last);
  }

  @Test
  void barLineNeverWrapsAndDropsTheBarWhenNarrow() {
    clock.nanos = 0;
    // a long case: 75 characters of text, so the bar needs 84 columns or more
    for (int columns : new int[] {200, 100, 84, 83, 80, 60, 40, 10, 1}) {
      Progress p = progress(Progress.Mode.BAR, 100, columns);
      p.onTrainingStart(100, 1_000);
      String line = p.barLine(7, 500, 1_000, 0.1234, 12_345.6, 3_725);
      assertTrue(line.length() <= Math.max(0, columns - 1), columns + " columns: " + line);
      assertEquals(columns >= 84, line.contains("["), columns + " columns: " + line);
    }
    Progress usual = progress(Progress.Mode.BAR, 1_438, 80);
    usual.onTrainingStart(10, 23);
    String line = usual.barLine(3, 12, 23, 0.4123, 12_345, 42);
    assertTrue(line.matches("epoch  3/10  batch 12/23 \\[#{4}-{5}\\]  loss .*"), "a bar on 80 columns: " + line);
    Progress wide = progress(Progress.Mode.BAR, 100, 120);
    wide.onTrainingStart(100, 1_000);
    assertEquals("epoch   7/100  batch  500/1000 [######------]  loss 0.1234   12,346 samples/s  ETA 1:02:05",
        wide.barLine(7, 500, 1_000, 0.1234, 12_345.6, 3_725).replaceAll("#+-+", "######------"));
  }

  @Test
  void linesModePrintsOnlyThePlainSummaries() {
    train(progress(Progress.Mode.LINES, 640, 80), 3, 1_000, 5);
    String out = text.toString();
    assertFalse(out.contains("\r"), out);
    assertFalse(out.contains("\033"), out);
    String nl = System.lineSeparator();
    assertEquals("epoch 1/3  loss 0.5000  acc 0.7500  0.50s" + nl + "epoch 2/3  loss 0.5000  acc 0.7500  0.50s" + nl
        + "epoch 3/3  loss 0.5000  acc 0.7500  0.50s" + nl, out);
  }

  @Test
  void noneModePrintsNothing() {
    train(progress(Progress.Mode.NONE, 640, 80), 2, 100, 50);
    assertEquals("", text.toString());
  }

  @Test
  void zeroEpochsPrintNothing() {
    for (Progress.Mode mode : Progress.Mode.values()) {
      train(progress(mode, 640, 80), 0, 10, 50);
    }
    assertEquals("", text.toString());
  }

  @Test
  void oneBatchPerEpochFillsTheBarThenSummarises() {
    Progress p = progress(Progress.Mode.BAR, 1_000, 80);
    p.onTrainingStart(1, 1);
    clock.nanos += 500 * MS;
    String bar = p.barLine(1, 1, 1, 0.25, 2_000, 0);
    assertTrue(bar.matches("epoch 1/1  batch 1/1 \\[#+\\]  loss 0\\.2500    2,000 samples/s  ETA  0:00"), bar);
    p.onBatchEnd(1, 1, 1, 0.25);
    p.onEpochEnd(epoch(1, 0.25));
    assertEquals(CLEAR_LINE + bar + CLEAR_LINE + "epoch 1/1  loss 0.2500  acc 0.7500  0.50s" + System.lineSeparator(),
        text.toString());
  }

  @Test
  void batchAtTheStartOfAnEpochHasNoRateYet() {
    Progress p = progress(Progress.Mode.BAR, 640, 80);
    p.onTrainingStart(2, 10);
    clock.nanos += 500 * MS;
    p.onEpochEnd(epoch(1, 0.5));
    p.onBatchEnd(2, 1, 10, 0.5); // no time has passed since the epoch began
    assertTrue(text.toString().contains("  loss 0.5000        - samples/s  ETA  0:"), text::toString);
  }

  @Test
  void ratesAndDurationsFormat() {
    assertEquals("12,346", Progress.rate(12_345.6));
    assertEquals("0", Progress.rate(0.2));
    assertEquals("-", Progress.rate(Double.NaN));
    assertEquals("-", Progress.rate(Double.POSITIVE_INFINITY));
    assertEquals("0:00", Progress.duration(0));
    assertEquals("0:42", Progress.duration(41.6));
    assertEquals("59:59", Progress.duration(3_599.4));
    assertEquals("1:00:00", Progress.duration(3_599.5));
    assertEquals("27:46:40", Progress.duration(100_000));
    assertEquals("--:--", Progress.duration(Double.NaN));
    assertEquals("--:--", Progress.duration(Double.POSITIVE_INFINITY));
    assertEquals("--:--", Progress.duration(-1));
    assertEquals("######----", Progress.bar(3, 5, 10));
    assertEquals("----------", Progress.bar(0, 5, 10));
    assertEquals("##########", Progress.bar(5, 5, 10));
  }

  @Test
  void epochLineKeepsItsFormat() {
    Evaluation classes = new Evaluation(10, 0.25, ClassificationMetrics.of(new int[] {0, 1, 1, 0},
        new int[] {0, 1, 0, 0}, List.of("a", "b")), null);
    assertEquals("epoch  3/12  loss 0.4123  acc 0.8812  test_loss 0.2500  test_acc 0.7500  1.23s",
        Progress.epochLine(new EpochResult(3, 0.1, 0.41234, 0.88123, null, classes, 1.234), 12));
    Evaluation values = new Evaluation(10, 2.5, null, new RegressionMetrics(2.5, 1.0, 0.8765));
    assertEquals("epoch 3/3  loss 0.4123  test_loss 2.5000  test_r2 0.8765  0.01s",
        Progress.epochLine(new EpochResult(3, 0.1, 0.41234, Double.NaN, null, values, 0.01), 3));
  }

  @Test
  void modeComesFromTheOverrideOrTheTerminal() {
    assertEquals(Progress.Mode.BAR, Progress.Mode.choose(null, true));
    assertEquals(Progress.Mode.LINES, Progress.Mode.choose(null, false));
    assertEquals(Progress.Mode.LINES, Progress.Mode.choose(" ", false));
    assertEquals(Progress.Mode.LINES, Progress.Mode.choose("lines", true));
    assertEquals(Progress.Mode.BAR, Progress.Mode.choose("BAR", false));
    assertEquals(Progress.Mode.NONE, Progress.Mode.choose("none", true));
    UsageException e = assertThrows(UsageException.class, () -> Progress.Mode.choose("fancy", true));
    assertTrue(e.getMessage().contains("BACKPROP_PROGRESS must be bar, lines or none, got 'fancy'"), e.getMessage());
  }

  @Test
  void columnsComeFromTheEnvironmentOrDefaultToEighty() {
    assertEquals(120, Progress.columns("120"));
    assertEquals(80, Progress.columns(null));
    assertEquals(80, Progress.columns(""));
    assertEquals(80, Progress.columns("wide"));
    assertEquals(80, Progress.columns("0"));
    assertEquals(80, Progress.columns("-5"));
  }

  @Test
  void anInterruptedBarIsClearedSoTheErrorStartsOnItsOwnLine() {
    Progress bar = progress(Progress.Mode.BAR, 100, 80);
    bar.onTrainingStart(1, 10);
    clock.nanos += 500 * MS;
    bar.onBatchEnd(1, 1, 10, 0.5);
    assertTrue(text.toString().startsWith(CLEAR_LINE + "epoch"), text.toString());
    bar.interrupt();
    assertTrue(text.toString().endsWith(CLEAR_LINE), text.toString());
    int length = text.toString().length();
    bar.interrupt();
    assertEquals(length, text.toString().length(), "a second interrupt draws nothing");

    Progress lines = new Progress(new PrintWriter(text), Progress.Mode.LINES, 100, 80, clock::now);
    lines.onTrainingStart(1, 10);
    lines.onBatchEnd(1, 1, 10, 0.5);
    lines.interrupt();
    assertEquals(length, text.toString().length(), "plain lines have nothing to clear");
  }
}
