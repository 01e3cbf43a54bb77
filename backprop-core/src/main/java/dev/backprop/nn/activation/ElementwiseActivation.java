package dev.backprop.nn.activation;

import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;

/**
 * An activation defined by a scalar function and its derivative, applied to every element.
 * Subclasses give {@link #value(double)} and {@link #derivative(double, double)}; the loops are here.
 */
public abstract class ElementwiseActivation implements Activation {
  private final String name;

  protected ElementwiseActivation(String name) {
    this.name = name;
  }

  @Override
  public final String name() {
    return name;
  }

  /** f(z). */
  public abstract double value(double z);

  /** f'(z), given also a = f(z) (sigmoid and tanh are cheaper from a). */
  public abstract double derivative(double z, double a);

  /**
   * a[i] = f(z[i]) for i in [0, n) on float32 arrays. Each subclass writes this loop itself, so that the
   * JIT compiles one tight loop per function instead of a call per element.
   */
  protected abstract void forward(float[] z, float[] a, int n);

  /** delta[i] = gradA[i] f'(z[i]) for i in [0, n) on float32 arrays, given a = f(z); see {@link #forward(float[], float[], int)}. */
  protected abstract void backward(float[] z, float[] a, float[] gradA, float[] delta, int n);

  @Override
  public void forward(Matrix z, Matrix a) {
    a.requireShape(z.rows(), z.cols(), name + " output");
    if (z.dtype() == DType.FLOAT32) {
      forward(z.floats(), a.floats(), z.size());
    } else {
      double[] zs = z.doubles();
      double[] as = a.doubles();
      for (int i = 0; i < zs.length; i++) {
        as[i] = value(zs[i]);
      }
    }
  }

  @Override
  public void backward(Matrix z, Matrix a, Matrix gradA, Matrix delta) {
    gradA.requireShape(z.rows(), z.cols(), name + " incoming gradient");
    delta.requireShape(z.rows(), z.cols(), name + " delta");
    if (z.dtype() == DType.FLOAT32) {
      backward(z.floats(), a.floats(), gradA.floats(), delta.floats(), z.size());
    } else {
      double[] zs = z.doubles();
      double[] as = a.doubles();
      double[] gs = gradA.doubles();
      double[] ds = delta.doubles();
      for (int i = 0; i < zs.length; i++) {
        ds[i] = gs[i] * derivative(zs[i], as[i]);
      }
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
