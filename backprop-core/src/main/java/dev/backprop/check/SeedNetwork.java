package dev.backprop.check;

import dev.backprop.SeededRandom;
import dev.backprop.loss.Loss;
import dev.backprop.loss.SquaredErrorLoss;
import dev.backprop.nn.Dense;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Sigmoid;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.List;

/**
 * The seed's two-layer sigmoid network, written literally in float64 plain loops: the executable
 * specification that every faster path is tested against.
 * <pre>
 *   forward   z1 = a0 W1 + b1,  a1 = sigma(z1),  z2 = a1 W2 + b2,  a2 = sigma(z2)
 *   cost      C = 1/2 sum (a2 - y)^2
 *   backward  delta2 = (a2 - y) (.) sigma'(z2);  dW2 = a1^T delta2;  db2 = sum of delta2 over the batch
 *             delta1 = (delta2 W2^T) (.) sigma'(z1);  dW1 = a0^T delta1;  db1 = sum of delta1 over the batch
 *   update    W = W - eta dW,  b = b - eta db;   sigma'(x) = sigma(x) (1 - sigma(x))
 * </pre>
 * Rows are samples (batch-first); W1 is in x hidden, W2 is hidden x out.
 */
public final class SeedNetwork {
  private final double[][] w1;
  private final double[] b1;
  private final double[][] w2;
  private final double[] b2;

  /** Takes copies of the given weights. */
  public SeedNetwork(double[][] w1, double[] b1, double[][] w2, double[] b2) {
    if (w1.length == 0 || w1[0].length != b1.length || w2.length != b1.length || w2[0].length != b2.length) {
      throw new IllegalArgumentException("seed weights do not fit: W1 must be in x hidden, b1 hidden, "
          + "W2 hidden x out, b2 out");
    }
    this.w1 = deepCopy(w1);
    this.b1 = b1.clone();
    this.w2 = deepCopy(w2);
    this.b2 = b2.clone();
  }

  /** Weights U(-1/sqrt(fan_in), 1/sqrt(fan_in)) and biases likewise, from {@code random}. */
  public static SeedNetwork random(int in, int hidden, int out, SeededRandom random) {
    return new SeedNetwork(uniform(in, hidden, random), uniform(1, hidden, random)[0],
        uniform(hidden, out, random), uniform(1, out, random)[0]);
  }

  private static double[][] uniform(int rows, int cols, SeededRandom random) {
    double limit = 1.0 / Math.sqrt(rows);
    double[][] m = new double[rows][cols];
    for (double[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = random.nextDouble(-limit, limit);
      }
    }
    return m;
  }

  /** The seed network holding the weights of {@code network}, which must be two sigmoid dense layers. */
  public static SeedNetwork of(Network network) {
    List<Network.Block> blocks = network.blocks();
    if (blocks.size() != 2 || !(blocks.get(0).activation() instanceof Sigmoid)
        || !(blocks.get(1).activation() instanceof Sigmoid)) {
      throw new IllegalArgumentException("the seed network has two sigmoid layers, got " + network.describe());
    }
    Dense first = blocks.get(0).dense();
    Dense second = blocks.get(1).dense();
    return new SeedNetwork(first.weight().value().toArray(), first.bias().value().toArray()[0],
        second.weight().value().toArray(), second.bias().value().toArray()[0]);
  }

  /** The same network in the general engine: sigmoid/sigmoid dense layers, trained with {@link #loss()}. */
  public Network toNetwork(DType dtype) {
    Dense first = new Dense(0, Matrix.of(dtype, w1), Matrix.of(dtype, new double[][] {b1}));
    Dense second = new Dense(1, Matrix.of(dtype, w2), Matrix.of(dtype, new double[][] {b2}));
    return Network.of(List.of(new Network.Block(first, new Sigmoid(), 0), new Network.Block(second, new Sigmoid(), 0)));
  }

  /** The seed's cost C = 1/2 sum (a2 - y)^2 as the general engine's loss. */
  public static Loss loss() {
    return SquaredErrorLoss.sse();
  }

  /** Every quantity of the forward pass. */
  public record Forward(double[][] a0, double[][] z1, double[][] a1, double[][] z2, double[][] a2) {}

  /** Every quantity of the backward pass. */
  public record Gradients(double[][] delta2, double[][] dW2, double[] db2, double[][] delta1, double[][] dW1,
      double[] db1) {}

  public Forward forward(double[][] a0) {
    double[][] z1 = add(multiply(a0, w1), b1);
    double[][] a1 = map(z1);
    double[][] z2 = add(multiply(a1, w2), b2);
    double[][] a2 = map(z2);
    return new Forward(a0, z1, a1, z2, a2);
  }

  /** C = 1/2 sum over the batch and the outputs of (a2 - y)^2. */
  public double cost(double[][] a0, double[][] y) {
    double[][] a2 = forward(a0).a2();
    double c = 0;
    for (int i = 0; i < a2.length; i++) {
      for (int j = 0; j < a2[i].length; j++) {
        double d = a2[i][j] - y[i][j];
        c += d * d;
      }
    }
    return 0.5 * c;
  }

  /** The backward pass of the seed, from the quantities of {@code f} and the targets y. */
  public Gradients gradients(Forward f, double[][] y) {
    double[][] delta2 = new double[f.a2().length][b2.length];
    for (int i = 0; i < delta2.length; i++) {
      for (int j = 0; j < b2.length; j++) {
        delta2[i][j] = (f.a2()[i][j] - y[i][j]) * sigmaPrime(f.z2()[i][j]);
      }
    }
    double[][] dW2 = multiply(transpose(f.a1()), delta2);
    double[] db2 = columnSums(delta2);
    double[][] back = multiply(delta2, transpose(w2));
    double[][] delta1 = new double[back.length][b1.length];
    for (int i = 0; i < delta1.length; i++) {
      for (int j = 0; j < b1.length; j++) {
        delta1[i][j] = back[i][j] * sigmaPrime(f.z1()[i][j]);
      }
    }
    double[][] dW1 = multiply(transpose(f.a0()), delta1);
    double[] db1 = columnSums(delta1);
    return new Gradients(delta2, dW2, db2, delta1, dW1, db1);
  }

  /** W = W - eta dW and b = b - eta db for both layers. */
  public void update(Gradients g, double eta) {
    subtractScaled(w1, g.dW1(), eta);
    subtractScaled(w2, g.dW2(), eta);
    for (int j = 0; j < b1.length; j++) {
      b1[j] -= eta * g.db1()[j];
    }
    for (int j = 0; j < b2.length; j++) {
      b2[j] -= eta * g.db2()[j];
    }
  }

  /** One full gradient-descent step on (a0, y); returns its gradients. */
  public Gradients step(double[][] a0, double[][] y, double eta) {
    Gradients g = gradients(forward(a0), y);
    update(g, eta);
    return g;
  }

  public static double sigma(double x) {
    return Sigmoid.sigmoid(x);
  }

  /** sigma'(x) = sigma(x) (1 - sigma(x)). */
  public static double sigmaPrime(double x) {
    double s = sigma(x);
    return s * (1 - s);
  }

  public double[][] w1() {
    return deepCopy(w1);
  }

  public double[] b1() {
    return b1.clone();
  }

  public double[][] w2() {
    return deepCopy(w2);
  }

  public double[] b2() {
    return b2.clone();
  }

  /** Direct access to the weights for finite differences: 0 = W1, 1 = b1, 2 = W2, 3 = b2, as flat views. */
  double get(int tensor, int index) {
    switch (tensor) {
      case 0:
        return w1[index / b1.length][index % b1.length];
      case 1:
        return b1[index];
      case 2:
        return w2[index / b2.length][index % b2.length];
      default:
        return b2[index];
    }
  }

  void set(int tensor, int index, double value) {
    switch (tensor) {
      case 0:
        w1[index / b1.length][index % b1.length] = value;
        break;
      case 1:
        b1[index] = value;
        break;
      case 2:
        w2[index / b2.length][index % b2.length] = value;
        break;
      default:
        b2[index] = value;
        break;
    }
  }

  int size(int tensor) {
    switch (tensor) {
      case 0:
        return w1.length * b1.length;
      case 1:
        return b1.length;
      case 2:
        return w2.length * b2.length;
      default:
        return b2.length;
    }
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    int inner = b.length;
    double[][] out = new double[a.length][b[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < out[i].length; j++) {
        double s = 0;
        for (int k = 0; k < inner; k++) {
          s += a[i][k] * b[k][j];
        }
        out[i][j] = s;
      }
    }
    return out;
  }

  private static double[][] transpose(double[][] a) {
    double[][] t = new double[a[0].length][a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        t[j][i] = a[i][j];
      }
    }
    return t;
  }

  private static double[][] add(double[][] a, double[] row) {
    double[][] out = new double[a.length][row.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < row.length; j++) {
        out[i][j] = a[i][j] + row[j];
      }
    }
    return out;
  }

  private static double[][] map(double[][] z) {
    double[][] out = new double[z.length][];
    for (int i = 0; i < z.length; i++) {
      out[i] = new double[z[i].length];
      for (int j = 0; j < z[i].length; j++) {
        out[i][j] = sigma(z[i][j]);
      }
    }
    return out;
  }

  private static double[] columnSums(double[][] a) {
    double[] s = new double[a[0].length];
    for (double[] row : a) {
      for (int j = 0; j < s.length; j++) {
        s[j] += row[j];
      }
    }
    return s;
  }

  private static void subtractScaled(double[][] w, double[][] g, double eta) {
    for (int i = 0; i < w.length; i++) {
      for (int j = 0; j < w[i].length; j++) {
        w[i][j] -= eta * g[i][j];
      }
    }
  }

  private static double[][] deepCopy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
