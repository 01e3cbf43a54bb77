package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.io.CheckpointFile;
import dev.backprop.io.ModelFile;
import dev.backprop.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during {@code train}, as a real SIGINT to a real process: the first keeps the work (model, checkpoint,
 * the command that resumes to the uninterrupted weights), a second stops at once without a half-written file.
 */
class InterruptTest {
  /** Batches of one row make many short steps, so a signal lands mid-run and usually mid-epoch. */
  private static final List<String> FLAGS = List.of("train", "--data", "iris", "--epochs", "400", "--batch-size",
      "1", "--dropout", "0.2", "--lr", "0.01");

  @Test
  void ctrlCSavesTheModelAndACheckpointThatResumesToTheUninterruptedWeights(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("m.safetensors");
    Process p = startAndWaitFor("test_acc", args("--out", out.toString()), dir);
    signal(p, "INT");
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run did not end after SIGINT");
    String err = Files.readString(dir.resolve("err.txt"));
    assertEquals(Main.INTERRUPTED, p.exitValue(), err);

    Map<String, Object> provenance = ModelFile.load(out).info().provenance();
    assertEquals(true, provenance.get("interrupted"), provenance::toString);
    int epochs = ((Number) provenance.get("interrupted_after_epoch")).intValue();
    assertTrue(epochs >= 0 && epochs < 400, "interrupted after epoch " + epochs);
    Path checkpoint = dir.resolve("m.checkpoint");
    assertEquals(epochs, CheckpointFile.load(checkpoint).epoch());

    String line = err.lines().filter(l -> l.startsWith("backprop: interrupted")).findFirst().orElseThrow();
    String marker = "resume with: backprop ";
    assertTrue(line.contains(out.toString()) && line.contains(checkpoint.toString()) && line.contains(marker), line);
    String[] resume = line.substring(line.indexOf(marker) + marker.length()).split(" ");
    assertEquals(List.of("--resume", checkpoint.toString()),
        Arrays.asList(resume).subList(resume.length - 2, resume.length));

    Cli resumed = Cli.run(resume);
    assertEquals(0, resumed.code, resumed.toString());
    Path reference = dir.resolve("reference.safetensors");
    Cli whole = Cli.run(args("--out", reference.toString(), "--quiet"));
    assertEquals(0, whole.code, whole.toString());
    assertEquals(SafeTensors.read(reference).tensors(), SafeTensors.read(out).tensors(),
        "resumed after epoch " + epochs + " and " + provenance.get("interrupted_after_batch") + " batches");
  }

  @Test
  void aSecondCtrlCStopsAtOnceWithoutAPartialFile(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("m.safetensors");
    Path checkpoint = dir.resolve("m.checkpoint");
    // wide layers make the checkpoint (weights and Adam's two moments, ~12 MB) slow to write, and the second signal
    // follows the first at once, as a user pressing Ctrl-C twice: it lands while the first one's batch ends or its
    // files are being saved. (Waiting for the checkpoint folder first let a fast machine finish the save and exit
    // before the second signal.)
    Process p = startAndWaitFor("adam, lr", new String[] {"train", "--data", "iris", "--layers", "1024,1024",
        "--batch-size", "1", "--epochs", "50", "--out", out.toString()}, dir);
    signal(p, "INT");
    signal(p, "INT");
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run did not end after two SIGINTs");
    String err = Files.readString(dir.resolve("err.txt"));
    assertEquals(Main.INTERRUPTED, p.exitValue(), err);
    assertTrue(err.contains("backprop: interrupted again"), err);
    for (Path folder : List.of(dir, checkpoint)) {
      try (Stream<Path> files = Files.exists(folder) ? Files.list(folder) : Stream.empty()) {
        files.map(f -> f.getFileName().toString())
            .forEach(name -> assertFalse(name.contains(".tmp-"), "temporary file left: " + folder + "/" + name));
      }
    }
    if (Files.exists(out)) {
      ModelFile.load(out); // whole, or it would not load
    }
    if (Files.exists(CheckpointFile.in(checkpoint))) {
      CheckpointFile.load(checkpoint);
    }
  }

  private static String[] args(String... more) {
    List<String> all = new ArrayList<>(FLAGS);
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }

  /**
   * Starts the command line in a child JVM and returns once its stdout holds
   * {@code text}: the header line just before training ("adam, lr") or the first epoch's line ("test_acc").
   */
  private static Process startAndWaitFor(String text, String[] cliArgs, Path dir)
      throws IOException, InterruptedException {
    Path stdout = dir.resolve("out.txt");
    Process p = new ProcessBuilder(ChildCli.command(cliArgs)).redirectOutput(stdout.toFile())
        .redirectError(dir.resolve("err.txt").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (p.isAlive() && System.nanoTime() < deadline
        && !(Files.exists(stdout) && Files.readString(stdout).contains(text))) {
      Thread.sleep(5);
    }
    assertTrue(p.isAlive(), "the run ended before it could be interrupted: " + Files.readString(stdout));
    return p;
  }

  private static void signal(Process p, String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -" + name);
  }
}
