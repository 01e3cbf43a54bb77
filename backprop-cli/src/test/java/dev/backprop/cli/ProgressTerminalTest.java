package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backprop train} run as its own process: under a pseudo-terminal (made by {@code script} of
 * util-linux, in Debian's essential package bsdutils) it redraws a progress line in place, at most ten
 * times a second; through a pipe it prints the plain epoch lines only.
 */
class ProgressTerminalTest {
  private static final String SCRIPT = "/usr/bin/script";
  private static final String CLEAR_LINE = "\r\033[K";

  @TempDir Path dir;

  /** Output and wall time of one run. */
  private record Run(int code, String output, double seconds) {}

  /**
   * Two epochs of one-row batches on digits: about 2,900 batches, through two hidden layers of 256, long enough to be
   * redrawn (1-2 s, 11-20 redraws, where the default network's two epochs took 0.2 s and drew one).
   */
  private List<String> train() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      command.add("--add-modules");
      command.add("jdk.incubator.vector");
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.backprop.cli.Main", "train",
        "--data", "digits", "--layers", "256,256", "--epochs", "2", "--batch-size", "1", "--out",
        dir.resolve("m.safetensors").toString()));
    return command;
  }

  private static Run run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectInput(new File("/dev/null"));
    builder.environment().remove(Progress.ENV);
    builder.environment().remove("COLUMNS");
    long start = System.nanoTime();
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("train did not finish in 120 s:\n" + output);
    }
    return new Run(p.exitValue(), output, (System.nanoTime() - start) / 1e9);
  }

  private static String quoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void terminalGetsARedrawnLineThenThePlainSummaries() throws Exception {
    boolean script = Files.isExecutable(Path.of(SCRIPT));
    if (System.getenv("CI") == null) {
      assumeTrue(script, "no " + SCRIPT + " (Debian package bsdutils) to make a pseudo-terminal");
    }
    assertTrue(script, "CI must have " + SCRIPT + " (Debian package bsdutils)");
    String shell = train().stream().map(ProgressTerminalTest::quoted).collect(Collectors.joining(" "));
    Run r = run(List.of(SCRIPT, "-qec", shell, "/dev/null"));
    assertEquals(0, r.code(), r::output);
    int redraws = count(r.output(), CLEAR_LINE + "epoch 1/2  batch ") + count(r.output(), CLEAR_LINE + "epoch 2/2  batch ");
    assertTrue(redraws >= 2, "redraws " + redraws + ":\n" + r.output());
    assertTrue(redraws <= 10 * r.seconds() + 2, redraws + " redraws in " + r.seconds() + " s");
    // a summary replaces the bar drawn during its epoch; an epoch shorter than the redraw interval (100 ms)
    // draws none, and its summary then simply starts a new line
    for (String summary : List.of("epoch 1/2  loss ", "epoch 2/2  loss ")) {
      int at = r.output().indexOf(summary);
      assertTrue(at > 0, "no summary '" + summary + "':\n" + r.output());
      String before = r.output().substring(0, at);
      assertTrue(before.endsWith(CLEAR_LINE) || before.endsWith("\n"), "'" + summary + "' does not start a line:\n"
          + r.output());
    }
    assertTrue(r.output().contains(CLEAR_LINE + "epoch 1/2  loss "), "the first epoch (with the JIT warming up, "
        + "well over 100 ms) draws a bar that its summary clears:\n" + r.output());
    assertTrue(r.output().contains("test accuracy "), r::output);
  }

  @Test
  void pipeGetsPlainLinesOnly() throws Exception {
    Run r = run(train());
    assertEquals(0, r.code(), r::output);
    assertFalse(r.output().contains("\r"), r::output);
    assertFalse(r.output().contains("\033"), r::output);
    List<String> epochs = r.output().lines().filter(l -> l.startsWith("epoch ")).collect(Collectors.toList());
    assertEquals(2, epochs.size(), r::output);
    assertTrue(epochs.get(0).matches("epoch 1/2  loss [0-9.]+  acc [0-9.]+  test_loss [0-9.]+  test_acc [0-9.]+  "
        + "[0-9.]+s"), epochs::toString);
    assertTrue(epochs.get(1).startsWith("epoch 2/2  loss "), epochs::toString);
  }
}
