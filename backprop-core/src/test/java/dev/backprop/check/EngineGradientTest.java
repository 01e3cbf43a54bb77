package dev.backprop.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import dev.backprop.loss.Loss;
import dev.backprop.loss.Losses;
import dev.backprop.nn.Network;
import dev.backprop.nn.Pass;
import dev.backprop.train.Objective;
import dev.backprop.nn.activation.Activations;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rung 2: the general engine in float64 against central finite differences, for every combination of
 * hidden activation, output activation and loss that it accepts, at batch sizes 1 and 7.
 */
class EngineGradientTest {
  private static final List<String> HIDDEN = List.of("sigmoid", "tanh", "relu", "leaky-relu", "identity");

  static List<Arguments> combinations() {
    List<Arguments> all = new ArrayList<>();
    for (String loss : Losses.NAMES) {
      for (String output : Activations.NAMES) {
        if (!accepts(loss, output)) {
          continue;
        }
        for (String hidden : HIDDEN) {
          for (int batch : new int[] {1, 7}) {
            all.add(Arguments.of(hidden, output, loss, batch));
          }
        }
      }
    }
    return all;
  }

  private static boolean accepts(String loss, String output) {
    try {
      Objective.of(Losses.byName(loss), Activations.byName(output));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @ParameterizedTest(name = "{0} hidden, {1} output, {2}, batch {3}")
  @MethodSource("combinations")
  void gradientsMatchFiniteDifferences(String hidden, String output, String lossName, int batch) {
    long seed = 1000L * batch + (hidden + output + lossName).hashCode();
    System.out.println("seed " + seed);
    Loss loss = Losses.byName(lossName);
    Network net = Network.builder(4)
        .dense(5, Activations.byName(hidden))
        .dense(4, Activations.byName(hidden))
        .dense(3, Activations.byName(output))
        .dtype(DType.FLOAT64)
        .seed(seed)
        .build();
    SeededRandom random = new SeededRandom(seed);
    Matrix x = Matrix.zeros(DType.FLOAT64, batch, 4);
    Matrix y = targets(lossName, batch, 3, random);
    // relu and leaky-relu have a kink at 0, where no finite difference agrees with the derivative: draw
    // inputs and biases (seeded) until no pre-activation lies within KINK_MARGIN of it, far more
    // than the 2h = 2e-3 by which the check moves any weight
    int attempts = 0;
    do {
      for (int i = 0; i < x.size(); i++) {
        x.setFlat(i, random.nextDouble(-2, 2));
      }
      for (Network.Block block : net.blocks()) {
        Matrix b = block.dense().bias().value();
        for (int i = 0; i < b.size(); i++) {
          b.setFlat(i, random.nextDouble(-0.5, 0.5));
        }
      }
      attempts++;
    } while (nearKink(net, x) && attempts < 10_000);
    assertTrue(attempts < 10_000, "no kink-free inputs found");
    GradientCheck.Report report = GradientCheck.check(net, loss, x, y, GradientCheck.DEFAULT_STEP);
    assertTrue(report.passed(1e-6), () -> report.toString());
  }

  private static final double KINK_MARGIN = 0.05;

  private static boolean nearKink(Network net, Matrix x) {
    Matrix a = x;
    for (Network.Block block : net.blocks()) {
      Matrix z = block.dense().forward(a, Pass.INFERENCE).copy();
      a = z.copy();
      block.activation().forward(z, a);
      String name = block.activation().name();
      if (name.equals("relu") || name.equals("leaky-relu")) {
        for (int i = 0; i < z.size(); i++) {
          if (Math.abs(z.getFlat(i)) < KINK_MARGIN) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static Matrix targets(String loss, int rows, int cols, SeededRandom random) {
    Matrix y = Matrix.zeros(DType.FLOAT64, rows, cols);
    for (int r = 0; r < rows; r++) {
      if (loss.equals("cross-entropy")) {
        y.set(r, random.nextInt(cols), 1.0);
      } else {
        for (int c = 0; c < cols; c++) {
          y.set(r, c, loss.equals("binary-cross-entropy") ? random.nextInt(2) : random.nextDouble(-1, 1));
        }
      }
    }
    return y;
  }
}
