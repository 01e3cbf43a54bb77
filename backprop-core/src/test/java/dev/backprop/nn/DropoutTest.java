package dev.backprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import dev.backprop.check.GradientCheck;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.loss.SquaredErrorLoss;
import dev.backprop.nn.activation.Activations;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import org.junit.jupiter.api.Test;

/** Inverted dropout: seeded masks, scaling, evaluation mode, and gradients through the masks. */
class DropoutTest {
  @Test
  void gradientsThroughFixedMasksMatchFiniteDifferences() {
    for (String act : new String[] {"sigmoid", "tanh", "relu"}) {
      Network net = Network.builder(5).dense(7, Activations.byName(act)).dropout(0.4)
          .dense(6, Activations.byName(act)).dropout(0.25).dense(3, Activations.softmax())
          .loss(new CrossEntropyLoss()).seed(3).dtype(DType.FLOAT64).build();
      net.dropoutKey(17, 5);
      // non-zero biases: a row whose inputs were all dropped would otherwise sit exactly on relu's kink
      for (Dense d : net.layers()) {
        d.bias().value().copyFrom(random(1, d.outputSize(), 40 + d.index()));
      }
      Matrix x = random(4, 5, 1);
      Matrix y = oneHot(4, 3);
      GradientCheck.Report report = GradientCheck.check(net, x, y, GradientCheck.DEFAULT_STEP);
      assertTrue(report.passed(GradientCheck.DEFAULT_THRESHOLD), act + ": " + report);
    }
  }

  @Test
  void theMaskDropsAboutTheRateAndScalesTheRest() {
    Network net = Network.builder(3).dense(400, Activations.sigmoid()).dropout(0.3).dense(1, Activations.identity())
        .loss(SquaredErrorLoss.mse()).seed(1).build();
    Matrix x = random(50, 3, 2).to(DType.FLOAT32);
    net.dropoutKey(9, 1);
    Matrix eval = net.layers().get(0).forward(x, false).copy();
    Matrix train = net.layers().get(0).forward(x, true, 9, 1).copy();
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
        .loss(new CrossEntropyLoss()).seed(4).build();
    Network without = Network.builder(3).dense(20, Activations.relu()).dense(2, Activations.softmax())
        .loss(new CrossEntropyLoss()).seed(4).build();
    Matrix x = random(8, 3, 3).to(DType.FLOAT32);
    assertEquals(without.predict(x), with.predict(x));
    Matrix y = oneHot(8, 2).to(DType.FLOAT32);
    with.dropoutKey(1, 1);
    double a = with.loss(x, y, true);
    double again = with.loss(x, y, true);
    with.dropoutKey(1, 2);
    double other = with.loss(x, y, true);
    assertEquals(a, again);
    assertNotEquals(a, other);
  }

  @Test
  void outputLayerDropoutAndBadRatesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Network.builder(3).dense(2, Activations.softmax())
        .dropout(0.5).loss(new CrossEntropyLoss()).build());
    assertThrows(IllegalArgumentException.class, () -> Network.builder(3).dense(2, Activations.relu()).dropout(1));
    assertThrows(IllegalArgumentException.class,
        () -> Network.builder(3).dense(2, Activations.relu()).dropout(Double.NaN));
    assertThrows(IllegalStateException.class, () -> Network.builder(3).dropout(0.1));
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
