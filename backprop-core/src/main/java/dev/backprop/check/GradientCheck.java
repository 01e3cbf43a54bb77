package dev.backprop.check;

import dev.backprop.loss.Loss;
import dev.backprop.nn.Network;
import dev.backprop.nn.Parameter;
import dev.backprop.nn.Pass;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import dev.backprop.train.Objective;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Compares back-propagated gradients with central finite differences, in float64, for every parameter,
 * by the relative error |g - n| / max(|g| + |n|, TINY).
 *
 * <p>n is the five-point central difference n = (8 (C(w+h) - C(w-h)) - (C(w+2h) - C(w-2h))) / 12h, whose
 * error shrinks as h^4 (the two-point (C(w+h) - C(w-h)) / 2h shrinks as h^2). That lets h be 1e-3, where
 * the rounding of C costs about 1e-13 instead of the 1e-10 of h = 1e-6, so gradients as small as 1e-6 are
 * still checked to a relative 1e-6.
 *
 * <p>TINY keeps the ratio meaningful where both g and n nearly vanish (a dead relu, a saturated sigmoid):
 * below it the test becomes absolute, |g - n| &lt;= threshold * TINY = 1e-12 at the default threshold,
 * a few times the rounding floor of a float64 finite difference of a cost near 1 (measured: 1e-13).
 */
public final class GradientCheck {
  /** The default finite-difference step. */
  public static final double DEFAULT_STEP = 1e-3;
  /** The floor of the relative error's denominator. */
  public static final double TINY = 1e-6;
  /** The threshold the seed and every layer must meet in float64. */
  public static final double DEFAULT_THRESHOLD = 1e-6;

  private GradientCheck() {}

  /** The worst element of one parameter tensor. */
  public record Result(String parameter, int elements, double maxRelativeError, int worstIndex, double analytic,
      double numeric) {}

  /** Results for every parameter tensor. */
  public record Report(List<Result> results) {
    public double maxRelativeError() {
      double max = 0;
      for (Result r : results) {
        max = Math.max(max, r.maxRelativeError());
      }
      return max;
    }

    public boolean passed(double threshold) {
      return maxRelativeError() <= threshold;
    }
  }

  /** |g - n| / max(|g| + |n|, TINY). */
  public static double relativeError(double analytic, double numeric) {
    return Math.abs(analytic - numeric) / Math.max(Math.abs(analytic) + Math.abs(numeric), TINY);
  }

  /**
   * Checks every parameter of {@code network} (converted to float64 first; the argument is not modified)
   * under {@code loss} on the batch (x, y), in a training pass of step 0 under seed 0: with dropout, every
   * evaluation of the cost uses the masks the back-propagated gradient saw.
   */
  public static Report check(Network network, Loss loss, Matrix x, Matrix y, double step) {
    return check(network, loss, x, y, Pass.training(0, 0), step);
  }

  /** As {@link #check(Network, Loss, Matrix, Matrix, double)}, with the dropout masks of {@code pass}. */
  public static Report check(Network network, Loss loss, Matrix x, Matrix y, Pass pass, double step) {
    Network net = network.copy(DType.FLOAT64);
    Objective objective = Objective.of(loss, net);
    Matrix x64 = x.to(DType.FLOAT64);
    Matrix y64 = y.to(DType.FLOAT64);
    objective.computeGradients(net, x64, y64, pass);
    List<Result> results = new ArrayList<>();
    for (Parameter p : net.parameters()) {
      Matrix analytic = p.grad().copy();
      double[] w = p.value().doubles();
      Worst worst = new Worst(p.name(), w.length);
      for (int i = 0; i < w.length; i++) {
        int index = i;
        DoubleUnaryOperator cost = v -> {
          w[index] = v;
          return objective.value(net, x64, y64, pass);
        };
        worst.offer(i, analytic.getFlat(i), bestDifference(cost, w[i], step, analytic.getFlat(i)));
      }
      results.add(worst.result());
    }
    return new Report(results);
  }

  /** Checks the seed network's dW1, db1, dW2, db2 on (a0, y); the network is left as it was. */
  public static Report checkSeed(SeedNetwork seed, double[][] a0, double[][] y, double step) {
    SeedNetwork.Gradients g = seed.gradients(seed.forward(a0), y);
    String[] names = {"W1", "b1", "W2", "b2"};
    List<Result> results = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Worst worst = new Worst(names[t], seed.size(t));
      for (int i = 0; i < seed.size(t); i++) {
        worst.offer(i, analyticSeed(g, t, i, seed), numericSeed(seed, t, i, a0, y, step));
      }
      results.add(worst.result());
    }
    return new Report(results);
  }

  /** The central-difference estimate of dC/d(tensor)[index] for the seed (0 = W1, 1 = b1, 2 = W2, 3 = b2). */
  public static double numericSeed(SeedNetwork seed, int tensor, int index, double[][] a0, double[][] y,
      double step) {
    return centralDifference(v -> {
      seed.set(tensor, index, v);
      return seed.cost(a0, y);
    }, seed.get(tensor, index), step);
  }

  /**
   * The five-point central difference at {@code step}, or, when that disagrees with {@code analytic} beyond
   * {@link #DEFAULT_THRESHOLD}, the closest of the differences at step / 10 and step / 100. A relu kink
   * that falls within 2 steps of w spoils the difference at one step size but hardly at all three, while a
   * wrong gradient disagrees at every step size.
   */
  static double bestDifference(DoubleUnaryOperator cost, double w, double step, double analytic) {
    double best = centralDifference(cost, w, step);
    double h = step;
    for (int retry = 0; retry < 2 && relativeError(analytic, best) > DEFAULT_THRESHOLD; retry++) {
      h /= 10;
      double n = centralDifference(cost, w, h);
      if (relativeError(analytic, n) < relativeError(analytic, best)) {
        best = n;
      }
    }
    return best;
  }

  /**
   * The five-point central difference of {@code cost} at {@code w}; {@code cost} sets the parameter to its
   * argument and returns C. The parameter is set back to {@code w} at the end.
   */
  public static double centralDifference(DoubleUnaryOperator cost, double w, double step) {
    double plus = cost.applyAsDouble(w + step);
    double minus = cost.applyAsDouble(w - step);
    double plus2 = cost.applyAsDouble(w + 2 * step);
    double minus2 = cost.applyAsDouble(w - 2 * step);
    cost.applyAsDouble(w);
    return (8 * (plus - minus) - (plus2 - minus2)) / (12 * step);
  }

  private static double analyticSeed(SeedNetwork.Gradients g, int tensor, int i, SeedNetwork seed) {
    int hidden = seed.b1().length;
    int out = seed.b2().length;
    switch (tensor) {
      case 0:
        return g.dW1()[i / hidden][i % hidden];
      case 1:
        return g.db1()[i];
      case 2:
        return g.dW2()[i / out][i % out];
      default:
        return g.db2()[i];
    }
  }

  private static final class Worst {
    private final String name;
    private final int elements;
    private double error = -1;
    private int index;
    private double analytic;
    private double numeric;

    Worst(String name, int elements) {
      this.name = name;
      this.elements = elements;
    }

    void offer(int i, double g, double n) {
      double e = relativeError(g, n);
      if (e > error || Double.isNaN(e)) {
        error = Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
        index = i;
        analytic = g;
        numeric = n;
      }
    }

    Result result() {
      return new Result(name, elements, Math.max(error, 0), index, analytic, numeric);
    }
  }
}
