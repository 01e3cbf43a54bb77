package dev.backprop.data;

import dev.backprop.internal.EnumIds;
import dev.backprop.tensor.Matrix;

/**
 * Feature scaling fitted on the training rows and stored in the model: x' = (x - offset) / scale, per
 * feature.
 * <ul>
 *   <li>{@code standard}: offset = mean, scale = population standard deviation (as scikit-learn's
 *       StandardScaler); a constant feature gets scale 1, so it becomes 0.
 *   <li>{@code minmax}: offset = minimum, scale = maximum - minimum, mapping the training range to [0, 1];
 *       a constant feature gets scale 1.
 *   <li>{@code none}: offset 0, scale 1.
 * </ul>
 */
public record Normalization(Kind kind, double[] offset, double[] scale) {
  /** The kinds of scaling. */
  public enum Kind {
    NONE,
    STANDARD,
    MINMAX;

    public String id() {
      return EnumIds.id(this);
    }

    /** The kind whose {@link #id()} is {@code id}; throws InvalidSettingException listing every id. */
    public static Kind parse(String id) {
      return EnumIds.parse(Kind.class, "normalization", id);
    }
  }

  public Normalization {
    if (offset.length != scale.length) {
      throw new IllegalArgumentException(offset.length + " offsets but " + scale.length + " scales");
    }
    for (int j = 0; j < scale.length; j++) {
      if (!Double.isFinite(offset[j]) || !Double.isFinite(scale[j]) || scale[j] <= 0) {
        throw new IllegalArgumentException("feature " + j + " has offset " + offset[j] + " and scale " + scale[j]
            + "; both must be finite and the scale positive");
      }
    }
    offset = offset.clone();
    scale = scale.clone();
  }

  /** The identity scaling for {@code features} columns. */
  public static Normalization none(int features) {
    double[] ones = new double[features];
    java.util.Arrays.fill(ones, 1.0);
    return new Normalization(Kind.NONE, new double[features], ones);
  }

  /** Fits {@code kind} on the rows of {@code features}. */
  public static Normalization fit(Kind kind, Matrix features) {
    int n = features.rows();
    int d = features.cols();
    if (kind == Kind.NONE || n == 0) {
      return none(d);
    }
    double[] offset = new double[d];
    double[] scale = new double[d];
    // Row by row, every column's sum kept apart: each column adds its values in row order as a loop per column
    // would, while the matrix is read in its own order (a loop per column read it once per column, twice).
    if (kind == Kind.STANDARD) {
      double[] mean = new double[d];
      double[] var = new double[d];
      if (features.dtype() == dev.backprop.tensor.DType.FLOAT32) {
        // the same sums from the array itself: a large table's fit runs mostly before the JIT has compiled it, where
        // a call per element cost more than the arithmetic
        float[] x = features.floats();
        for (int i = 0; i < n; i++) {
          for (int j = 0, at = i * d; j < d; j++) {
            mean[j] += x[at + j];
          }
        }
        for (int j = 0; j < d; j++) {
          mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
          for (int j = 0, at = i * d; j < d; j++) {
            double dv = x[at + j] - mean[j];
            var[j] += dv * dv;
          }
        }
      } else {
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < d; j++) {
            mean[j] += features.get(i, j);
          }
        }
        for (int j = 0; j < d; j++) {
          mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < d; j++) {
            double dv = features.get(i, j) - mean[j];
            var[j] += dv * dv;
          }
        }
      }
      for (int j = 0; j < d; j++) {
        double std = Math.sqrt(var[j] / n);
        offset[j] = mean[j];
        scale[j] = std > 1e-12 ? std : 1.0;
      }
    } else {
      double[] min = new double[d];
      double[] max = new double[d];
      java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
      java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++) {
          double v = features.get(i, j);
          min[j] = Math.min(min[j], v);
          max[j] = Math.max(max[j], v);
        }
      }
      for (int j = 0; j < d; j++) {
        offset[j] = min[j];
        scale[j] = max[j] - min[j] > 1e-12 ? max[j] - min[j] : 1.0;
      }
    }
    return new Normalization(kind, offset, scale);
  }

  /** A new float32 matrix with every feature scaled. */
  public Matrix apply(Matrix features) {
    if (features.cols() != offset.length) {
      throw new IllegalArgumentException("the data has " + features.cols() + " features, the scaling was fitted on "
          + offset.length);
    }
    Matrix out = Matrix.zeros(features.rows(), features.cols());
    int d = offset.length;
    float[] o = out.floats();
    for (int i = 0; i < features.rows(); i++) {
      for (int j = 0; j < d; j++) {
        o[i * d + j] = (float) ((features.get(i, j) - offset[j]) / scale[j]);
      }
    }
    return out;
  }

  /**
   * Rows [from, from + out.rows()) of {@code features}, scaled into {@code out} (float32), with the arithmetic of
   * {@link #apply(Matrix)}.
   */
  public void apply(Matrix features, int from, Matrix out) {
    int d = offset.length;
    if (features.cols() != d || out.cols() != d) {
      throw new IllegalArgumentException("the data has " + features.cols() + " features, the scaling was fitted on "
          + d);
    }
    float[] o = out.floats();
    for (int i = 0; i < out.rows(); i++) {
      for (int j = 0; j < d; j++) {
        o[i * d + j] = (float) ((features.get(from + i, j) - offset[j]) / scale[j]);
      }
    }
  }

  /**
   * Scales a float32 matrix in place, with the arithmetic of {@link #apply(Matrix)}, on several threads: for the
   * owner of a large matrix that has no further use for it unscaled, which then needs no second copy.
   */
  public void applyInPlace(Matrix features) {
    int d = offset.length;
    if (features.cols() != d) {
      throw new IllegalArgumentException("the data has " + features.cols() + " features, the scaling was fitted on "
          + d);
    }
    float[] x = features.requireDType(dev.backprop.tensor.DType.FLOAT32, "features").floats();
    int rows = features.rows();
    int block = 4096;
    Tasks.run(Math.max(1, (rows + block - 1) / block), b -> {
      for (int i = b * block; i < Math.min(rows, (b + 1) * block); i++) {
        for (int j = 0; j < d; j++) {
          x[i * d + j] = (float) ((x[i * d + j] - offset[j]) / scale[j]);
        }
      }
    });
  }

  /** The dataset with its features scaled. */
  public Dataset apply(Dataset data) {
    return kind == Kind.NONE ? data : data.withFeatures(apply(data.features()));
  }
}
