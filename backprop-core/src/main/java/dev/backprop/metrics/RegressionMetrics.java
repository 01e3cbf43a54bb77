package dev.backprop.metrics;

import dev.backprop.tensor.Matrix;

/**
 * Mean squared error, mean absolute error and the coefficient of determination R^2 of real-valued
 * predictions, averaged over all rows and outputs; R^2 = 1 - SS_res / SS_tot per output, then averaged over
 * the outputs (scikit-learn's {@code uniform_average}). An output whose truth is constant has R^2 = 1 when
 * predicted exactly and 0 otherwise, as scikit-learn.
 */
public record RegressionMetrics(double mse, double mae, double r2) {

  public static RegressionMetrics of(Matrix truth, Matrix predicted) {
    predicted.requireShape(truth.rows(), truth.cols(), "predictions");
    int m = truth.rows();
    int k = truth.cols();
    double se = 0;
    double ae = 0;
    double r2Sum = 0;
    for (int j = 0; j < k; j++) {
      double mean = 0;
      for (int i = 0; i < m; i++) {
        mean += truth.get(i, j);
      }
      mean /= Math.max(m, 1);
      double ssRes = 0;
      double ssTot = 0;
      for (int i = 0; i < m; i++) {
        double t = truth.get(i, j);
        double d = predicted.get(i, j) - t;
        se += d * d;
        ae += Math.abs(d);
        ssRes += d * d;
        ssTot += (t - mean) * (t - mean);
      }
      r2Sum += ssTot == 0 ? (ssRes == 0 ? 1 : 0) : 1 - ssRes / ssTot;
    }
    double count = Math.max((double) m * k, 1);
    return new RegressionMetrics(se / count, ae / count, k == 0 ? 0 : r2Sum / k);
  }
}
