package dev.backprop.data;

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
 */
public final class Dataset {
  private final String source;
  private final List<String> featureNames;
  private final Matrix features;
  private final Task task;
  private final List<String> classes;
  private final int[] labels;
  private final Matrix targets;

  private Dataset(String source, List<String> featureNames, Matrix features, Task task, List<String> classes,
      int[] labels, Matrix targets) {
    this.source = Objects.requireNonNull(source, "source");
    this.featureNames = List.copyOf(featureNames);
    this.features = features.requireDType(DType.FLOAT32, "features");
    this.task = task;
    this.classes = classes == null ? List.of() : List.copyOf(classes);
    this.labels = labels;
    this.targets = targets;
    if (featureNames.size() != features.cols()) {
      throw new IllegalArgumentException(
          featureNames.size() + " feature names for " + features.cols() + " feature columns");
    }
    targets.requireShape(features.rows(), targets.cols(), "targets");
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

  /** The features, rows x featureCount, float32. Do not modify. */
  public Matrix features() {
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
    return features.rows();
  }

  public int featureCount() {
    return features.cols();
  }

  /** Width of the network's output: the number of classes, or of regression targets. */
  public int outputCount() {
    return targets.cols();
  }

  /** The rows listed in {@code rows}, in that order, as a new dataset. */
  public Dataset subset(int[] rows) {
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
    newFeatures.requireShape(features.rows(), features.cols(), "new features");
    return new Dataset(source, featureNames, newFeatures, task, classes, labels, targets);
  }

  /**
   * Copies rows {@code order[from..to)} into the first {@code to - from} rows of {@code x} and {@code y}
   * (a mini-batch); x and y must have exactly that many rows.
   */
  public void gather(int[] order, int from, int to, Matrix x, Matrix y) {
    int n = to - from;
    int d = featureCount();
    int k = outputCount();
    x.requireShape(n, d, "batch features");
    y.requireShape(n, k, "batch targets");
    float[] src = features.floats();
    float[] dst = x.floats();
    float[] tsrc = targets.floats();
    float[] tdst = y.floats();
    for (int i = 0; i < n; i++) {
      int row = order[from + i];
      System.arraycopy(src, row * d, dst, i * d, d);
      System.arraycopy(tsrc, row * k, tdst, i * k, k);
    }
  }
}
