package dev.backprop.nn;

import dev.backprop.SeededRandom;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import dev.backprop.tensor.MatrixOps;

/**
 * Inverted dropout, as PyTorch's nn.Dropout: a training pass zeroes each input independently with probability p
 * and scales the survivors by 1 / (1 - p), so evaluation passes the input as it is.
 *
 * <p>The mask of a training pass comes from {@code SeededRandom.derive(pass.seed(), STREAM, pass.step(), layer)},
 * {@code layer} being the index of the dense layer whose outputs are dropped: the same pass draws the same mask in
 * any process. A pass over shard k of a sharded step draws from {@code derive(seed, STREAM, step, layer, k)}, so
 * that a shard's masks depend on where its rows are in the step, not on which worker runs it.
 */
public final class Dropout implements Layer {
  /** Stream id of dropout masks under the training seed. */
  public static final long STREAM = 4;

  private final double rate;
  private final int units;
  private final int layer;
  private final BatchBuffers buffers;
  private Matrix mask;

  /**
   * @param rate the probability of dropping an input, in [0, 1)
   * @param units the width of the input
   * @param layer the index of the dense layer whose outputs this drops (keys the masks)
   */
  public Dropout(double rate, int units, int layer, DType dtype) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("dropout after dense layer " + layer + " must be in [0, 1), got " + rate);
    }
    this.rate = rate;
    this.units = units;
    this.layer = layer;
    this.buffers = new BatchBuffers(dtype, units, units);
  }

  /** The probability that a training pass drops an input. */
  public double rate() {
    return rate;
  }

  @Override
  public int inputSize() {
    return units;
  }

  @Override
  public int outputSize() {
    return units;
  }

  @Override
  public Matrix forward(Matrix x, Pass pass) {
    if (!pass.training() || rate == 0) {
      mask = null;
      return x;
    }
    Matrix[] b = buffers.forRows(x.rows());
    mask = b[0];
    drawMask(pass.shard() == Pass.WHOLE_BATCH ? SeededRandom.derive(pass.seed(), STREAM, pass.step(), layer)
        : SeededRandom.derive(pass.seed(), STREAM, pass.step(), layer, pass.shard()), mask);
    MatrixOps.multiply(x, mask, b[1]);
    return b[1];
  }

  private void drawMask(SeededRandom random, Matrix m) {
    double keep = 1 - rate;
    double scale = 1 / keep;
    for (int i = 0; i < m.size(); i++) {
      m.setFlat(i, random.nextDouble() < keep ? scale : 0);
    }
  }

  @Override
  public Matrix backward(Matrix gradOutput, boolean needInputGradient) {
    if (mask != null) {
      MatrixOps.multiply(gradOutput, mask, gradOutput);
    }
    return gradOutput;
  }

  @Override
  public String toString() {
    return "Dropout(" + rate + ")";
  }
}
