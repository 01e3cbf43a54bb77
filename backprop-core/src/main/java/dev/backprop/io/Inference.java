package dev.backprop.io;

import dev.backprop.data.Normalization;
import dev.backprop.internal.kernel.InferenceKernels;
import dev.backprop.internal.kernel.InferenceKernels.PackedDense;
import dev.backprop.internal.kernel.Kernels;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activation;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.List;

/**
 * A float32 network's prediction path: each dense layer's W and b packed once ({@link InferenceKernels}), read by
 * every thread, and per thread the scaled input and each layer's z, kept for batches of up to {@link #KEPT_ROWS}
 * rows. Dropout is off, as in evaluation. Rows are independent, so chunks and threads do not change the results.
 */
final class Inference {
  /** Rows per pass, to bound the memory of predicting a large dataset. */
  static final int CHUNK_ROWS = 2048;
  /** Batches up to this size reuse their thread's buffers; larger ones, whose products dwarf an allocation, do not. */
  private static final int KEPT_ROWS = 256;

  private final InferenceKernels kernels;
  private final PackedDense[] layers;
  private final Activation[] activations;
  private final Normalization normalization;
  private final double[] offset;
  private final double[] scale;
  private final ThreadLocal<Buffers> kept = new ThreadLocal<>();

  Inference(Network network, Normalization normalization) {
    this.kernels = Kernels.inference();
    List<Network.Block> blocks = network.blocks();
    this.layers = new PackedDense[blocks.size()];
    this.activations = new Activation[blocks.size()];
    for (int l = 0; l < layers.length; l++) {
      Network.Block b = blocks.get(l);
      Matrix w = b.dense().weight().value();
      layers[l] = kernels.pack(w.floats(), b.dense().bias().value().floats(), w.rows(), w.cols());
      activations[l] = b.activation();
    }
    this.normalization = normalization;
    this.offset = normalization.offset().clone();
    this.scale = normalization.scale().clone();
  }

  /** The outputs for raw feature rows, in a new matrix. */
  Matrix predict(Matrix features) {
    int n = features.rows();
    int outputs = layers[layers.length - 1].outputSize();
    Matrix out = Matrix.zeros(n, outputs);
    for (int from = 0; from < n || from == 0; from += CHUNK_ROWS) {
      int rows = Math.min(CHUNK_ROWS, n - from);
      Buffers b = buffers(rows);
      if (features.dtype() == DType.FLOAT32) {
        kernels.scale(features.floats(), from, rows, offset, scale, b.x.floats());
      } else {
        normalization.apply(features, from, b.x);
      }
      Matrix z = logits(b);
      Matrix a = n <= CHUNK_ROWS ? out : Matrix.zeros(rows, outputs);
      activations[layers.length - 1].forward(z, a);
      if (a != out) {
        System.arraycopy(a.floats(), 0, out.floats(), from * outputs, a.size());
      }
      if (n == 0) {
        break;
      }
    }
    return out;
  }

  /** z of the output block for rows of scaled features: a workspace of this thread, valid until its next call. */
  Matrix logits(Matrix scaled) {
    Buffers b = buffers(scaled.rows());
    System.arraycopy(scaled.floats(), 0, b.x.floats(), 0, scaled.size());
    return logits(b);
  }

  private Matrix logits(Buffers b) {
    Matrix a = b.x;
    for (int l = 0; l < layers.length; l++) {
      Matrix z = b.z[l];
      kernels.forward(layers[l], a.floats(), z.rows(), z.floats());
      if (l < layers.length - 1) {
        activations[l].forward(z, z);
      }
      a = z;
    }
    return a;
  }

  private Buffers buffers(int rows) {
    Buffers b = kept.get();
    if (b != null && b.rows() == rows) {
      return b;
    }
    b = new Buffers(rows, layers);
    if (rows <= KEPT_ROWS) {
      kept.set(b);
    }
    return b;
  }

  /** One thread's scaled input and the z of each layer, for batches of one size. */
  private static final class Buffers {
    final Matrix x;
    final Matrix[] z;

    Buffers(int rows, PackedDense[] layers) {
      x = Matrix.zeros(rows, layers[0].inputSize());
      z = new Matrix[layers.length];
      for (int l = 0; l < layers.length; l++) {
        z[l] = Matrix.zeros(rows, layers[l].outputSize());
      }
    }

    int rows() {
      return x.rows();
    }
  }
}
