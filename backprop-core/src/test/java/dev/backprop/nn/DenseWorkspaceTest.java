package dev.backprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.backprop.SeededRandom;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.nn.activation.Activations;
import dev.backprop.tensor.Matrix;
import dev.backprop.train.Objective;
import org.junit.jupiter.api.Test;

/**
 * A dense layer keeps the buffers of its last two batch sizes, so that an epoch's shorter last batch allocates
 * nothing after the first epoch, and swapping buffers changes no result.
 */
class DenseWorkspaceTest {
  @Test
  void theBuffersOfTheTwoLatestBatchSizesAreReused() {
    Dense layer = network().blocks().get(0).dense();
    Matrix z4 = layer.forward(random(4, 1), Pass.training(9, 1));
    Matrix z2 = layer.forward(random(2, 2), Pass.training(9, 2));
    assertNotSame(z4, z2);
    assertSame(z4, layer.forward(random(4, 3), Pass.training(9, 3)), "back to 4 rows: the buffers kept aside");
    assertSame(z2, layer.forward(random(2, 4), Pass.training(9, 4)), "back to 2 rows: the buffers kept aside");
    layer.forward(random(3, 5), Pass.training(9, 5));
    assertSame(z2, layer.forward(random(2, 6), Pass.training(9, 6)), "2 rows were the size before 3");
    assertNotSame(z4, layer.forward(random(4, 7), Pass.training(9, 7)), "4 rows were two sizes back: new buffers");
  }

  @Test
  void swappingBuffersChangesNoResult() {
    Network net = network();
    Objective objective = Objective.of(new CrossEntropyLoss(), net);
    Matrix x4 = random(4, 11);
    Matrix y4 = labels(4);
    double first = objective.computeGradients(net, x4, y4, Pass.training(5, 1));
    Matrix grad = net.parameters().get(0).grad().copy();
    Matrix out = objective.outputs().copy();
    // a shorter batch in between, then the same batch again: the same loss, outputs and gradient
    objective.computeGradients(net, random(3, 12), labels(3), Pass.training(5, 2));
    assertEquals(first, objective.computeGradients(net, x4, y4, Pass.training(5, 1)));
    assertEquals(out, objective.outputs());
    assertEquals(grad, net.parameters().get(0).grad());
  }

  private static Network network() {
    return Network.builder(5).dense(8, Activations.relu()).dropout(0.3).dense(3, Activations.softmax())
        .seed(2).build();
  }

  private static Matrix random(int rows, long seed) {
    SeededRandom random = new SeededRandom(seed);
    Matrix m = Matrix.zeros(rows, 5);
    for (int i = 0; i < m.size(); i++) {
      m.setFlat(i, random.nextDouble() * 2 - 1);
    }
    return m;
  }

  private static Matrix labels(int rows) {
    Matrix y = Matrix.zeros(rows, 3);
    for (int i = 0; i < rows; i++) {
      y.set(i, i % 3, 1);
    }
    return y;
  }
}
