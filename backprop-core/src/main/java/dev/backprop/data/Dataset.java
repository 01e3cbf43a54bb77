package dev.backprop.data;

import dev.backprop.internal.kernel.Kernels;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.List;
import java.util.Objects;

/**
 * Labelled examples in memory: a float32 feature matrix (one row per example) and its targets.
 *
 * <p>For classification, {@code labels[i]} is the index of row i's class in {@link #classes()}, and
 * {@link #targets()} is the one-hot matrix of those labels. For regression, {@code targets} holds the values
 * (one column per output) and {@code labels} is null. Datasets are treated as immutable.
 *
 * <p>Images can be held compactly, one byte per pixel and a divisor ({@link #classificationFromBytes}): a
 * mini-batch is converted to float32 when it is gathered, and the whole float matrix exists only if someone
 * asks for {@link #features()} (Fashion-MNIST's training images: 47 MB instead of 188 MB).
 */
public final class Dataset {
  private final String source;
  private final List<String> featureNames;
  private final int rows;
  private final int featureCount;
  private Matrix features;
  private final byte[] bytes;
  private final float byteDivisor;
  private final Task task;
  private final List<String> classes;
  private final int[] labels;
  private final Matrix targets;

  private Dataset(String source, List<String> featureNames, Matrix features, Task task, List<String> classes,
      int[] labels, Matrix targets) {
    this(source, featureNames, features.rows(), features.cols(), features.requireDType(DType.FLOAT32, "features"),
        null, 0f, task, classes, labels, targets);
  }

  private Dataset(String source, List<String> featureNames, int rows, int featureCount, Matrix features,
      byte[] bytes, float byteDivisor, Task task, List<String> classes, int[] labels, Matrix targets) {
    this.source = Objects.requireNonNull(source, "source");
    this.featureNames = List.copyOf(featureNames);
    this.rows = rows;
    this.featureCount = featureCount;
    this.features = features;
    this.bytes = bytes;
    this.byteDivisor = byteDivisor;
    this.task = task;
    this.classes = classes == null ? List.of() : List.copyOf(classes);
    this.labels = labels;
    this.targets = targets;
    if (featureNames.size() != featureCount) {
      throw new IllegalArgumentException(
          featureNames.size() + " feature names for " + featureCount + " feature columns");
    }
    targets.requireShape(rows, targets.cols(), "targets");
  }

  /** A classification dataset; {@code labels[i]} indexes {@code classes}. */
  public static Dataset classification(String source, List<String> featureNames, Matrix features,
      List<String> classes, int[] labels) {
    if (labels.length != features.rows()) {
      throw new IllegalArgumentException(labels.length + " labels for " + features.rows() + " rows");
    }
    Matrix oneHot = Matrix.zeros(features.rows(), classes.size());
    float[] y = oneHot.floats();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes.size()) {
        throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is not a class index below "
            + classes.size());
      }
      y[i * classes.size() + labels[i]] = 1f;
    }
    return new Dataset(source, featureNames, features, Task.CLASSIFICATION, classes, labels.clone(), oneHot);
  }

  /**
   * A classification dataset whose features are unsigned bytes divided by {@code divisor} (pixels, with
   * divisor 255), kept as bytes: row i's features are {@code values[i * featureCount .. (i + 1) * featureCount)}.
   */
  public static Dataset classificationFromBytes(String source, List<String> featureNames, int rows, byte[] values,
      float divisor, List<String> classes, int[] labels) {
    int featureCount = featureNames.size();
    if ((long) rows * featureCount != values.length) {
      throw new IllegalArgumentException(values.length + " values for " + rows + " rows of " + featureCount);
    }
    if (labels.length != rows) {
      throw new IllegalArgumentException(labels.length + " labels for " + rows + " rows");
    }
    Dataset template = classification(source, List.of("x"), Matrix.zeros(rows, 1), classes, labels);
    return new Dataset(source, featureNames, rows, featureCount, null, values, divisor, Task.CLASSIFICATION,
        classes, template.labels, template.targets);
  }

  /** A regression dataset with one target column per output. */
  public static Dataset regression(String source, List<String> featureNames, Matrix features, Matrix targets) {
    return new Dataset(source, featureNames, features, Task.REGRESSION, null, null,
        targets.requireDType(DType.FLOAT32, "targets"));
  }

  /** Where the data came from: a file path or a built-in name. */
  public String source() {
    return source;
  }

  public List<String> featureNames() {
    return featureNames;
  }

  /**
   * The features, rows x featureCount, float32. Do not modify. For a dataset held as bytes, the float
   * matrix is built on the first call and kept.
   */
  public synchronized Matrix features() {
    if (features == null) {
      Matrix m = Matrix.zeros(rows, featureCount);
      float[] f = m.floats();
      for (int i = 0; i < f.length; i++) {
        f[i] = (bytes[i] & 0xff) / byteDivisor;
      }
      features = m;
    }
    return features;
  }

  public Task task() {
    return task;
  }

  /** Class names in output order; empty for regression. */
  public List<String> classes() {
    return classes;
  }

  /** A copy of the class index of every row; throws for regression. */
  public int[] labels() {
    if (labels == null) {
      throw new IllegalStateException("a regression dataset has no class labels");
    }
    return labels.clone();
  }

  /** Class index of row {@code i}. */
  public int label(int i) {
    return labels[i];
  }

  /** One-hot labels (classification) or target values (regression), rows x outputs. Do not modify. */
  public Matrix targets() {
    return targets;
  }

  public int size() {
    return rows;
  }

  public int featureCount() {
    return featureCount;
  }

  /** Width of the network's output: the number of classes, or of regression targets. */
  public int outputCount() {
    return targets.cols();
  }

  /** The rows listed in {@code rows}, in that order, as a new dataset. */
  public Dataset subset(int[] rows) {
    if (bytes != null) {
      byte[] picked = new byte[rows.length * featureCount];
      int[] l = new int[rows.length];
      for (int i = 0; i < rows.length; i++) {
        System.arraycopy(bytes, rows[i] * featureCount, picked, i * featureCount, featureCount);
        l[i] = labels[rows[i]];
      }
      return classificationFromBytes(source, featureNames, rows.length, picked, byteDivisor, classes, l);
    }
    Matrix x = Matrix.zeros(rows.length, featureCount());
    Matrix t = Matrix.zeros(rows.length, outputCount());
    gather(rows, 0, rows.length, x, t);
    if (task == Task.CLASSIFICATION) {
      int[] l = new int[rows.length];
      for (int i = 0; i < rows.length; i++) {
        l[i] = labels[rows[i]];
      }
      return new Dataset(source, featureNames, x, task, classes, l, t);
    }
    return new Dataset(source, featureNames, x, task, null, null, t);
  }

  /** The same rows with other features (e.g. scaled); the shape must not change. */
  public Dataset withFeatures(Matrix newFeatures) {
    newFeatures.requireShape(rows, featureCount, "new features");
    return new Dataset(source, featureNames, newFeatures, task, classes, labels, targets);
  }

  /**
   * Copies rows {@code order[from..to)} into the first {@code to - from} rows of {@code x} and {@code y}
   * (a mini-batch); x and y must have exactly that many rows.
   */
  public void gather(int[] order, int from, int to, Matrix x, Matrix y) {
    x.requireShape(to - from, featureCount(), "batch features");
    y.requireShape(to - from, outputCount(), "batch targets");
    gatherPart(order, from, to, x, y, 0);
  }

  /**
   * Copies rows {@code order[from..to)} into rows {@code firstRow ..} of {@code x} and {@code y}, which must
   * have this dataset's columns and room for them: a part of a mini-batch, so that parts can be gathered
   * side by side.
   */
  public void gatherPart(int[] order, int from, int to, Matrix x, Matrix y, int firstRow) {
    int n = to - from;
    int d = featureCount();
    int k = outputCount();
    if (firstRow < 0 || n < 0 || x.rows() < firstRow + n || y.rows() != x.rows()) {
      throw new IllegalArgumentException("rows " + firstRow + ".." + (firstRow + n) + " do not fit a batch of "
          + x.rows() + " feature rows and " + y.rows() + " target rows");
    }
    x.requireShape(x.rows(), d, "batch features");
    y.requireShape(y.rows(), k, "batch targets");
    float[] dst = x.floats();
    float[] tsrc = targets.floats();
    float[] tdst = y.floats();
    if (bytes != null) {
      Kernels.elementwise().gatherBytes(bytes, d, order, from, n, byteDivisor, dst, firstRow * d);
    }
    for (int i = 0; i < n; i++) {
      int row = order[from + i];
      if (bytes == null) {
        System.arraycopy(features.floats(), row * d, dst, (firstRow + i) * d, d);
      }
      System.arraycopy(tsrc, row * k, tdst, (firstRow + i) * k, k);
    }
  }
}
