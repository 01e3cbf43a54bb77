package dev.backprop.train;

import dev.backprop.data.Dataset;
import dev.backprop.data.Task;
import dev.backprop.loss.Loss;
import dev.backprop.metrics.ClassificationMetrics;
import dev.backprop.metrics.RegressionMetrics;
import dev.backprop.nn.Network;
import dev.backprop.nn.Pass;
import dev.backprop.tensor.Matrix;

/**
 * A network's loss (per sample) and metrics on a labelled dataset, computed in evaluation mode.
 * Exactly one of {@code classification} and {@code regression} is set, after the dataset's task.
 */
public record Evaluation(int rows, double loss, ClassificationMetrics classification, RegressionMetrics regression) {
  /** Rows per forward pass, to bound the memory of evaluating a large dataset. */
  private static final int CHUNK_ROWS = 2048;

  /** Evaluates {@code network} under {@code loss} on every row of {@code data}, one forward pass per chunk of rows. */
  public static Evaluation of(Network network, Loss loss, Dataset data) {
    Objective objective = Objective.of(loss, network);
    int n = data.size();
    int outputs = network.outputSize();
    Matrix predictions = Matrix.zeros(n, outputs);
    double lossSum = 0;
    for (int from = 0; from < n; from += CHUNK_ROWS) {
      int to = Math.min(n, from + CHUNK_ROWS);
      int[] rows = range(from, to);
      Matrix x = Matrix.zeros(to - from, data.featureCount());
      Matrix y = Matrix.zeros(to - from, data.outputCount());
      data.gather(rows, 0, rows.length, x, y);
      double value = objective.value(network, x, y, Pass.INFERENCE);
      Matrix a = objective.outputs();
      System.arraycopy(a.floats(), 0, predictions.floats(), from * outputs, a.size());
      lossSum += loss.batchTotal(value, to - from);
    }
    double mean = n == 0 ? Double.NaN : lossSum / n;
    if (data.task() == Task.CLASSIFICATION) {
      return new Evaluation(n, mean, ClassificationMetrics.of(data.labels(), argmax(predictions), data.classes()),
          null);
    }
    return new Evaluation(n, mean, null, RegressionMetrics.of(data.targets(), predictions));
  }

  /** The network's outputs for every row of {@code features}, in chunks. */
  public static Matrix predict(Network network, Matrix features) {
    int n = features.rows();
    int d = features.cols();
    Matrix out = Matrix.zeros(n, network.outputSize());
    for (int from = 0; from < n; from += CHUNK_ROWS) {
      int to = Math.min(n, from + CHUNK_ROWS);
      Matrix x = Matrix.zeros(to - from, d);
      System.arraycopy(features.floats(), from * d, x.floats(), 0, (to - from) * d);
      Matrix a = network.forward(x, Pass.INFERENCE);
      for (int i = 0; i < a.size(); i++) {
        out.setFlat(from * network.outputSize() + i, a.getFlat(i));
      }
    }
    return out;
  }

  /** The index of the largest value of each row (the first one on ties). */
  public static int[] argmax(Matrix outputs) {
    int[] best = new int[outputs.rows()];
    for (int r = 0; r < outputs.rows(); r++) {
      best[r] = argmax(outputs, r);
    }
    return best;
  }

  /** The index of the largest value of row r (the first one on ties; 0 when no value is above minus infinity). */
  public static int argmax(Matrix outputs, int r) {
    int best = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < outputs.cols(); c++) {
      double v = outputs.get(r, c);
      if (v > max) {
        max = v;
        best = c;
      }
    }
    return best;
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }

  /** Accuracy for classification, NaN for regression. */
  public double accuracy() {
    return classification == null ? Double.NaN : classification.accuracy();
  }
}
