package dev.backprop.report;

import dev.backprop.metrics.ClassificationMetrics;
import java.util.Locale;

/**
 * The confusion matrix as a coloured table (rows = true class, columns = predicted; each cell shaded by its
 * share of the row, the count written in it) and the per-class precision, recall and F1.
 */
final class ClassificationSection {
  /** The diagonal (correct) cells are blue, the others red; the shade's opacity is the row share. */
  private static final String CORRECT_RGB = "31,119,180";
  private static final String WRONG_RGB = "214,39,40";
  /** Above this share the count is written in white. */
  private static final double DARK_SHARE = 0.55;

  private ClassificationSection() {}

  static void confusion(StringBuilder sb, ClassificationMetrics c) {
    int k = c.classes().size();
    sb.append("<table class=\"confusion\">\n<tr><th class=\"corner\">true &#8595; predicted &#8594;</th>");
    for (String name : c.classes()) {
      sb.append("<th>").append(Html.escape(name)).append("</th>");
    }
    sb.append("<th>rows</th></tr>\n");
    for (int t = 0; t < k; t++) {
      long[] row = c.confusion()[t];
      long total = 0;
      for (long v : row) {
        total += v;
      }
      sb.append("<tr><th>").append(Html.escape(c.classes().get(t))).append("</th>");
      for (int p = 0; p < k; p++) {
        double share = total == 0 ? 0 : (double) row[p] / total;
        sb.append(String.format(Locale.ROOT, "<td style=\"background:rgba(%s,%.3f)%s\" title=\"%s as %s: %s\">%d</td>",
            t == p ? CORRECT_RGB : WRONG_RGB, share, share > DARK_SHARE ? ";color:#fff" : "",
            Html.escape(c.classes().get(t)), Html.escape(c.classes().get(p)), Html.percent(share), row[p]));
      }
      sb.append("<td>").append(total).append("</td></tr>\n");
    }
    sb.append("</table>\n<p class=\"note\">Rows are the true classes, columns the predicted ones; a cell's shade "
        + "is its share of the row (blue: correct, red: mistaken).</p>\n");
  }

  static void perClass(StringBuilder sb, ClassificationMetrics c) {
    sb.append("<table class=\"per-class\">\n<tr><th>class</th><th>precision</th><th>recall</th><th>F1</th>"
        + "<th>support</th></tr>\n");
    for (int k = 0; k < c.classes().size(); k++) {
      long support = 0;
      for (long v : c.confusion()[k]) {
        support += v;
      }
      sb.append("<tr><td>").append(Html.escape(c.classes().get(k))).append("</td>")
          .append(cell(c.precision()[k])).append(cell(c.recall()[k])).append(cell(c.f1()[k]))
          .append("<td class=\"num\">").append(support).append("</td></tr>\n");
    }
    sb.append("<tr><th>macro average</th><td></td><td></td>").append(cell(c.macroF1())).append("<td></td></tr>\n");
    sb.append("</table>\n");
  }

  private static String cell(double v) {
    return "<td class=\"num\">" + (Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "&#8211;") + "</td>";
  }
}
