package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import dev.backprop.io.ModelFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train and predict with --spark local[2]: the bits of --shards K, and the predictions of predict. */
class SparkCliTest {
  /** Spark 4.0 runs on Java 17 and 21 only (from 23, Hadoop's login throws); the CLI says so, tested below. */
  @org.junit.jupiter.api.BeforeEach
  void sparkRunsHere() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() <= 21, "Spark 4.0 needs Java 17 or 21");
  }
  @Test
  void trainOnSparkEqualsShardedTraining(@TempDir Path dir) throws Exception {
    List<byte[]> weights = new ArrayList<>();
    for (boolean spark : new boolean[] {false, true}) {
      Path model = dir.resolve("m" + spark + ".safetensors");
      List<String> args = new ArrayList<>(List.of("train", "--data", "iris", "--epochs", "2", "--batch-size", "15",
          "--optimizer", "sgd", "--dropout", "0.2", "--shards", "2", "--quiet", "--out", model.toString()));
      if (spark) {
        args.addAll(List.of("--spark", "local[2]"));
      }
      Cli r = Cli.run(args.toArray(new String[0]));
      assertEquals(0, r.code, r.toString());
      weights.add(weightsOf(model));
    }
    assertArrayEquals(weights.get(0), weights.get(1));
  }

  @Test
  void predictOnSparkEqualsPredict(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("m.safetensors");
    assertEquals(0, Cli.run("train", "--data", "iris", "--epochs", "5", "--quiet", "--out", model.toString()).code);
    List<String> names = ModelFile.load(model).info().featureNames();
    StringBuilder csv = new StringBuilder(String.join(",", names)).append('\n');
    SeededRandom random = new SeededRandom(11);
    System.out.println("seed 11");
    for (int i = 0; i < 200; i++) {
      for (int j = 0; j < names.size(); j++) {
        csv.append(j == 0 ? "" : ",").append(Math.round(random.nextDouble(0.1, 8) * 10) / 10.0);
      }
      csv.append('\n');
    }
    Path data = dir.resolve("rows.csv");
    Files.writeString(data, csv);
    Cli local = Cli.run("predict", "--model", model.toString(), "--data", data.toString());
    assertEquals(0, local.code, local.toString());
    Path out = dir.resolve("scored");
    Cli spark = Cli.run("predict", "--model", model.toString(), "--data", data.toString(), "--spark", "local[2]",
        "--out", out.toString());
    assertEquals(0, spark.code, spark.toString());
    List<String> predicted = new ArrayList<>();
    try (Stream<Path> parts = Files.list(out)) {
      for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        List<String> lines = Files.readAllLines(part);
        int column = Arrays.asList(lines.get(0).split(",")).indexOf("prediction");
        lines.stream().skip(1).forEach(l -> predicted.add(l.split(",")[column]));
      }
    }
    List<String> expected = local.out.lines().skip(1).toList();
    assertEquals(expected, predicted);
    assertTrue(expected.stream().distinct().count() > 1, "more than one class predicted");
  }

  @Test
  void aMissingInputIsAnInputErrorAndNoDirectoryIsWritten(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("m.safetensors");
    assertEquals(0, Cli.run("train", "--data", "iris", "--epochs", "1", "--quiet", "--out", model.toString()).code);
    Path out = dir.resolve("scored");
    Cli r = Cli.run("predict", "--model", model.toString(), "--data", dir.resolve("none.csv").toString(), "--spark",
        "local[2]", "--out", out.toString());
    assertEquals(3, r.code, r.toString());
    assertEquals(1, r.err.strip().lines().count(), r.err);
    assertFalse(Files.exists(out));
    Cli noOut = Cli.run("predict", "--model", model.toString(), "--data", "x.csv", "--spark", "local[2]");
    assertEquals(2, noOut.code, noOut.toString());
  }

  private static byte[] weightsOf(Path model) throws Exception {
    byte[] all = Files.readAllBytes(model);
    long header = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return Arrays.copyOfRange(all, 8 + (int) header, all.length);
  }
}
