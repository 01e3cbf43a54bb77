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
    for (int j = 0; j < d; j++) {
      if (kind == Kind.STANDARD) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
          mean += features.get(i, j);
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
          double dv = features.get(i, j) - mean;
          var += dv * dv;
        }
        double std = Math.sqrt(var / n);
        offset[j] = mean;
        scale[j] = std > 1e-12 ? std : 1.0;
      } else {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
          double v = features.get(i, j);
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        offset[j] = min;
        scale[j] = max - min > 1e-12 ? max - min : 1.0;
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

  /** The dataset with its features scaled. */
  public Dataset apply(Dataset data) {
    return kind == Kind.NONE ? data : data.withFeatures(apply(data.features()));
  }
}
