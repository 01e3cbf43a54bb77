package dev.backprop.report;

import dev.backprop.check.SeedNetwork;
import java.util.Locale;

/**
 * The seed network of one step as an SVG picture: a column of nodes per layer (inputs, sigmoid hidden
 * units, sigmoid outputs) with their values for every sample of the batch, and an edge per weight with the
 * weight and its gradient. An edge is red where the gradient is positive (the step lowers the weight) and
 * blue where it is negative; its width grows with the weight's size.
 */
final class NetworkDiagram {
  private static final int WIDTH = 860;
  private static final int[] COLUMN_X = {160, 390, 680};
  private static final int TOP = 96;
  private static final int ROW_GAP = 170;
  private static final int RADIUS = 26;
  private static final String[] FILL = {"#e8f0fe", "#fff3e0", "#e8f5e9"};
  private static final String UP = "#d62728";
  private static final String DOWN = "#1f77b4";
  /**
   * Where along a slanted edge its label sits, from the source (0) to the target (1), per layer of weights:
   * away from the crossing in the middle and from the hidden units' values; level edges have theirs halfway.
   */
  private static final double[] LABEL_AT = {0.3, 0.65};

  private NetworkDiagram() {}

  static String svg(SeedNetwork before, SeedNetwork.Forward f, double[][] y, SeedNetwork.Gradients g) {
    double[][] w1 = before.w1();
    double[][] w2 = before.w2();
    int[] sizes = {w1.length, w2.length, w2[0].length};
    int rows = Math.max(sizes[0], Math.max(sizes[1], sizes[2]));
    int height = TOP + ROW_GAP * (rows - 1) + 120;
    StringBuilder sb = new StringBuilder(8192);
    sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"the seed network\" font-size=\"11\">%n", WIDTH, height,
        WIDTH, height));
    sb.append("<title>The seed network: weights, gradients and activations of one step</title>\n");
    String[] headers = {"inputs a0", "hidden a1 = \u03c3(z1)", "outputs a2 = \u03c3(z2)"};
    for (int l = 0; l < 3; l++) {
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" text-anchor=\"middle\" font-size=\"13\" "
          + "font-weight=\"600\">%s</text>%n", COLUMN_X[l], Html.escape(headers[l])));
    }
    edges(sb, 0, w1, g.dW1(), sizes, Math.max(maxAbs(w1), maxAbs(w2)));
    edges(sb, 1, w2, g.dW2(), sizes, Math.max(maxAbs(w1), maxAbs(w2)));
    for (int i = 0; i < sizes[0]; i++) {
      node(sb, 0, i, sizes, "x" + (i + 1), new String[] {"a0 = " + column(f.a0(), i)});
    }
    for (int j = 0; j < sizes[1]; j++) {
      bias(sb, 1, j, sizes, "b1[" + (j + 1) + "]", before.b1()[j], g.db1()[j]);
      node(sb, 1, j, sizes, "h" + (j + 1), new String[] {"z1 = " + column(f.z1(), j), "a1 = " + column(f.a1(), j),
          "\u03b41 = " + column(g.delta1(), j)});
    }
    for (int k = 0; k < sizes[2]; k++) {
      bias(sb, 2, k, sizes, "b2[" + (k + 1) + "]", before.b2()[k], g.db2()[k]);
      node(sb, 2, k, sizes, "o" + (k + 1), new String[] {"z2 = " + column(f.z2(), k), "a2 = " + column(f.a2(), k),
          "y = " + column(y, k), "\u03b42 = " + column(g.delta2(), k)});
    }
    sb.append("</svg>\n");
    return sb.toString();
  }

  private static double nodeY(int layer, int index, int[] sizes) {
    int rows = Math.max(sizes[0], Math.max(sizes[1], sizes[2]));
    double offset = (rows - sizes[layer]) * ROW_GAP / 2.0;
    return TOP + offset + index * ROW_GAP;
  }

  private static void edges(StringBuilder sb, int layer, double[][] w, double[][] dW, int[] sizes, double maxW) {
    for (int i = 0; i < w.length; i++) {
      for (int j = 0; j < w[0].length; j++) {
        double x1 = COLUMN_X[layer];
        double y1 = nodeY(layer, i, sizes);
        double x2 = COLUMN_X[layer + 1];
        double y2 = nodeY(layer + 1, j, sizes);
        double width = 1 + 4 * Math.abs(w[i][j]) / (maxW == 0 ? 1 : maxW);
        String color = dW[i][j] > 0 ? UP : DOWN;
        sb.append(String.format(Locale.ROOT, "<line class=\"edge\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            + "stroke=\"%s\" stroke-opacity=\"0.7\" stroke-width=\"%.2f\"/>%n", x1, y1, x2, y2, color, width));
        double t = y1 == y2 ? 0.5 : LABEL_AT[layer];
        double lx = x1 + t * (x2 - x1);
        double ly = y1 + t * (y2 - y1);
        String name = "W" + (layer + 1) + "[" + (i + 1) + "," + (j + 1) + "]";
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" stroke=\"#fff\" "
            + "stroke-width=\"4\" paint-order=\"stroke\"><tspan x=\"%.1f\" dy=\"-3\">%s = %.4f</tspan>"
            + "<tspan x=\"%.1f\" dy=\"13\" fill=\"%s\">\u2202C/\u2202w = %+.6f</tspan></text>%n", lx, ly, lx,
            Html.escape(name), w[i][j], lx, color, dW[i][j]));
      }
    }
  }

  private static void node(StringBuilder sb, int layer, int index, int[] sizes, String name, String[] lines) {
    double cx = COLUMN_X[layer];
    double cy = nodeY(layer, index, sizes);
    sb.append(String.format(Locale.ROOT, "<circle class=\"node\" cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\" "
        + "stroke=\"#555\" stroke-width=\"1.5\"/>%n", cx, cy, RADIUS, FILL[layer]));
    sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"13\" "
        + "font-weight=\"600\">%s</text>%n", cx, cy + 5, Html.escape(name)));
    // inputs are labelled on their left, outputs on their right, hidden units below
    String anchor = layer == 0 ? "end" : layer == 2 ? "start" : "middle";
    double tx = layer == 0 ? cx - RADIUS - 8 : layer == 2 ? cx + RADIUS + 8 : cx;
    double ty = layer == 1 ? cy + RADIUS + 16 : cy - 7 * (lines.length - 1) + 4;
    sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"values\">", tx, ty,
        anchor));
    for (int i = 0; i < lines.length; i++) {
      sb.append(String.format(Locale.ROOT, "<tspan x=\"%.1f\" dy=\"%d\">%s</tspan>", tx, i == 0 ? 0 : 14,
          Html.escape(lines[i])));
    }
    sb.append("</text>\n");
  }

  private static void bias(StringBuilder sb, int layer, int index, int[] sizes, String name, double b, double db) {
    double cx = COLUMN_X[layer];
    double cy = nodeY(layer, index, sizes);
    sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#555\">"
        + "%s = %.4f, \u2202C/\u2202b = %+.6f</text>%n", cx, cy - RADIUS - 8, Html.escape(name), b, db));
  }

  /** Column {@code j} of {@code m}: one value per sample, separated by a bar. */
  private static String column(double[][] m, int j) {
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < m.length; r++) {
      sb.append(r == 0 ? "" : " | ").append(String.format(Locale.ROOT, "%.4f", m[r][j]));
    }
    return sb.toString();
  }

  private static double maxAbs(double[][] m) {
    double max = 0;
    for (double[] row : m) {
      for (double v : row) {
        max = Math.max(max, Math.abs(v));
      }
    }
    return max;
  }
}
