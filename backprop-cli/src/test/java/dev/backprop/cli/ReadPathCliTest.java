package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Compute;
import dev.backprop.SeededRandom;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV file through train as the reading benchmark runs it (no epoch, only the evaluation of the initial network):
 * the evaluation's figures do not depend on the threads it ran on, the process's compute threads are left as they
 * were, and the timings name the table's phases when asked, and are silent otherwise.
 */
class ReadPathCliTest {
  @TempDir Path dir;

  /** 20,000 rows of eight numbers, a few gaps, and a class label. */
  private Path table() throws IOException {
    long seed = 31;
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    StringBuilder csv = new StringBuilder("a,b,c,d,e,f,g,h,label\n");
    for (int i = 0; i < 20_000; i++) {
      for (int j = 0; j < 8; j++) {
        csv.append(i % 101 == j ? "" : String.format(Locale.ROOT, "%.5f", random.nextDouble(-20, 20))).append(',');
      }
      csv.append("class").append(random.nextInt(5)).append('\n');
    }
    Path p = dir.resolve("t.csv");
    Files.writeString(p, csv.toString());
    return p;
  }

  @Test
  void theUntrainedEvaluationIsTheSameOnAnyThreadsAndLeavesTheThreadCount() throws IOException {
    Path csv = table();
    int before = Compute.threads();
    try {
      Compute.useThreads(2);
      // the scalar kernels compute on the calling thread alone: there the count stays 1
      int set = Compute.threads();
      List<String> results = new ArrayList<>();
      for (String threads : new String[] {null, "1", "2"}) {
        List<String> args = new ArrayList<>(List.of("train", "--data", csv.toString(), "--label", "label", "--epochs",
            "0", "--quiet", "--out", dir.resolve("m.safetensors").toString()));
        if (threads != null) {
          args.addAll(List.of("--threads", threads));
        }
        Cli run = Cli.run(args.toArray(new String[0]));
        assertEquals(0, run.code, run.toString());
        assertTrue(run.out.startsWith("test accuracy "), run.out);
        results.add(run.out.substring(0, run.out.indexOf(" after ")));
        assertFalse(run.err.contains("timings"), "no timings unless asked: " + run.err);
        if (threads == null) {
          assertEquals(set, Compute.threads(), "the evaluation gave the compute threads back");
        }
      }
      assertEquals(results.get(0), results.get(1));
      assertEquals(results.get(0), results.get(2));
    } finally {
      Compute.useThreads(before);
    }
  }

  @Test
  void theTimingsNameTheTablesPhases() throws Exception {
    Path csv = table();
    Process p = new ProcessBuilder(ChildCli.command(List.of("-D" + Timings.PROPERTY + "=true"), "train", "--data",
        csv.toString(), "--label", "label", "--epochs", "1", "--quiet", "--out", dir.resolve("m.safetensors")
        .toString())).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child ended");
    assertEquals(0, p.exitValue(), err);
    List<String> names = err.lines().filter(l -> l.matches("timings: +[0-9.]+ +\\+[0-9.]+ +.*"))
        .map(l -> l.replaceAll("timings: +[0-9.]+ +\\+[0-9.]+ +", "")).toList();
    int at = names.indexOf("command line read");
    assertTrue(at >= 0, err);
    assertEquals(List.of("file read", "schema fitted (labels and split first)", "rows encoded", "features scaled"),
        names.subList(at + 1, at + 5), err);
    assertTrue(names.get(at + 5).startsWith("data read"), err);
  }
}
