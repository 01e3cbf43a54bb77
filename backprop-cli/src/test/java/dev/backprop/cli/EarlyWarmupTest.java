package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.io.ModelFile;
import dev.backprop.nn.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm-ups of train (the early one before the parser, then the run's own) change no bit of the model. */
class EarlyWarmupTest {
  @TempDir Path dir;

  @Test
  void theModelIsTheSameWithAndWithoutTheWarmups() throws Exception {
    for (String threads : List.of("1", "2")) {
      Network warmed = train("true", threads);
      Network plain = train("false", threads);
      for (int i = 0; i < plain.parameters().size(); i++) {
        assertEquals(plain.parameters().get(i).value(), warmed.parameters().get(i).value(),
            "parameter " + i + " with --threads " + threads);
      }
    }
  }

  @Test
  void threadsAreReadAsTheCommandReadsThem() {
    int most = 4 * Runtime.getRuntime().availableProcessors();
    assertNull(EarlyWarmup.threads(new String[] {"train", "--epochs", "2"}));
    assertEquals(1, EarlyWarmup.threads(new String[] {"train", "--threads", "1"}));
    assertEquals(2, EarlyWarmup.threads(new String[] {"train", "--threads=2", "--quiet"}));
    assertEquals(most, EarlyWarmup.threads(new String[] {"train", "--threads", Integer.toString(most)}));
    // values the command refuses: the early warm-up leaves them to it
    assertEquals(0, EarlyWarmup.threads(new String[] {"train", "--threads", Integer.toString(most + 1)}));
    assertEquals(0, EarlyWarmup.threads(new String[] {"train", "--threads", "0"}));
    assertEquals(0, EarlyWarmup.threads(new String[] {"train", "--threads=two"}));
  }

  @Test
  void itStartsOnlyForATrainingThatTrains() {
    String before = System.getProperty(TrainCommand.WARMUP_PROPERTY);
    System.setProperty(TrainCommand.WARMUP_PROPERTY, "true");
    try {
      for (String[] args : List.of(new String[] {"train", "--epochs", "0"}, new String[] {"train", "--epochs=0"},
          new String[] {"train", "--help"}, new String[] {"eval", "--data", "digits"})) {
        EarlyWarmup.startFor(args);
        assertFalse(EarlyWarmup.started(), String.join(" ", args));
      }
      EarlyWarmup.startFor(new String[] {"train", "--epochs", "10"});
      assertTrue(EarlyWarmup.started(), "train --epochs 10");
    } finally {
      EarlyWarmup.stop();
      if (before == null) {
        System.clearProperty(TrainCommand.WARMUP_PROPERTY);
      } else {
        System.setProperty(TrainCommand.WARMUP_PROPERTY, before);
      }
    }
    assertFalse(EarlyWarmup.started(), "after stop()");
  }

  /** A child JVM, so that Main.main (which starts the early warm-up) runs as from the launcher. */
  private Network train(String warmup, String threads) throws Exception {
    Path model = dir.resolve("m-" + warmup + "-" + threads + ".safetensors");
    Path log = dir.resolve("log-" + warmup + "-" + threads + ".txt");
    Process p = new ProcessBuilder(ChildCli.command(List.of("-Dbackprop.warmup=" + warmup), "train", "--epochs", "2",
        "--threads", threads, "--quiet", "--out", model.toString())).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ended");
    assertEquals(0, p.exitValue(), () -> readQuietly(log));
    return ModelFile.load(model).network();
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
