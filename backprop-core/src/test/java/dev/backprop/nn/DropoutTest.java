package dev.backprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import dev.backprop.check.GradientCheck;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.nn.activation.Activations;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import dev.backprop.train.Objective;
import org.junit.jupiter.api.Test;

/** Inverted dropout: seeded masks, scaling, evaluation mode, and gradients through the masks. */
class DropoutTest {
  @Test
  void gradientsThroughFixedMasksMatchFiniteDifferences() {
    for (String act : new String[] {"sigmoid", "tanh", "relu"}) {
      Network net = Network.builder(5).dense(7, Activations.byName(act)).dropout(0.4)
          .dense(6, Activations.byName(act)).dropout(0.25).dense(3, Activations.softmax())
          .seed(3).dtype(DType.FLOAT64).build();
      // non-zero biases: a row whose inputs were all dropped would otherwise sit exactly on relu's kink
      for (Network.Block b : net.blocks()) {
        Dense d = b.dense();
        d.bias().value().copyFrom(random(1, d.outputSize(), 40 + d.index()));
      }
      Matrix x = random(4, 5, 1);
      Matrix y = oneHot(4, 3);
      GradientCheck.Report report = GradientCheck.check(net, new CrossEntropyLoss(), x, y, Pass.training(17, 5),
          GradientCheck.DEFAULT_STEP);
      assertTrue(report.passed(GradientCheck.DEFAULT_THRESHOLD), act + ": " + report);
    }
  }

  @Test
  void theMaskDropsAboutTheRateAndScalesTheRest() {
    Network net = Network.builder(3).dense(400, Activations.sigmoid()).dropout(0.3).dense(1, Activations.identity())
        .seed(1).build();
    Matrix x = random(50, 3, 2).to(DType.FLOAT32);
    Matrix eval = hidden(net, x, Pass.INFERENCE).copy();
    Matrix train = hidden(net, x, Pass.training(9, 1)).copy();
    int dropped = 0;
    for (int i = 0; i < eval.size(); i++) {
      if (train.getFlat(i) == 0) {
        dropped++;
      } else {
        assertEquals(eval.getFlat(i) / 0.7, train.getFlat(i), 1e-6, "element " + i);
      }
    }
    double share = (double) dropped / eval.size();
    assertEquals(0.3, share, 0.02, "dropped share");
  }

  @Test
  void evaluationIgnoresDropoutAndMasksFollowTheKey() {
    Network with = Network.builder(3).dense(20, Activations.relu()).dropout(0.5).dense(2, Activations.softmax())
        .seed(4).build();
    Network without = Network.builder(3).dense(20, Activations.relu()).dense(2, Activations.softmax())
        .seed(4).build();
    Matrix x = random(8, 3, 3).to(DType.FLOAT32);
    assertEquals(without.predict(x), with.predict(x));
    Matrix y = oneHot(8, 2).to(DType.FLOAT32);
    Objective objective = Objective.of(new CrossEntropyLoss(), with);
    double a = objective.value(with, x, y, Pass.training(1, 1));
    double again = objective.value(with, x, y, Pass.training(1, 1));
    double other = objective.value(with, x, y, Pass.training(1, 2));
    assertEquals(a, again);
    assertNotEquals(a, other);
  }

  @Test
  void outputLayerDropoutAndBadRatesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Network.builder(3).dense(2, Activations.softmax())
        .dropout(0.5).build());
    assertThrows(IllegalArgumentException.class, () -> Network.builder(3).dense(2, Activations.relu()).dropout(1));
    assertThrows(IllegalArgumentException.class,
        () -> Network.builder(3).dense(2, Activations.relu()).dropout(Double.NaN));
    assertThrows(IllegalStateException.class, () -> Network.builder(3).dropout(0.1));
  }

  /** The first block's output: dense, activation and dropout. */
  private static Matrix hidden(Network net, Matrix x, Pass pass) {
    Matrix a = x;
    for (int i = 0; i < 3; i++) {
      a = net.layers().get(i).forward(a, pass);
    }
    return a;
  }

  private static Matrix random(int rows, int cols, long seed) {
    SeededRandom r = new SeededRandom(seed);
    Matrix m = Matrix.zeros(DType.FLOAT64, rows, cols);
    for (int i = 0; i < m.size(); i++) {
      m.setFlat(i, r.nextDouble(-1, 1));
    }
    return m;
  }

  private static Matrix oneHot(int rows, int classes) {
    Matrix y = Matrix.zeros(DType.FLOAT64, rows, classes);
    for (int i = 0; i < rows; i++) {
      y.set(i, i % classes, 1);
    }
    return y;
  }
}
