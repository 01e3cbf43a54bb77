package dev.backprop.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.check.SeedNetwork;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The page of one seed step: the diagram has a node per unit and an edge per weight with its gradient. */
class SeedStepReportTest {
  static final double[][] A0 = {{0.05, 0.10}, {0.60, 0.20}};
  static final double[][] Y = {{0.01, 0.99}, {0.90, 0.10}};
  static final double[][] W1 = {{0.15, 0.25}, {0.20, 0.30}};
  static final double[] B1 = {0.35, 0.35};
  static final double[][] W2 = {{0.40, 0.50}, {0.45, 0.55}};
  static final double[] B2 = {0.60, 0.60};

  @Test
  void diagramShowsEveryUnitAndWeightWithItsGradient() {
    SeedNetwork net = new SeedNetwork(W1, B1, W2, B2);
    String html = SeedStepReport.of(net, A0, Y, 0.5).html();
    List<Pages.Node> svgs = Pages.svgs(Pages.parse(html));
    assertEquals(1, svgs.size());
    Pages.Node svg = svgs.get(0);
    Pages.assertDrawn(svg);
    assertEquals(6, Pages.elements(svg, "circle").size(), "2 inputs, 2 hidden, 2 outputs");
    assertEquals(8, Pages.elements(svg, "line").size(), "4 weights in W1 and 4 in W2");

    SeedNetwork.Gradients g = new SeedNetwork(W1, B1, W2, B2).gradients(net.forward(A0), Y);
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        assertTrue(html.contains(String.format(Locale.ROOT, "W1[%d,%d] = %.4f", i + 1, j + 1, W1[i][j])), html);
        assertTrue(html.contains(String.format(Locale.ROOT, "%+.6f", g.dW1()[i][j])), "dW1 on its edge");
        assertTrue(html.contains(String.format(Locale.ROOT, "%+.6f", g.dW2()[i][j])), "dW2 on its edge");
      }
    }
    double a1 = SeedNetwork.sigma(0.05 * 0.15 + 0.10 * 0.20 + 0.35);
    assertTrue(html.contains(String.format(Locale.ROOT, "a1 = %.4f", a1)), "the first hidden activation");
    assertTrue(html.contains("check"));
    assertFalse(html.contains("MISMATCH"));
    assertTrue(html.contains("The cost went down"));
  }

  @Test
  void theGivenNetworkIsLeftUnchanged() {
    SeedNetwork net = new SeedNetwork(W1, B1, W2, B2);
    SeedStepReport.of(net, A0, Y, 0.5);
    assertArrayEquals(W1[0], net.w1()[0]);
    assertArrayEquals(B2, net.b2());
  }
}
