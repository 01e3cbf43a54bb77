package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.DataSources;
import dev.backprop.io.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run the launcher records its class-data cache from: its commands succeed, and its images are valid IDX. */
class CacheTrainingTest {
  @TempDir Path dir;

  @Test
  void itsImagesAreGzippedIdxFilesOfFashionMnistsShape() throws Exception {
    CacheTraining.writeImages(dir.resolve("train"), 100, 1);
    CacheTraining.writeImages(dir.resolve("t10k"), 30, 2);
    DataSources.Source source = DataSources.open(dir.toString());
    assertEquals(100, source.train().size());
    assertEquals(30, source.test().size());
    assertEquals(28 * 28, source.train().featureCount());
    assertEquals(10, source.train().classes().size());
    assertTrue(Files.readAllBytes(dir.resolve("train-images-idx3-ubyte.gz"))[0] == 0x1f, "gzip-compressed");
  }

  @Test
  void itRunsEveryCommandToTheEndInItsFolder() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    List<String> command = new ArrayList<>(ChildCli.command());
    // the child's main class: CacheTraining in place of Main, with the same class path
    command.set(command.size() - 1, CacheTraining.class.getName());
    command.add(work.toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile())
        .start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the run ended");
    assertEquals(0, p.exitValue(), () -> read(dir.resolve("log")));
    for (String model : List.of("digits", "w1", "w2")) {
      assertTrue(ModelFile.load(work.resolve(model + ".safetensors")).network().parameterCount() > 0, model);
    }
  }

  @Test
  void aRunThatCannotWriteItsDataFails() throws Exception {
    // a file where its folder must be: the launcher then keeps no cache, since the exit code is not 0
    Path blocked = dir.resolve("blocked");
    Files.writeString(blocked, "not a folder");
    List<String> command = new ArrayList<>(ChildCli.command());
    command.set(command.size() - 1, CacheTraining.class.getName());
    command.add(blocked.toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile())
        .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run ended");
    assertTrue(p.exitValue() != 0, () -> read(dir.resolve("log")));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
