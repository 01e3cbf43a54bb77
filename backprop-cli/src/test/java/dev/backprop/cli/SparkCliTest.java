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
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
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

  /**
   * The same rows as CSV and as Parquet (doubles, floats, ints, a text column, a missing value, a text label):
   * training on the Parquet file with --spark gives the bits of training on the CSV file with --shards 2.
   */
  @Test
  void parquetTrainsAsTheSameRowsInCsv(@TempDir Path dir) throws Exception {
    StructType schema = new StructType().add("width", DataTypes.DoubleType).add("height", DataTypes.FloatType)
        .add("count", DataTypes.IntegerType).add("colour", DataTypes.StringType).add("kind", DataTypes.StringType);
    String[] colours = {"red", "green", "blue, or so"};
    String[] kinds = {"a", "b", "c"};
    SeededRandom random = new SeededRandom(31);
    System.out.println("seed 31");
    // rows 0-149 train, rows 150-189 are --test-data; each part as CSV and as Parquet
    List<List<Row>> rows = List.of(new ArrayList<>(), new ArrayList<>());
    StringBuilder[] csv = {new StringBuilder("width,height,count,colour,kind\n"),
        new StringBuilder("width,height,count,colour,kind\n")};
    for (int i = 0; i < 190; i++) {
      int part = i < 150 ? 0 : 1;
      int k = random.nextInt(3);
      double width = random.nextGaussian() + k;
      float height = (float) (random.nextGaussian() * 3 - k);
      Integer count = i == 17 ? null : random.nextInt(40) + 10 * k;
      String colour = colours[(k + random.nextInt(2)) % 3];
      rows.get(part).add(RowFactory.create(width, height, count, colour, kinds[k]));
      csv[part].append(width).append(',').append(height).append(',').append(count == null ? "" : count.toString())
          .append(",\"").append(colour).append("\",").append(kinds[k]).append('\n');
    }
    Path csvFile = dir.resolve("rows.csv");
    Files.writeString(csvFile, csv[0]);
    Path parquet = dir.resolve("rows.parquet");
    writeParquet(rows.get(0), schema, parquet);
    Path testCsv = dir.resolve("test.csv");
    Files.writeString(testCsv, csv[1]);
    Path testParquet = dir.resolve("test.parquet");
    writeParquet(rows.get(1), schema, testParquet);

    List<String> flags = List.of("train", "--epochs", "3", "--batch-size", "16", "--optimizer", "adam", "--dropout",
        "0.1", "--shards", "2", "--quiet");
    Path fromCsv = dir.resolve("csv.safetensors");
    Cli local = Cli.run(concat(flags, "--data", csvFile.toString(), "--test-data", testCsv.toString(), "--out",
        fromCsv.toString()));
    assertEquals(0, local.code, local.toString());
    Path fromParquet = dir.resolve("parquet.safetensors");
    Cli spark = Cli.run(concat(flags, "--data", parquet.toString(), "--test-data", testParquet.toString(), "--spark",
        "local[2]", "--out", fromParquet.toString()));
    assertEquals(0, spark.code, spark.toString());
    assertArrayEquals(weightsOf(fromCsv), weightsOf(fromParquet));
    // the held-out rows, read from Parquet, score as they do from CSV
    Object csvMetrics = ModelFile.load(fromCsv).info().provenance().get("metrics");
    Object parquetMetrics = ModelFile.load(fromParquet).info().provenance().get("metrics");
    Object testLoss = ((java.util.Map<?, ?>) csvMetrics).get("test_loss");
    assertTrue(testLoss instanceof Number, String.valueOf(csvMetrics));
    assertEquals(testLoss, ((java.util.Map<?, ?>) parquetMetrics).get("test_loss"));
    assertEquals(40, ((Number) ModelFile.load(fromParquet).info().provenance().get("test_rows")).intValue());
    assertEquals("parquet", ModelFile.load(fromParquet).info().provenance().get("data_format"));
    assertEquals(ModelFile.load(fromCsv).info().featureNames(), ModelFile.load(fromParquet).info().featureNames());
  }

  @Test
  void badParquetInputIsOneLineNamingFileAndColumnWithNothingWritten(@TempDir Path dir) throws Exception {
    StructType schema = new StructType().add("x", DataTypes.DoubleType)
        .add("v", DataTypes.createArrayType(DataTypes.DoubleType)).add("label", DataTypes.StringType);
    List<Row> rows = List.of(RowFactory.create(1.0, new double[] {1, 2}, "p"),
        RowFactory.create(2.0, new double[] {3, 4}, "q"));
    Path arrays = dir.resolve("arrays.parquet");
    writeParquet(rows, schema, arrays);
    Path plain = dir.resolve("plain.parquet");
    writeParquet(rows.stream().map(r -> RowFactory.create(r.get(0), r.get(2))).toList(),
        new StructType().add("x", DataTypes.DoubleType).add("label", DataTypes.StringType), plain);
    Path garbage = dir.resolve("garbage.parquet");
    Files.writeString(garbage, "this is not parquet\n");
    Path out = dir.resolve("never.safetensors");
    String[][] cases = {
        {arrays.toString(), "column 2 (v)", "array<double>"},
        {plain.toString(), "nope", "--label", "nope"},
        {garbage.toString(), "Parquet"},
        {dir.resolve("missing.parquet").toString(), "file not found"}};
    for (String[] c : cases) {
      List<String> args = new ArrayList<>(List.of("train", "--data", c[0], "--epochs", "1", "--quiet", "--spark",
          "local[2]", "--out", out.toString()));
      if (c.length > 3) {
        args.addAll(List.of(c[2], c[3]));
      }
      Cli r = Cli.run(args.toArray(new String[0]));
      assertEquals(3, r.code, r.toString());
      assertEquals(1, r.err.strip().lines().count(), r.err);
      assertTrue(r.err.contains(c[0]) && r.err.contains(c[1]), r.err);
      assertFalse(r.err.contains("\tat "), r.err);
      assertFalse(Files.exists(out), "nothing written for " + c[0]);
    }
    Cli noSpark = Cli.run("train", "--data", plain.toString(), "--quiet", "--out", out.toString());
    assertEquals(2, noSpark.code, noSpark.toString());
    assertTrue(noSpark.err.contains("--spark"), noSpark.err);
  }

  /**
   * A --spark run killed (SIGKILL) once its checkpoint exists, resumed with --spark by a new run: the bits of the
   * same run uninterrupted, with --spark and with --shards 2 alone.
   */
  @Test
  void aKilledSparkRunResumesToTheUninterruptedBits(@TempDir Path dir) throws Exception {
    List<String> flags = List.of("train", "--data", "iris", "--epochs", "60", "--batch-size", "15", "--optimizer",
        "adam", "--dropout", "0.2", "--shards", "2", "--quiet");
    Path local = dir.resolve("local.safetensors");
    assertEquals(0, Cli.run(concat(flags, "--out", local.toString())).code);
    Path whole = dir.resolve("whole.safetensors");
    Cli uninterrupted = Cli.run(concat(flags, "--spark", "local[2]", "--out", whole.toString()));
    assertEquals(0, uninterrupted.code, uninterrupted.toString());
    assertArrayEquals(weightsOf(local), weightsOf(whole));

    Path ck = dir.resolve("ck");
    List<String> command = new ArrayList<>(ChildCli.command(concat(flags, "--spark", "local[2]", "--checkpoint-dir",
        ck.toString(), "--out", dir.resolve("never.safetensors").toString())));
    // the options Spark needs on Java 17, as this test JVM has them
    command.addAll(1, java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty"))
        .toList());
    Path log = dir.resolve("child.log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
    while (checkpointEpoch(ck) < 2 && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(p.isAlive(), "the run ended before it could be killed; log: " + Files.readString(log));
    p.destroyForcibly();
    assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
    int epoch = dev.backprop.io.CheckpointFile.load(ck).epoch();
    assertTrue(epoch >= 2 && epoch < 60, "checkpoint epoch " + epoch);
    Path resumed = dir.resolve("resumed.safetensors");
    Cli rest = Cli.run(concat(flags, "--spark", "local[2]", "--resume", ck.toString(), "--out",
        resumed.toString()));
    assertEquals(0, rest.code, rest.toString());
    assertArrayEquals(weightsOf(whole), weightsOf(resumed), "resumed after epoch " + epoch);
  }

  private static int checkpointEpoch(Path folder) {
    return Files.exists(dev.backprop.io.CheckpointFile.in(folder))
        ? dev.backprop.io.CheckpointFile.load(folder).epoch() : 0;
  }

  /** Writes {@code rows} as one Parquet file (a folder with one part) with a session of its own, then stops it. */
  private static void writeParquet(List<Row> rows, StructType schema, Path folder) {
    SparkSession session = SparkSession.builder().master("local[1]").appName("backprop-parquet-writer")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    try {
      session.createDataFrame(rows, schema).coalesce(1).write().parquet(folder.toString());
    } finally {
      session.stop();
    }
  }

  private static String[] concat(List<String> first, String... more) {
    List<String> all = new ArrayList<>(first);
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }

  private static byte[] weightsOf(Path model) throws Exception {
    byte[] all = Files.readAllBytes(model);
    long header = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return Arrays.copyOfRange(all, 8 + (int) header, all.length);
  }
}
