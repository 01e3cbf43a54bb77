package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.io.CheckpointFile;
import dev.backprop.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training process killed with SIGKILL at some moment, resumed by a new process from its checkpoint
 * folder, ends with the same weights, bit for bit, as a run that was never interrupted.
 */
class ResumeAfterKillTest {
  private static final List<String> FLAGS = List.of("train", "--data", "digits", "--epochs", "40", "--batch-size",
      "16", "--dropout", "0.2", "--schedule", "cosine", "--warmup-epochs", "2", "--clip-norm", "5",
      "--validation-split", "0.1", "--quiet");

  @Test
  void killedRunsResumeToTheUninterruptedWeights(@TempDir Path dir) throws Exception {
    Path reference = dir.resolve("reference.safetensors");
    Cli whole = Cli.run(args("--out", reference.toString()));
    assertEquals(0, whole.code, whole.toString());

    // kill once as soon as the first checkpoint exists, and once a few epochs later, mid-epoch: the moment is the
    // checkpoint's epoch, not a delay, which on a fast machine outlasted the whole run
    int[] killAfterEpoch = {1, 5};
    for (int k = 0; k < killAfterEpoch.length; k++) {
      Path ck = dir.resolve("ck" + k);
      Path out = dir.resolve("resumed" + k + ".safetensors");
      Process p = start(args("--checkpoint-dir", ck.toString(), "--out", dir.resolve("never.safetensors").toString()),
          dir.resolve("log" + k));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (checkpointEpoch(ck) < killAfterEpoch[k] && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertTrue(p.isAlive(), "the run ended before it could be killed; log: " + Files.readString(dir.resolve("log" + k)));
      p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(137, p.exitValue(), "killed by SIGKILL");
      int epochAtKill = CheckpointFile.load(ck).epoch();
      assertTrue(epochAtKill >= 1 && epochAtKill < 40, "checkpoint epoch " + epochAtKill);

      Cli resumed = Cli.run(args("--resume", ck.toString(), "--out", out.toString()));
      assertEquals(0, resumed.code, resumed.toString());
      assertEquals(SafeTensors.read(reference).tensors(), SafeTensors.read(out).tensors(),
          "resumed after epoch " + epochAtKill);
    }
  }

  /** The epoch of the checkpoint in {@code folder}, 0 while there is none. */
  private static int checkpointEpoch(Path folder) {
    return Files.exists(CheckpointFile.in(folder)) ? CheckpointFile.load(folder).epoch() : 0;
  }

  private static String[] args(String... more) {
    List<String> all = new ArrayList<>(FLAGS);
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }

  private static Process start(String[] cliArgs, Path log) throws IOException {
    return new ProcessBuilder(ChildCli.command(cliArgs)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
