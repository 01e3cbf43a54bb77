package dev.backprop.report;

import dev.backprop.check.GradientCheck;
import dev.backprop.check.SeedNetwork;
import dev.backprop.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One gradient-descent step of the seed network as a self-contained HTML page: the network drawn as nodes
 * and edges (activations on the nodes, each weight and its gradient on its edge) beside the equations of the
 * step with their values, the finite-difference check of every gradient, and the weights after the update.
 * Rows are samples (batch-first); W1 is inputs x hidden, W2 is hidden x outputs.
 */
public final class SeedStepReport {
  private final String html;

  private SeedStepReport(String html) {
    this.html = html;
  }

  /**
   * The step of {@code network} (left unchanged: the step runs on a copy) on inputs {@code a0} and targets
   * {@code y} with learning rate {@code eta}.
   */
  public static SeedStepReport of(SeedNetwork network, double[][] a0, double[][] y, double eta) {
    SeedNetwork before = copy(network);
    SeedNetwork net = copy(network);
    SeedNetwork.Forward f = net.forward(a0);
    double cost = net.cost(a0, y);
    SeedNetwork.Gradients g = net.gradients(f, y);
    double[] errors = {worstError(net, 0, g.dW1(), a0, y), worstError(net, 1, new double[][] {g.db1()}, a0, y),
        worstError(net, 2, g.dW2(), a0, y), worstError(net, 3, new double[][] {g.db2()}, a0, y)};
    net.update(g, eta);
    double after = net.cost(a0, y);

    StringBuilder sb = new StringBuilder(1 << 15);
    String title = "One step of backpropagation";
    Html.open(sb, title);
    sb.append("<h1>").append(title).append("</h1>\n<p class=\"sub\">The seed network: ")
        .append(String.format(Locale.ROOT, "%d inputs, %d sigmoid hidden units, %d sigmoid outputs, a batch of %d "
            + "samples (values on the nodes: one per sample). Cost C = &#189; &#8721; (a2 &#8722; y)&#178;, "
            + "learning rate &#951; = %s.", a0[0].length, before.b1().length, before.b2().length, a0.length,
            Html.number(eta)))
        .append("</p>\n<div class=\"grid\">\n<div>\n").append(NetworkDiagram.svg(before, f, y, g))
        .append("<p class=\"note\">Edges: red where &#8706;C/&#8706;w &gt; 0 (the step lowers the weight), blue where "
            + "it is negative; thicker for larger weights.</p>\n</div>\n<div class=\"equations\">\n");
    sb.append("<h2>Forward pass</h2>\n");
    row(sb, "z1", "a0 W1 + b1", f.z1(), null);
    row(sb, "a1", "&#963;(z1)", f.a1(), null);
    row(sb, "z2", "a1 W2 + b2", f.z2(), null);
    row(sb, "a2", "&#963;(z2)", f.a2(), null);
    row(sb, "C", "&#189; &#8721; (a2 &#8722; y)&#178;", new double[][] {{cost}}, null);
    sb.append("<h2>Backward pass</h2>\n");
    row(sb, "&#948;2", "(a2 &#8722; y) &#8857; &#963;&#8242;(z2)", g.delta2(), null);
    row(sb, "&#8706;C/&#8706;W2", "a1<sup>T</sup> &#948;2", g.dW2(), errors[2]);
    row(sb, "&#8706;C/&#8706;b2", "&#8721; of &#948;2 over the batch", new double[][] {g.db2()}, errors[3]);
    row(sb, "&#948;1", "(&#948;2 W2<sup>T</sup>) &#8857; &#963;&#8242;(z1)", g.delta1(), null);
    row(sb, "&#8706;C/&#8706;W1", "a0<sup>T</sup> &#948;1", g.dW1(), errors[0]);
    row(sb, "&#8706;C/&#8706;b1", "&#8721; of &#948;1 over the batch", new double[][] {g.db1()}, errors[1]);
    sb.append("<p class=\"note\">&#963;&#8242;(z) = &#963;(z) (1 &#8722; &#963;(z)); &#8857; multiplies "
        + "element by element. Check: the largest relative error against a central finite difference.</p>\n");
    sb.append("<h2>Update</h2>\n");
    row(sb, "W1", "W1 &#8722; &#951; &#8706;C/&#8706;W1", net.w1(), null);
    row(sb, "b1", "b1 &#8722; &#951; &#8706;C/&#8706;b1", new double[][] {net.b1()}, null);
    row(sb, "W2", "W2 &#8722; &#951; &#8706;C/&#8706;W2", net.w2(), null);
    row(sb, "b2", "b2 &#8722; &#951; &#8706;C/&#8706;b2", new double[][] {net.b2()}, null);
    row(sb, "C", "after the step", new double[][] {{after}}, null);
    sb.append(String.format(Locale.ROOT, "<p>The cost went %s by %.3e.</p>%n", after < cost ? "down" : "up",
        Math.abs(cost - after)));
    sb.append("</div>\n</div>\n");
    Html.close(sb);
    return new SeedStepReport(sb.toString());
  }

  /** The whole page. */
  public String html() {
    return html;
  }

  /** Writes the page to {@code target} atomically. */
  public void write(Path target) throws IOException {
    AtomicFiles.writeString(target, html);
  }

  private static SeedNetwork copy(SeedNetwork n) {
    return new SeedNetwork(n.w1(), n.b1(), n.w2(), n.b2());
  }

  /** The largest relative error of {@code grad} against the finite difference of tensor {@code tensor}. */
  private static double worstError(SeedNetwork net, int tensor, double[][] grad, double[][] a0, double[][] y) {
    int cols = grad[0].length;
    double worst = 0;
    for (int i = 0; i < grad.length; i++) {
      for (int j = 0; j < cols; j++) {
        double numeric = GradientCheck.numericSeed(net, tensor, i * cols + j, a0, y, GradientCheck.DEFAULT_STEP);
        worst = Math.max(worst, GradientCheck.relativeError(grad[i][j], numeric));
      }
    }
    return worst;
  }

  /** One quantity: its name and formula (both already HTML), its check for a gradient, then its values. */
  private static void row(StringBuilder sb, String name, String formula, double[][] values, Double error) {
    sb.append("<div class=\"quantity\"><div><b>").append(name).append("</b> = ").append(formula);
    if (error != null) {
      sb.append(String.format(Locale.ROOT, " <span class=\"check\">check %.1e %s</span>", error,
          error <= GradientCheck.DEFAULT_THRESHOLD ? "ok" : "MISMATCH"));
    }
    sb.append("</div>\n<table class=\"m\">");
    for (double[] r : values) {
      sb.append("<tr>");
      for (double v : r) {
        sb.append(String.format(Locale.ROOT, "<td class=\"num\">%+.8f</td>", v));
      }
      sb.append("</tr>");
    }
    sb.append("</table></div>\n");
  }
}
