package dev.backprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Compute;
import dev.backprop.SeededRandom;
import dev.backprop.data.Dataset;
import dev.backprop.nn.Network;
import dev.backprop.nn.Parameter;
import dev.backprop.internal.perf.Workload;
import dev.backprop.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Training gives bit-identical weights with one and with two compute threads. */
class ThreadCountTest {
  @AfterEach
  void restore() {
    Compute.useThreads(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void oneAndTwoThreadsTrainTheSameWeights() {
    long seed = 2026;
    System.out.println("seed " + seed);
    Dataset data = randomImages(600, seed);
    List<Matrix> one = train(1, data, seed);
    List<Matrix> two = train(2, data, seed);
    assertEquals(one.size(), two.size());
    for (int i = 0; i < one.size(); i++) {
      assertEquals(one.get(i), two.get(i), "parameter " + i + " differs between 1 and 2 threads");
    }
    assertTrue(!one.get(0).equals(Workload.W2.network(seed).parameters().get(0).value()), "training moved W");
  }

  private static List<Matrix> train(int threads, Dataset data, long seed) {
    Compute.useThreads(threads);
    // W2's network (784-256-256-10, Adam, batch 128): products large enough to be split between threads
    Network net = Workload.W2.network(seed);
    new Trainer(TrainingConfig.builder().epochs(2).batchSize(128).seed(seed)
        .optimizer(Workload.W2.optimizer()).build()).fit(net, Workload.W2.loss(), data, null);
    List<Matrix> values = new ArrayList<>();
    for (Parameter p : net.parameters()) {
      values.add(p.value().copy());
    }
    return values;
  }

  /** Random 28x28 "images" whose class shows in every tenth pixel: Fashion-MNIST's shapes without the file. */
  static Dataset randomImages(int rows, long seed) {
    SeededRandom random = new SeededRandom(seed);
    Matrix x = Matrix.zeros(rows, 784);
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = random.nextInt(10);
      for (int j = 0; j < 784; j++) {
        x.set(i, j, random.nextDouble() * (j % 10 == labels[i] ? 1.0 : 0.3));
      }
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < 784; j++) {
      names.add("pixel" + j);
    }
    return Dataset.classification("random images", names, x, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
        labels);
  }
}
