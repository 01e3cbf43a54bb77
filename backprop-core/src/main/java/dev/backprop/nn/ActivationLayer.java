package dev.backprop.nn;

import dev.backprop.nn.activation.Activation;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.Objects;

/** a = f(z) after a dense layer; backward turns dC/da into delta = dC/dz (the seed's dC/da (.) f'(z)). */
public final class ActivationLayer implements Layer {
  private final Activation activation;
  private final int units;
  private final BatchBuffers buffers;
  private Matrix z;
  private Matrix a;

  public ActivationLayer(Activation activation, int units, DType dtype) {
    this.activation = Objects.requireNonNull(activation, "activation");
    this.units = units;
    this.buffers = new BatchBuffers(dtype, units, units);
  }

  public Activation activation() {
    return activation;
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
    z = x;
    a = buffers.forRows(x.rows())[0];
    activation.forward(z, a);
    return a;
  }

  @Override
  public Matrix backward(Matrix gradOutput, boolean needInputGradient) {
    if (z == null) {
      throw new IllegalStateException("backward before forward on " + this);
    }
    Matrix delta = buffers.forRows(z.rows())[1];
    activation.backward(z, a, gradOutput, delta);
    return delta;
  }

  @Override
  public String toString() {
    return "Activation(" + activation.name() + ", " + units + ")";
  }
}
