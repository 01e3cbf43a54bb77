package dev.backprop.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.nn.Network;
import dev.backprop.nn.Pass;
import dev.backprop.train.Objective;
import dev.backprop.nn.Parameter;
import dev.backprop.nn.activation.Activations;
import dev.backprop.optim.Optimizer;
import dev.backprop.optim.OptimizerSettings;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Coupled weight decay is the gradient of an L2 penalty: one plain SGD step with weight decay wd moves every
 * parameter by lr times the finite-difference gradient of C + wd/2 * sum of w^2, in float64, with dropout
 * fixed by its key.
 */
class WeightDecayGradientTest {
  @Test
  void sgdWithWeightDecayDescendsThePenalisedCost() {
    double wd = 0.05;
    double lr = 0.1;
    for (double dropout : new double[] {0, 0.3}) {
      Network net = Network.builder(4).dense(6, Activations.tanh()).dropout(dropout).dense(3, Activations.softmax())
          .seed(5).dtype(DType.FLOAT64).build();
      Objective objective = Objective.of(new CrossEntropyLoss(), net);
      Pass pass = Pass.training(3, 9);
      Matrix x = random(5, 4, 1);
      Matrix y = Matrix.zeros(DType.FLOAT64, 5, 3);
      for (int i = 0; i < 5; i++) {
        y.set(i, (i * 2) % 3, 1);
      }
      List<Matrix> before = new ArrayList<>();
      for (Parameter p : net.parameters()) {
        before.add(p.value().copy());
      }
      objective.computeGradients(net, x, y, pass);
      Optimizer sgd = OptimizerSettings.sgd(lr).withWeightDecay(wd).create(net.parameters());
      sgd.step();
      List<Matrix> afterStep = new ArrayList<>();
      for (Parameter p : net.parameters()) {
        afterStep.add(p.value().copy());
      }
      double worst = 0;
      for (int t = 0; t < net.parameters().size(); t++) {
        Parameter p = net.parameters().get(t);
        Matrix after = afterStep.get(t);
        for (int i = 0; i < after.size(); i++) {
          double applied = (before.get(t).getFlat(i) - after.getFlat(i)) / lr;
          // the penalised cost at the pre-step weights, with this one element moved
          restore(net, before);
          double[] w = p.value().doubles();
          int index = i;
          double numeric = GradientCheck.centralDifference(v -> {
            w[index] = v;
            return objective.value(net, x, y, pass) + wd / 2 * sumOfSquares(net);
          }, w[i], GradientCheck.DEFAULT_STEP);
          worst = Math.max(worst, GradientCheck.relativeError(applied, numeric));
        }
        restore(net, before);
      }
      assertTrue(worst <= GradientCheck.DEFAULT_THRESHOLD, "dropout " + dropout + ": worst relative error " + worst);
    }
  }

  private static double sumOfSquares(Network net) {
    double s = 0;
    for (Parameter p : net.parameters()) {
      for (int i = 0; i < p.value().size(); i++) {
        s += p.value().getFlat(i) * p.value().getFlat(i);
      }
    }
    return s;
  }

  private static void restore(Network net, List<Matrix> values) {
    for (int t = 0; t < values.size(); t++) {
      net.parameters().get(t).value().copyFrom(values.get(t));
    }
  }

  private static Matrix random(int rows, int cols, long seed) {
    SeededRandom r = new SeededRandom(seed);
    Matrix m = Matrix.zeros(DType.FLOAT64, rows, cols);
    for (int i = 0; i < m.size(); i++) {
      m.setFlat(i, r.nextDouble(-1, 1));
    }
    return m;
  }
}
