package dev.backprop.tensor;

import dev.backprop.internal.kernel.Kernels;
import dev.backprop.internal.kernel.ScalarKernels;

/**
 * The numeric operations of backpropagation on {@link Matrix}, with explicit outputs.
 *
 * <p>Every method checks shapes and element types first and throws a {@link ShapeMismatchException} that
 * gives the actual and expected shapes; then it writes only its {@code out} argument. {@code out} must not
 * alias an input unless the method says so.
 */
public final class MatrixOps {
  private MatrixOps() {}

  /** out = a b: the forward product Z = X W ([m x k] [k x n] = [m x n]). */
  public static Matrix matmul(Matrix a, Matrix b, Matrix out) {
    if (a.cols() != b.rows()) {
      throw new ShapeMismatchException("matmul a b: a is " + a.shape() + ", b is " + b.shape()
          + "; b must have " + a.cols() + " rows (a's columns)");
    }
    out.requireShape(a.rows(), b.cols(), "matmul output");
    DType t = sameType(a, b, out);
    if (t == DType.FLOAT32) {
      Kernels.products().matmul(a.floats(), b.floats(), null, out.floats(), a.rows(), a.cols(), b.cols());
    } else {
      ScalarKernels.matmul(a.doubles(), b.doubles(), out.doubles(), a.rows(), a.cols(), b.cols());
    }
    return out;
  }

  /** out = a b + bias on every row: the forward pre-activation Z = X W + b in one pass; bias is [1 x n]. */
  public static Matrix matmulAddBias(Matrix a, Matrix b, Matrix bias, Matrix out) {
    bias.requireShape(1, b.cols(), "bias row");
    if (a.dtype() != DType.FLOAT32 || bias.dtype() != DType.FLOAT32) {
      return addRowVector(matmul(a, b, out), bias);
    }
    if (a.cols() != b.rows()) {
      throw new ShapeMismatchException("matmul a b: a is " + a.shape() + ", b is " + b.shape()
          + "; b must have " + a.cols() + " rows (a's columns)");
    }
    out.requireShape(a.rows(), b.cols(), "matmul output");
    sameType(a, b, out);
    Kernels.products().matmul(a.floats(), b.floats(), bias.floats(), out.floats(), a.rows(), a.cols(), b.cols());
    return out;
  }

  /** out = a^T b: the weight gradient dW = A^T delta ([k x m]^T [k x n] = [m x n]). */
  public static Matrix matmulTransposeA(Matrix a, Matrix b, Matrix out) {
    if (a.rows() != b.rows()) {
      throw new ShapeMismatchException("matmul a^T b: a is " + a.shape() + ", b is " + b.shape()
          + "; both must have the same number of rows");
    }
    out.requireShape(a.cols(), b.cols(), "matmul a^T b output");
    DType t = sameType(a, b, out);
    if (t == DType.FLOAT32) {
      Kernels.products().matmulTransposeA(a.floats(), b.floats(), out.floats(), a.cols(), a.rows(), b.cols());
    } else {
      ScalarKernels.matmulTransposeA(a.doubles(), b.doubles(), out.doubles(), a.cols(), a.rows(), b.cols());
    }
    return out;
  }

  /** out = a b^T: the backward product delta W^T ([m x k] [n x k]^T = [m x n]). */
  public static Matrix matmulTransposeB(Matrix a, Matrix b, Matrix out) {
    if (a.cols() != b.cols()) {
      throw new ShapeMismatchException("matmul a b^T: a is " + a.shape() + ", b is " + b.shape()
          + "; both must have the same number of columns");
    }
    out.requireShape(a.rows(), b.rows(), "matmul a b^T output");
    DType t = sameType(a, b, out);
    if (t == DType.FLOAT32) {
      Kernels.products().matmulTransposeB(a.floats(), b.floats(), out.floats(), a.rows(), a.cols(), b.rows());
    } else {
      ScalarKernels.matmulTransposeB(a.doubles(), b.doubles(), out.doubles(), a.rows(), a.cols(), b.rows());
    }
    return out;
  }

  /** a += bias on every row, in place; bias is [1 x n]. */
  public static Matrix addRowVector(Matrix a, Matrix bias) {
    bias.requireShape(1, a.cols(), "bias row");
    DType t = sameType(a, bias, a);
    if (t == DType.FLOAT32) {
      ScalarKernels.addRowVector(a.floats(), bias.floats(), a.rows(), a.cols());
    } else {
      ScalarKernels.addRowVector(a.doubles(), bias.doubles(), a.rows(), a.cols());
    }
    return a;
  }

  /** out[1 x n] = the column sums of a [m x n]: the bias gradient db = sum of delta over the batch. */
  public static Matrix columnSums(Matrix a, Matrix out) {
    out.requireShape(1, a.cols(), "column sums output");
    DType t = sameType(a, out, out);
    if (t == DType.FLOAT32) {
      Kernels.elementwise().columnSums(a.floats(), out.floats(), a.rows(), a.cols());
    } else {
      ScalarKernels.columnSums(a.doubles(), out.doubles(), a.rows(), a.cols());
    }
    return out;
  }

  /** y += alpha x, element-wise, in place on y (same shapes). */
  public static Matrix axpy(double alpha, Matrix x, Matrix y) {
    x.requireShape(y.rows(), y.cols(), "axpy x");
    if (sameType(x, y, y) == DType.FLOAT32) {
      Kernels.elementwise().axpy((float) alpha, x.floats(), y.floats());
    } else {
      double[] xs = x.doubles();
      double[] ys = y.doubles();
      for (int i = 0; i < ys.length; i++) {
        ys[i] += alpha * xs[i];
      }
    }
    return y;
  }

  /** out = a - b, element-wise (out may alias a or b). */
  public static Matrix subtract(Matrix a, Matrix b, Matrix out) {
    b.requireShape(a.rows(), a.cols(), "subtrahend");
    out.requireShape(a.rows(), a.cols(), "difference output");
    if (sameType(a, b, out) == DType.FLOAT32) {
      float[] as = a.floats();
      float[] bs = b.floats();
      float[] os = out.floats();
      for (int i = 0; i < os.length; i++) {
        os[i] = as[i] - bs[i];
      }
    } else {
      double[] as = a.doubles();
      double[] bs = b.doubles();
      double[] os = out.doubles();
      for (int i = 0; i < os.length; i++) {
        os[i] = as[i] - bs[i];
      }
    }
    return out;
  }

  /** out = a (.) b, the element-wise product (out may alias a or b). */
  public static Matrix multiply(Matrix a, Matrix b, Matrix out) {
    b.requireShape(a.rows(), a.cols(), "factor");
    out.requireShape(a.rows(), a.cols(), "product output");
    if (sameType(a, b, out) == DType.FLOAT32) {
      float[] as = a.floats();
      float[] bs = b.floats();
      float[] os = out.floats();
      for (int i = 0; i < os.length; i++) {
        os[i] = as[i] * bs[i];
      }
    } else {
      double[] as = a.doubles();
      double[] bs = b.doubles();
      double[] os = out.doubles();
      for (int i = 0; i < os.length; i++) {
        os[i] = as[i] * bs[i];
      }
    }
    return out;
  }

  /** a *= alpha, element-wise, in place. */
  public static Matrix scale(Matrix a, double alpha) {
    if (a.dtype() == DType.FLOAT32) {
      float[] as = a.floats();
      float fa = (float) alpha;
      for (int i = 0; i < as.length; i++) {
        as[i] *= fa;
      }
    } else {
      double[] as = a.doubles();
      for (int i = 0; i < as.length; i++) {
        as[i] *= alpha;
      }
    }
    return a;
  }

  private static DType sameType(Matrix a, Matrix b, Matrix out) {
    if (a.dtype() != b.dtype() || a.dtype() != out.dtype()) {
      throw new IllegalArgumentException("element types differ: " + a.dtype() + ", " + b.dtype() + ", output "
          + out.dtype() + "; convert with Matrix.to(DType) first");
    }
    return a.dtype();
  }
}
