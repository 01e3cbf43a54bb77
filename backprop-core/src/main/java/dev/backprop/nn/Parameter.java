package dev.backprop.nn;

import dev.backprop.tensor.Matrix;

/**
 * A trainable tensor and the gradient of the cost with respect to it, of the same shape.
 *
 * <p>The name is the one in the model file, e.g. {@code layers.0.weight}. The layer that owns the parameter
 * writes {@link #grad()} in its backward pass; an optimizer reads it and updates {@link #value()}.
 */
public final class Parameter {
  private final String name;
  private final Matrix value;
  private final Matrix grad;

  public Parameter(String name, Matrix value) {
    this.name = name;
    this.value = value;
    this.grad = value.zerosLike();
  }

  public String name() {
    return name;
  }

  public Matrix value() {
    return value;
  }

  public Matrix grad() {
    return grad;
  }

  @Override
  public String toString() {
    return name + " " + value.shape();
  }
}
