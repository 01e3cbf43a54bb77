package dev.backprop.nn;

import dev.backprop.SeededRandom;
import dev.backprop.nn.activation.Activation;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import dev.backprop.tensor.MatrixOps;
import java.util.List;

/**
 * A fully connected layer with its activation, in the seed's notation and layout:
 * <pre>
 *   forward   z = a_prev W + b,  a = f(z)            a_prev: batch x in, W: in x out, b: 1 x out
 *   backward  delta = dC/da (.) f'(z)
 *             dW = a_prev^T delta,  db = sum of delta over the batch,  dC/da_prev = delta W^T
 * </pre>
 * The model file stores W transposed (out x in, as PyTorch's nn.Linear).
 *
 * <p>With a dropout rate p &gt; 0, training passes zero each output a independently with probability p and
 * scale the survivors by 1 / (1 - p) (inverted dropout, as PyTorch's nn.Dropout), so evaluation uses a
 * as it is. The mask of a batch comes from {@code SeededRandom.derive(seed, DROPOUT_STREAM, step, index)},
 * with the (seed, step) key the network was given: the same key draws the same mask, in any process.
 */
public final class Dense implements Layer {
  private final Activation activation;
  private final Parameter weight;
  private final Parameter bias;
  private final Workspace workspace;
  private final int index;
  private final double dropout;
  private Matrix input;
  private boolean dropped;

  /**
   * @param index position among the network's dense layers; names the parameters {@code layers.N.weight}
   * @param weights the initial W, in x out (taken over, not copied)
   * @param biases the initial b, 1 x out (taken over, not copied)
   */
  public Dense(int index, Matrix weights, Matrix biases, Activation activation) {
    this(index, weights, biases, activation, 0);
  }

  /**
   * A layer whose outputs are dropped in training with probability {@code dropout} (0 for none, below 1).
   */
  public Dense(int index, Matrix weights, Matrix biases, Activation activation, double dropout) {
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout of dense layer " + index + " must be in [0, 1), got " + dropout);
    }
    biases.requireShape(1, weights.cols(), "bias of dense layer " + index);
    if (weights.dtype() != biases.dtype()) {
      throw new IllegalArgumentException("weights and biases of dense layer " + index + " differ in type");
    }
    this.activation = activation;
    this.index = index;
    this.dropout = dropout;
    this.weight = new Parameter("layers." + index + ".weight", weights);
    this.bias = new Parameter("layers." + index + ".bias", biases);
    this.workspace = new Workspace(weights.dtype(), weights.rows(), weights.cols());
  }

  public Activation activation() {
    return activation;
  }

  /** The position among the network's dense layers. */
  public int index() {
    return index;
  }

  /** The probability that training drops an output, 0 for none. */
  public double dropout() {
    return dropout;
  }

  /** W, in x out. */
  public Parameter weight() {
    return weight;
  }

  /** b, 1 x out. */
  public Parameter bias() {
    return bias;
  }

  public DType dtype() {
    return weight.value().dtype();
  }

  @Override
  public int inputSize() {
    return weight.value().rows();
  }

  @Override
  public int outputSize() {
    return weight.value().cols();
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(weight, bias);
  }

  /** z of the last forward batch. */
  public Matrix z() {
    return workspace.z;
  }

  /** a = f(z) of the last forward batch. */
  public Matrix a() {
    return workspace.a;
  }

  @Override
  public Matrix forward(Matrix x, boolean training) {
    return forward(x, training, 0, 0);
  }

  /**
   * The forward pass; in training with dropout, the mask is drawn from the key (seed, step). Returns a, or
   * in training with dropout the masked and scaled a.
   */
  Matrix forward(Matrix x, boolean training, long seed, long step) {
    x.requireShape(x.rows(), inputSize(), "input of dense layer " + weight.name());
    workspace.ensureBatch(x.rows());
    input = x;
    MatrixOps.matmulAddBias(x, weight.value(), bias.value(), workspace.z);
    activation.forward(workspace.z, workspace.a);
    dropped = training && dropout > 0;
    if (!dropped) {
      return workspace.a;
    }
    workspace.ensureMask();
    drawMask(SeededRandom.derive(seed, DROPOUT_STREAM, step, index), workspace.mask);
    MatrixOps.multiply(workspace.a, workspace.mask, workspace.output);
    return workspace.output;
  }

  /** Stream id of dropout masks under the training seed. */
  public static final long DROPOUT_STREAM = 4;

  private void drawMask(SeededRandom random, Matrix mask) {
    double keep = 1 - dropout;
    double scale = 1 / keep;
    for (int i = 0; i < mask.size(); i++) {
      mask.setFlat(i, random.nextDouble() < keep ? scale : 0);
    }
  }

  @Override
  public Matrix backward(Matrix gradOutput, boolean needInputGradient) {
    if (dropped) {
      MatrixOps.multiply(gradOutput, workspace.mask, gradOutput);
    }
    activation.backward(workspace.z, workspace.a, gradOutput, workspace.delta);
    return backwardFromDelta(workspace.delta, needInputGradient);
  }

  /**
   * The backward pass from delta = dC/dz directly (used when the loss fuses the output activation, as
   * softmax with cross-entropy: delta = a - y).
   */
  public Matrix backwardFromDelta(Matrix delta, boolean needInputGradient) {
    if (input == null) {
      throw new IllegalStateException("backward before forward on dense layer " + weight.name());
    }
    MatrixOps.matmulTransposeA(input, delta, weight.grad());
    MatrixOps.columnSums(delta, bias.grad());
    if (!needInputGradient) {
      return null;
    }
    MatrixOps.matmulTransposeB(delta, weight.value(), workspace.gradInput);
    return workspace.gradInput;
  }

  /** A workspace for delta of the current batch, for losses that write the output delta. */
  Matrix deltaBuffer() {
    return workspace.delta;
  }

  /**
   * Per-batch buffers for the current batch size, with those of the size before it kept aside: allocated only for
   * a size that is neither.
   */
  private static final class Workspace {
    private final DType dtype;
    private final int in;
    private final int out;
    private Matrix z;
    private Matrix a;
    private Matrix delta;
    private Matrix gradInput;
    private Matrix mask;
    private Matrix output;
    /** z, a, delta, gradInput, mask and output of the batch size before the current one, or null. */
    private Matrix[] spare;

    Workspace(DType dtype, int in, int out) {
      this.dtype = dtype;
      this.in = in;
      this.out = out;
    }

    void ensureBatch(int rows) {
      if (z != null && z.rows() == rows) {
        return;
      }
      // the buffers of the previous batch size are kept aside: an epoch's shorter last batch and the full ones
      // after it then swap buffers instead of allocating them twice an epoch (W3: about 21 MB an epoch)
      Matrix[] previous = z == null ? null : new Matrix[] {z, a, delta, gradInput, mask, output};
      if (spare != null && spare[0].rows() == rows) {
        z = spare[0];
        a = spare[1];
        delta = spare[2];
        gradInput = spare[3];
        mask = spare[4];
        output = spare[5];
      } else {
        z = Matrix.zeros(dtype, rows, out);
        a = Matrix.zeros(dtype, rows, out);
        delta = Matrix.zeros(dtype, rows, out);
        gradInput = Matrix.zeros(dtype, rows, in);
        mask = null;
        output = null;
      }
      spare = previous;
    }

    void ensureMask() {
      if (mask == null) {
        mask = Matrix.zeros(dtype, z.rows(), out);
        output = Matrix.zeros(dtype, z.rows(), out);
      }
    }
  }

  @Override
  public String toString() {
    return "Dense(" + inputSize() + " -> " + outputSize() + ", " + activation.name()
        + (dropout > 0 ? ", dropout " + dropout : "") + ")";
  }
}
