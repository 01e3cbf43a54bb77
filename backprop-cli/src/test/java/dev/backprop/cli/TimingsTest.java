package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -Dbackprop.timings=true}: the phases of a train process on stderr, in order; nothing without it. */
class TimingsTest {
  private static final Pattern PHASE = Pattern.compile("timings: +([0-9.]+) +\\+([0-9.]+) +(.*)");

  @TempDir Path dir;

  @Test
  void theLaunchersStartIsReadToTheMicrosecond() {
    assertEquals(java.time.Instant.ofEpochSecond(1796685463L, 557140000L), Timings.launched("1796685463.557140"));
    assertEquals(java.time.Instant.ofEpochSecond(1796685463L, 557140000L), Timings.launched("1796685463,557140"));
    assertEquals(java.time.Instant.ofEpochSecond(1796685463L), Timings.launched("1796685463"));
    for (String bad : new String[] {null, "", "soon", "1.2.3", "-5", "12.x", "1.1234567890"}) {
      assertEquals(null, Timings.launched(bad), String.valueOf(bad));
    }
  }

  @Test
  void aGivenStartIsWhereTheSecondsCountFrom() throws Exception {
    // a start given as 30 s ago: the first mark is then 30 s or more after it, which the kernel's start would not give
    double ago = 30;
    long now = System.currentTimeMillis();
    String launched = (now / 1000 - (long) ago) + "." + String.format("%03d000", now % 1000);
    Path err = dir.resolve("given.txt");
    Process p = new ProcessBuilder(ChildCli.command(List.of("-Dbackprop.timings=true",
        "-Dbackprop.launched=" + launched), "train", "--epochs", "1", "--out", dir.resolve("g.safetensors").toString()))
        .redirectOutput(dir.resolve("given-out.txt").toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ended");
    assertEquals(0, p.exitValue(), () -> read(err));
    Double first = null;
    for (String line : read(err).split("\n")) {
      Matcher m = PHASE.matcher(line);
      if (m.matches()) {
        first = Double.parseDouble(m.group(1));
        break;
      }
    }
    assertTrue(first != null && first >= ago && first < ago + 60, "the first mark: " + first + "\n" + read(err));
  }

  @Test
  void aTrainProcessListsItsPhasesInOrderOnStderr() throws Exception {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p = new ProcessBuilder(ChildCli.command(List.of("-Dbackprop.timings=true"), "train", "--epochs", "2",
        "--out", dir.resolve("m.safetensors").toString())).redirectOutput(out.toFile()).redirectError(err.toFile())
        .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ended");
    assertEquals(0, p.exitValue(), () -> read(err));
    String stdout = read(out);
    assertTrue(stdout.contains("model saved to"), stdout);
    assertFalse(stdout.contains("timings"), "the timings stay off stdout: " + stdout);

    List<String> names = new ArrayList<>();
    double last = 0;
    for (String line : read(err).split("\n")) {
      Matcher m = PHASE.matcher(line);
      if (m.matches()) {
        double at = Double.parseDouble(m.group(1));
        assertTrue(at >= last, "seconds since the start only grow: " + line);
        assertTrue(Double.parseDouble(m.group(2)) <= at + 1e-9, "a phase is no longer than the process: " + line);
        last = at;
        names.add(m.group(3).replaceAll(",.*| \\(.*", ""));
      }
    }
    assertEquals(List.of("main", "command line read", "file read", "schema fitted", "rows encoded", "features scaled",
        "data read", "training starts", "epoch 1", "epoch 2", "evaluated", "saved", "reported"), names,
        () -> read(err));
    Matcher tenths = Pattern.compile("the first epoch's batches in tenths, seconds: ((?:[0-9.]+ ){10})\\((\\d+) "
        + "batches").matcher(read(err));
    assertTrue(tenths.find(), () -> read(err));
    assertEquals(23, Integer.parseInt(tenths.group(2)), "digits' 1,437 training rows in batches of 64");
    assertTrue(read(err).contains("the last epoch's batches in tenths"), () -> read(err));
  }

  @Test
  void withoutThePropertyThereAreNoTimings() {
    Cli r = Cli.run("train", "--epochs", "1", "--out", dir.resolve("m.safetensors").toString());
    assertEquals(0, r.code, r::toString);
    assertFalse(r.err.contains("timings"), r::toString);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
