package dev.backprop.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import dev.backprop.data.Dataset;
import dev.backprop.nn.Network;
import dev.backprop.optim.OptimizerSettings;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rung 3: the general float32 engine, configured as the seed (sigmoid/sigmoid, sse, sgd, full batch, no
 * shuffling), follows the float64 seed reference from the same weights over 20 steps.
 */
class EngineMatchesSeedTest {
  private static final long SEED = 77;
  private static final int STEPS = 20;
  private static final double ETA = 0.5;

  @Test
  void twentyFullBatchStepsMatchTheReference() {
    System.out.println("seed " + SEED);
    SeededRandom random = new SeededRandom(SEED);
    int in = 6;
    int hidden = 5;
    int classes = 3;
    int rows = 30;
    SeedNetwork reference = SeedNetwork.random(in, hidden, classes, random);
    Network engine = reference.toNetwork(DType.FLOAT32);
    // the seed reference starts from the float32-rounded weights, so both begin identical
    reference = SeedNetwork.of(engine);
    double[][] initialW2 = reference.w2();

    double[][] a0 = SeedGradientTest.randomMatrix(rows, in, random, 1.5);
    int[] labels = new int[rows];
    double[][] y = new double[rows][classes];
    for (int r = 0; r < rows; r++) {
      labels[r] = random.nextInt(classes);
      y[r][labels[r]] = 1;
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < in; j++) {
      names.add("x" + j);
    }
    Dataset data = Dataset.classification("random", names, Matrix.of(DType.FLOAT32, a0), List.of("a", "b", "c"),
        labels);
    // the reference sees exactly the float32 inputs the engine sees
    double[][] a0f = data.features().toArray();

    TrainingConfig config = TrainingConfig.builder().epochs(STEPS).batchSize(TrainingConfig.FULL_BATCH)
        .shuffle(false).seed(SEED).optimizer(OptimizerSettings.sgd(ETA)).build();
    new Trainer(config).fit(engine, SeedNetwork.loss(), data, null);
    for (int s = 0; s < STEPS; s++) {
      reference.step(a0f, y, ETA);
    }

    SeedNetwork after = SeedNetwork.of(engine);
    double worst = 0;
    worst = Math.max(worst, maxRelative(reference.w1(), after.w1()));
    worst = Math.max(worst, maxRelative(new double[][] {reference.b1()}, new double[][] {after.b1()}));
    worst = Math.max(worst, maxRelative(reference.w2(), after.w2()));
    worst = Math.max(worst, maxRelative(new double[][] {reference.b2()}, new double[][] {after.b2()}));
    double finalWorst = worst;
    System.out.println("max relative difference after " + STEPS + " steps: " + worst);
    assertTrue(worst <= 1e-4, () -> "engine drifted from the seed reference: " + finalWorst);
    // and the weights really moved, so the comparison is not between two untouched copies
    assertTrue(maxRelative(initialW2, after.w2()) > 1e-2, "training did not change W2");
  }

  static double maxRelative(double[][] expected, double[][] actual) {
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        double e = expected[i][j];
        double a = actual[i][j];
        worst = Math.max(worst, Math.abs(e - a) / Math.max(Math.abs(e), 1e-3));
      }
    }
    return worst;
  }
}
