package dev.backprop.train;

import dev.backprop.InvalidSettingException;
import dev.backprop.loss.BinaryCrossEntropyLoss;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.loss.Loss;
import dev.backprop.loss.SquaredErrorLoss;
import dev.backprop.nn.Network;
import dev.backprop.nn.Pass;
import dev.backprop.nn.activation.Activation;
import dev.backprop.nn.activation.Sigmoid;
import dev.backprop.nn.activation.Softmax;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.Objects;

/**
 * The cost a network is trained to lower: a loss after the network's output activation f, and the delta = dC/dz
 * that backpropagation starts from. Three rules, as the seed and PyTorch write them:
 * <pre>
 *   softmax + cross-entropy          delta = (a - y) / m          (fused: never the softmax Jacobian)
 *   sigmoid + binary cross-entropy   delta = (a - y) / (m n)      (fused)
 *   any f   + sse or mse             delta = dC/da (.) f'(z)      (the seed's delta2 = (a2 - y) (.) sigma'(z2))
 * </pre>
 * An objective keeps the output and delta of its last batch: use one per thread.
 */
public final class Objective {
  private final Loss loss;
  private final Activation output;
  private Matrix a;
  private Matrix delta;
  private Matrix spareA;
  private Matrix spareDelta;

  private Objective(Loss loss, Activation output) {
    this.loss = Objects.requireNonNull(loss, "loss");
    this.output = Objects.requireNonNull(output, "output");
    if (loss instanceof CrossEntropyLoss && !(output instanceof Softmax)) {
      throw new InvalidSettingException("outputActivation", output.name(), "softmax for the loss cross-entropy "
          + "(or use binary-cross-entropy with sigmoid)");
    }
    if (loss instanceof BinaryCrossEntropyLoss && !(output instanceof Sigmoid)) {
      throw new InvalidSettingException("outputActivation", output.name(),
          "sigmoid for the loss binary-cross-entropy");
    }
  }

  /** The objective of {@code loss} after the output activation {@code output}; throws if they do not pair. */
  public static Objective of(Loss loss, Activation output) {
    return new Objective(loss, output);
  }

  /** The objective of {@code loss} after {@code network}'s output activation. */
  public static Objective of(Loss loss, Network network) {
    return new Objective(loss, network.outputActivation());
  }

  public Loss loss() {
    return loss;
  }

  /**
   * One forward and one backward pass on the batch (x, y): fills every parameter's gradient and returns the
   * cost C of the batch, computed before any update.
   */
  public double computeGradients(Network network, Matrix x, Matrix y, Pass pass) {
    return computeGradients(network, x, y, pass, x.rows());
  }

  /**
   * {@link #computeGradients(Network, Matrix, Matrix, Pass)} for rows (x, y) that are part of a batch of
   * {@code batchRows} rows: a mean over the batch divides by {@code batchRows}, so the gradients are this part's
   * share of the batch's and the parts' gradients add up to it. Returns C of these rows alone.
   */
  public double computeGradients(Network network, Matrix x, Matrix y, Pass pass, int batchRows) {
    Matrix z = network.logits(x, pass);
    double c = value(z, y);
    outputDelta(z, a, y, delta, batchRows);
    network.backward(delta);
    return c;
  }

  /** C on (x, y) without gradients; in a training pass it is the C that {@link #computeGradients} differentiates. */
  public double value(Network network, Matrix x, Matrix y, Pass pass) {
    return value(network.logits(x, pass), y);
  }

  /** The network's outputs a = f(z) for the batch of the last call: a workspace, valid until the next call. */
  public Matrix outputs() {
    return a;
  }

  private double value(Matrix z, Matrix y) {
    ensureRows(z.rows(), z.cols(), z.dtype());
    output.forward(z, a);
    return loss.value(z, a, y);
  }

  /**
   * delta = dC/dz of the output block by the rule of this loss and output activation, from the logits z, the
   * outputs a = f(z) and the targets y (all batch x outputs); {@code delta} may be {@code a} itself.
   */
  public void outputDelta(Matrix z, Matrix a, Matrix y, Matrix delta) {
    outputDelta(z, a, y, delta, a.rows());
  }

  private void outputDelta(Matrix z, Matrix a, Matrix y, Matrix delta, int batchRows) {
    y.requireShape(a.rows(), a.cols(), "targets");
    if (loss instanceof SquaredErrorLoss squared) {
      squared.gradient(a, y, delta, batchRows);
      output.backward(z, a, delta, delta);
      return;
    }
    double inv = loss instanceof CrossEntropyLoss ? 1.0 / batchRows : 1.0 / (batchRows * a.cols());
    for (int i = 0, n = a.size(); i < n; i++) {
      delta.setFlat(i, (a.getFlat(i) - y.getFlat(i)) * inv);
    }
  }

  /** Buffers of the current batch size, with those of the size before kept aside (an epoch's short last batch). */
  private void ensureRows(int rows, int cols, DType dtype) {
    if (a != null && a.rows() == rows && a.cols() == cols && a.dtype() == dtype) {
      return;
    }
    Matrix oldA = a;
    Matrix oldDelta = delta;
    if (spareA != null && spareA.rows() == rows && spareA.cols() == cols && spareA.dtype() == dtype) {
      a = spareA;
      delta = spareDelta;
    } else {
      a = Matrix.zeros(dtype, rows, cols);
      delta = Matrix.zeros(dtype, rows, cols);
    }
    spareA = oldA;
    spareDelta = oldDelta;
  }

  @Override
  public String toString() {
    return output.name() + " + " + loss.name();
  }
}
