package dev.backprop.report;

import dev.backprop.tensor.Matrix;
import java.util.Locale;

/**
 * Predicted against true values with the line y = x, and the residuals (predicted - true) against the
 * predictions with the line y = 0. At most {@link #MAX_POINTS} rows are drawn: evenly spaced ones, the same
 * on every run.
 */
final class RegressionSection {
  static final int MAX_POINTS = 2000;
  private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};

  private RegressionSection() {}

  /** The rows drawn: all of them, or {@code MAX_POINTS} evenly spaced ones. */
  static int[] sample(int rows) {
    int n = Math.min(rows, MAX_POINTS);
    int[] picked = new int[n];
    for (int i = 0; i < n; i++) {
      picked[i] = (int) ((long) i * rows / n);
    }
    return picked;
  }

  static void plots(StringBuilder sb, Matrix truth, Matrix predicted) {
    int[] rows = sample(truth.rows());
    int outputs = Math.min(truth.cols(), COLORS.length);
    SvgChart.Builder scatter = SvgChart.builder("Predicted against true").xLabel("true value")
        .yLabel("predicted value").identityLine();
    SvgChart.Builder residuals = SvgChart.builder("Residuals").xLabel("predicted value")
        .yLabel("predicted - true").zeroLine();
    for (int j = 0; j < outputs; j++) {
      double[] t = new double[rows.length];
      double[] p = new double[rows.length];
      double[] r = new double[rows.length];
      for (int i = 0; i < rows.length; i++) {
        t[i] = truth.get(rows[i], j);
        p[i] = predicted.get(rows[i], j);
        r[i] = p[i] - t[i];
      }
      String name = truth.cols() == 1 ? "rows" : "output " + (j + 1);
      scatter.points(name, COLORS[j], t, p);
      residuals.points(name, COLORS[j], p, r);
    }
    sb.append("<div class=\"grid\">\n").append(scatter.build().svg()).append(residuals.build().svg())
        .append("</div>\n");
    String drawn = rows.length < truth.rows()
        ? String.format(Locale.ROOT, "%,d of the %,d rows are drawn, evenly spaced", rows.length, truth.rows())
        : String.format(Locale.ROOT, "all %,d rows are drawn", truth.rows());
    String outs = truth.cols() > outputs ? String.format(Locale.ROOT, "; the first %d of %d outputs", outputs,
        truth.cols()) : "";
    sb.append("<p class=\"note\">").append(drawn).append(outs).append(".</p>\n");
  }
}
