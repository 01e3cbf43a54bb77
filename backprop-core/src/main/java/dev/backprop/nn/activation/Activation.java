package dev.backprop.nn.activation;

import dev.backprop.tensor.Matrix;

/**
 * An activation function f applied to a layer's pre-activation: a = f(z).
 *
 * <p>{@link #backward} turns the gradient of the cost with respect to the activation, dC/dA, into the
 * layer's delta = dC/dZ. For the element-wise functions that is the seed's delta = dC/dA (.) f'(z); softmax
 * mixes a row and applies its Jacobian. Shapes: z, a, gradA and delta are all batch x units.
 */
public interface Activation {
  /** The name used on the command line and in model files, e.g. {@code "sigmoid"}. */
  String name();

  /** a = f(z); {@code a} may be {@code z} itself. */
  void forward(Matrix z, Matrix a);

  /**
   * delta = dC/dZ from gradA = dC/dA, given z and a = f(z) of the same forward pass; {@code delta} may be
   * {@code gradA} itself.
   */
  void backward(Matrix z, Matrix a, Matrix gradA, Matrix delta);

  /** Whether f maps each element on its own (every activation but softmax). */
  default boolean elementwise() {
    return true;
  }
}
