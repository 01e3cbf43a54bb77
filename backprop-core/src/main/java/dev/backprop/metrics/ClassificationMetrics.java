package dev.backprop.metrics;

import java.util.List;

/**
 * Accuracy, the confusion matrix and per-class precision, recall and F1 of class predictions.
 *
 * <p>{@code confusion[t][p]} counts the rows of true class t predicted as p (rows = true class, in the
 * model's class order). Precision, recall or F1 whose denominator is zero is reported as 0, as
 * scikit-learn does with {@code zero_division=0}.
 */
public record ClassificationMetrics(List<String> classes, long[][] confusion, double accuracy,
    double[] precision, double[] recall, double[] f1) {

  /** The metrics of {@code predicted} against {@code truth} (class indices into {@code classes}). */
  public static ClassificationMetrics of(int[] truth, int[] predicted, List<String> classes) {
    if (truth.length != predicted.length) {
      throw new IllegalArgumentException(truth.length + " true labels but " + predicted.length + " predictions");
    }
    int k = classes.size();
    long[][] confusion = new long[k][k];
    for (int i = 0; i < truth.length; i++) {
      confusion[truth[i]][predicted[i]]++;
    }
    return fromConfusion(classes, confusion);
  }

  /** The metrics of a confusion matrix ({@code confusion[t][p]}, classes x classes). */
  public static ClassificationMetrics fromConfusion(List<String> classes, long[][] confusion) {
    int k = classes.size();
    if (confusion.length != k) {
      throw new IllegalArgumentException("a confusion matrix of " + k + " classes needs " + k + " rows, got "
          + confusion.length);
    }
    long correct = 0;
    long total = 0;
    for (int t = 0; t < k; t++) {
      if (confusion[t].length != k) {
        throw new IllegalArgumentException("confusion row " + t + " has " + confusion[t].length + " cells, expected "
            + k);
      }
      correct += confusion[t][t];
      for (long count : confusion[t]) {
        total += count;
      }
    }
    double[] precision = new double[k];
    double[] recall = new double[k];
    double[] f1 = new double[k];
    for (int c = 0; c < k; c++) {
      long tp = confusion[c][c];
      long predictedC = 0;
      long actualC = 0;
      for (int o = 0; o < k; o++) {
        predictedC += confusion[o][c];
        actualC += confusion[c][o];
      }
      precision[c] = ratio(tp, predictedC);
      recall[c] = ratio(tp, actualC);
      double sum = precision[c] + recall[c];
      f1[c] = sum == 0 ? 0 : 2 * precision[c] * recall[c] / sum;
    }
    double accuracy = total == 0 ? 0 : (double) correct / total;
    return new ClassificationMetrics(List.copyOf(classes), confusion, accuracy, precision, recall, f1);
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? 0 : (double) numerator / denominator;
  }

  /** The unweighted mean of the per-class F1 scores. */
  public double macroF1() {
    double sum = 0;
    for (double v : f1) {
      sum += v;
    }
    return f1.length == 0 ? 0 : sum / f1.length;
  }
}
