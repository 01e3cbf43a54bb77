package dev.backprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.SeededRandom;
import dev.backprop.data.Normalization;
import dev.backprop.data.Task;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activations;
import dev.backprop.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** {@link Model#predict} from many threads at once gives, bit for bit, what it gives from one. */
class ModelConcurrentPredictTest {
  static final long SEED = 2024;
  static final int THREADS = 16;
  static final int CALLS = 200;

  @Test
  void manyThreadsGetTheSingleThreadedResults() throws Exception {
    System.out.println("seed " + SEED);
    // wide enough that a product can use the compute pool, with batches from 1 row to several chunks
    Network net = Network.builder(64).dense(256, Activations.relu()).dense(128, Activations.tanh())
        .dense(10, Activations.softmax()).seed(SEED).build();
    List<String> features = new ArrayList<>();
    List<String> classes = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      features.add("f" + i);
    }
    for (int i = 0; i < 10; i++) {
      classes.add("c" + i);
    }
    Model model = new Model(net, new CrossEntropyLoss(), new ModelInfo(Task.CLASSIFICATION, features, "y", classes,
        Normalization.none(64), Map.of()));
    SeededRandom random = SeededRandom.derive(SEED, 1);
    int[] sizes = {1, 2, 7, 64, 300};
    List<Matrix> inputs = new ArrayList<>();
    List<Matrix> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Matrix x = Matrix.zeros(sizes[i % sizes.length], 64);
      for (int j = 0; j < x.size(); j++) {
        x.setFlat(j, random.nextDouble(-2, 2));
      }
      inputs.add(x);
      expected.add(model.predict(x));
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int offset = t;
      results.add(pool.submit(() -> {
        go.await();
        int same = 0;
        for (int c = 0; c < CALLS; c++) {
          int k = (offset + c) % inputs.size();
          if (model.predict(inputs.get(k)).equals(expected.get(k))) {
            same++;
          }
        }
        return same;
      }));
    }
    go.countDown();
    for (Future<Integer> r : results) {
      assertEquals(CALLS, r.get());
    }
    pool.shutdown();
  }
}
