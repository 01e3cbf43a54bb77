package dev.backprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import dev.backprop.data.Dataset;
import dev.backprop.internal.perf.Workload;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Network;
import dev.backprop.nn.Parameter;
import dev.backprop.nn.activation.Activations;
import dev.backprop.tensor.Matrix;
import dev.backprop.tensor.MatrixOps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The warm-up changes no bit of what runs beside it or after it, stops when asked, and ends once compiled. */
class WarmupTest {
  private static final long SEED = 77;

  @Test
  void trainingAfterAWarmupGivesTheSameWeights() throws Exception {
    Dataset data = ThreadCountTest.randomImages(300, SEED);
    List<Matrix> plain = train(data);
    long batches;
    try (Warmup warmup = Warmup.start(small(), Workload.W2.loss(), config(), Duration.ofSeconds(30))) {
      waitForBatches(warmup, 3);
      batches = warmup.batches();
    }
    assertTrue(batches >= 3, "the warm-up trained");
    List<Matrix> warmed = train(data);
    for (int i = 0; i < plain.size(); i++) {
      assertEquals(plain.get(i), warmed.get(i), "parameter " + i + " differs after a warm-up");
    }
  }

  @Test
  void trainingBesideARunningWarmupGivesTheSameWeights() throws Exception {
    // the command line stops the warm-up without waiting for it, so its last batch may run beside the training
    Dataset data = ThreadCountTest.randomImages(300, SEED);
    List<Matrix> plain = train(data);
    // one that does not end by itself once compiled, so that it surely runs beside the whole training
    Warmup warmup = Warmup.start(small(), Workload.W2.loss(), config(), Duration.ofSeconds(60), false);
    waitForBatches(warmup, 2);
    List<Matrix> beside = train(data);
    assertTrue(warmupThreadAlive(), "the warm-up ran all along");
    warmup.close();
    for (int i = 0; i < plain.size(); i++) {
      assertEquals(plain.get(i), beside.get(i), "parameter " + i + " differs beside a warm-up");
    }
  }

  @Test
  void aWarmupOnByteRowsTrainsAndChangesNoBitOfImagesTrainedBesideIt() throws Exception {
    // IDX images are gathered from bytes; the warm-up then stores its rows as bytes too, and runs the same gather
    Dataset images = byteImages(300, SEED);
    List<Matrix> plain = train(images);
    Warmup warmup = Warmup.start(small(), Workload.W2.loss(), config(), Duration.ofSeconds(60), Warmup.Rows.BYTES,
        false);
    waitForBatches(warmup, 3);
    assertTrue(warmup.batches() >= 3, "the warm-up trained on its byte rows: " + warmup.batches());
    float[] x = warmup.data().features().floats();
    for (int i = 0; i < x.length; i++) {
      float v = x[i] * 255f;
      assertEquals(Math.round(v), v, 1e-3, "value " + i + " is a byte over 255");
    }
    List<Matrix> beside = train(images);
    assertTrue(warmupThreadAlive(), "the warm-up ran all along");
    warmup.close();
    for (int i = 0; i < plain.size(); i++) {
      assertEquals(plain.get(i), beside.get(i), "parameter " + i + " differs beside a warm-up on byte rows");
    }
  }

  @Test
  void productsBesideARunningWarmupAreUnchanged() throws Exception {
    // what the command line does while the warm-up runs: read and scale data, with products split between threads
    Matrix a = randomMatrix(300, 784, 1);
    Matrix b = randomMatrix(784, 256, 2);
    Matrix alone = MatrixOps.matmul(a, b, Matrix.zeros(300, 256));
    try (Warmup warmup = Warmup.start(small(), Workload.W2.loss(), config(), Duration.ofSeconds(30), false)) {
      waitForBatches(warmup, 1);
      for (int i = 0; i < 20; i++) {
        assertEquals(alone, MatrixOps.matmul(a, b, Matrix.zeros(300, 256)), "product " + i + " beside the warm-up");
      }
    }
  }

  @Test
  void closeStopsItAndTheDeadlineToo() throws Exception {
    Warmup warmup = Warmup.start(small(), Workload.W2.loss(), config(), Duration.ofMillis(200));
    waitForBatches(warmup, 1);
    Thread.sleep(1500);
    long after = warmup.batches();
    Thread.sleep(300);
    assertEquals(after, warmup.batches(), "the warm-up ended at its deadline");
    warmup.close();
    assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("backprop-warmup")),
        "no warm-up thread is left");
  }

  @Test
  void itEndsByItselfOnceItsBatchesRunCompiled() throws Exception {
    // the kernels compiled beforehand by plain training of the same network and batches, so that the warm-up's
    // batches run at compiled speed from the start
    Dataset data = ThreadCountTest.randomImages(128, SEED);
    Network net = Network.builder(784).seed(SEED).dense(64, Activations.relu()).dense(64, Activations.relu())
        .dense(10, Activations.softmax()).build();
    Loss loss = Workload.W2.loss();
    new Trainer(config().withEpochs(400)).fit(net, loss, data, null);
    Network small = Network.builder(784).seed(SEED).dense(64, Activations.relu()).dense(64, Activations.relu())
        .dense(10, Activations.softmax()).build();
    Warmup warmup = Warmup.start(small, loss, config(), Duration.ofSeconds(60));
    awaitWarmupThreadEnd(50, "the warm-up ended before its deadline");
    assertTrue(warmup.batches() >= Warmup.COMPILED_BATCHES, "batches: " + warmup.batches());
    warmup.close();
  }

  @Test
  void stopReturnsAtOnceAndTheThreadEndsByItself() throws Exception {
    // a deadline far beyond the wait below, and no end once compiled: only stop() can end it in time
    assertStopEndsIt(Warmup.start(small(), Workload.W2.loss(), config(), Duration.ofMinutes(10), false));
  }

  @Test
  void evaluationBesideAForwardOnlyWarmupIsUnchanged() throws Exception {
    Dataset data = ThreadCountTest.randomImages(3000, SEED);
    Network net = Network.builder(784).seed(SEED).dense(64, Activations.relu()).dense(10, Activations.softmax())
        .build();
    Evaluation alone = Evaluation.of(net, Workload.W2.loss(), data);
    Warmup warmup = Warmup.startInference(small(), Workload.W2.loss(), Duration.ofSeconds(60), false);
    waitForBatches(warmup, 2);
    Evaluation beside = Evaluation.of(net, Workload.W2.loss(), data);
    assertTrue(warmupThreadAlive(), "the warm-up ran all along");
    warmup.close();
    assertEquals(Double.doubleToLongBits(alone.loss()), Double.doubleToLongBits(beside.loss()), "the loss");
    assertEquals(Double.doubleToLongBits(alone.accuracy()), Double.doubleToLongBits(beside.accuracy()), "accuracy");
    assertTrue(Arrays.deepEquals(alone.classification().confusion(), beside.classification().confusion()),
        "the confusion matrix");
    assertFalse(warmupThreadAlive(), "close() ended it");
  }

  @Test
  void aForwardOnlyWarmupEndsByItselfOnceCompiledAndStopsWhenAsked() throws Exception {
    Network net = small();
    List<String> names = new ArrayList<>();
    for (int j = 0; j < 40; j++) {
      names.add("x" + j);
    }
    List<String> classes = new ArrayList<>();
    for (int c = 0; c < 10; c++) {
      classes.add("c" + c);
    }
    int[] labels = new int[256];
    Arrays.setAll(labels, i -> i % 10);
    Dataset narrow = Dataset.classification("narrow", names, randomMatrix(256, 40, 3), classes, labels);
    // the forward kernels compiled beforehand on the same shapes, so that its passes run compiled from the start
    for (int i = 0; i < 3000; i++) {
      Evaluation.of(net, Workload.W2.loss(), narrow);
    }
    Warmup warmup = Warmup.startInference(small(), Workload.W2.loss(), Duration.ofSeconds(60));
    awaitWarmupThreadEnd(50, "the warm-up ended before its deadline");
    assertTrue(warmup.batches() >= Warmup.COMPILED_BATCHES, "passes: " + warmup.batches());
    warmup.close();

    assertStopEndsIt(Warmup.startInference(small(), Workload.W2.loss(), Duration.ofMinutes(10), false));
  }

  /** stop() on a warm-up with a far deadline that does not end once compiled: its thread ends by itself. */
  private static void assertStopEndsIt(Warmup warmup) throws InterruptedException {
    waitForBatches(warmup, 1);
    warmup.stop();
    awaitWarmupThreadEnd(60, "the warm-up thread ended after stop()");
    long after = warmup.batches();
    Thread.sleep(300);
    assertEquals(after, warmup.batches(), "no batch after the thread ended");
    warmup.close();
  }

  /** Waits up to {@code seconds} for the warm-up thread to end, and fails with {@code message} if it has not. */
  private static void awaitWarmupThreadEnd(int seconds, String message) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (warmupThreadAlive() && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertFalse(warmupThreadAlive(), message);
  }

  private static boolean warmupThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("backprop-warmup"));
  }

  private static void waitForBatches(Warmup warmup, long n) throws InterruptedException {
    long end = System.nanoTime() + 60_000_000_000L;
    while (warmup.batches() < n && System.nanoTime() < end) {
      Thread.sleep(10);
    }
  }

  /** Random images kept as bytes, as the IDX reader keeps them, with labels of 10 classes. */
  private static Dataset byteImages(int rows, long seed) {
    SeededRandom random = new SeededRandom(seed);
    byte[] pixels = new byte[rows * 784];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) random.nextInt(256);
    }
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = random.nextInt(10);
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < 784; j++) {
      names.add("pixel" + j);
    }
    return Dataset.classificationFromBytes("images", names, rows, pixels, 255f,
        List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), labels);
  }

  private static TrainingConfig config() {
    return TrainingConfig.builder().epochs(2).batchSize(128).seed(SEED).optimizer(Workload.W2.optimizer()).build();
  }

  private static Network small() {
    return Network.builder(40).seed(SEED).dense(64, Activations.relu()).dense(64, Activations.relu())
        .dense(10, Activations.softmax()).build();
  }

  private static List<Matrix> train(Dataset data) {
    Network net = Workload.W2.network(SEED);
    new Trainer(config()).fit(net, Workload.W2.loss(), data, null);
    List<Matrix> values = new ArrayList<>();
    for (Parameter p : net.parameters()) {
      values.add(p.value().copy());
    }
    return values;
  }

  private static Matrix randomMatrix(int rows, int cols, long seed) {
    SeededRandom random = new SeededRandom(seed);
    Matrix m = Matrix.zeros(rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, random.nextDouble() - 0.5);
      }
    }
    return m;
  }
}
