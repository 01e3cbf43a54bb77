package dev.backprop.nn;

import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import dev.backprop.tensor.MatrixOps;
import java.util.List;

/**
 * A fully connected layer, in the seed's notation and layout (its activation is the next layer):
 * <pre>
 *   forward   z = a_prev W + b                       a_prev: batch x in, W: in x out, b: 1 x out
 *   backward  given delta = dC/dz:
 *             dW = a_prev^T delta,  db = sum of delta over the batch,  dC/da_prev = delta W^T
 * </pre>
 * The model file stores W transposed (out x in, as PyTorch's nn.Linear).
 */
public final class Dense implements Layer {
  private final Parameter weight;
  private final Parameter bias;
  private final int index;
  private final BatchBuffers buffers;
  private Matrix input;

  /**
   * @param index position among the network's dense layers; names the parameters {@code layers.N.weight}
   * @param weights the initial W, in x out (taken over, not copied)
   * @param biases the initial b, 1 x out (taken over, not copied)
   */
  public Dense(int index, Matrix weights, Matrix biases) {
    biases.requireShape(1, weights.cols(), "bias of dense layer " + index);
    if (weights.dtype() != biases.dtype()) {
      throw new IllegalArgumentException("weights and biases of dense layer " + index + " differ in type");
    }
    this.index = index;
    this.weight = new Parameter("layers." + index + ".weight", weights);
    this.bias = new Parameter("layers." + index + ".bias", biases);
    this.buffers = new BatchBuffers(weights.dtype(), weights.cols(), weights.rows());
  }

  /** The position among the network's dense layers. */
  public int index() {
    return index;
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

  /** z = x W + b. */
  @Override
  public Matrix forward(Matrix x, Pass pass) {
    x.requireShape(x.rows(), inputSize(), "input of dense layer " + weight.name());
    input = x;
    Matrix z = buffers.forRows(x.rows())[0];
    MatrixOps.matmulAddBias(x, weight.value(), bias.value(), z);
    return z;
  }

  /** From delta = dC/dz: dW = x^T delta, db = the column sums of delta, and dC/dx = delta W^T when asked. */
  @Override
  public Matrix backward(Matrix delta, boolean needInputGradient) {
    if (input == null) {
      throw new IllegalStateException("backward before forward on dense layer " + weight.name());
    }
    MatrixOps.matmulTransposeA(input, delta, weight.grad());
    MatrixOps.columnSums(delta, bias.grad());
    if (!needInputGradient) {
      return null;
    }
    Matrix gradInput = buffers.forRows(delta.rows())[1];
    MatrixOps.matmulTransposeB(delta, weight.value(), gradInput);
    return gradInput;
  }

  @Override
  public String toString() {
    return "Dense(" + inputSize() + " -> " + outputSize() + ")";
  }
}
