package dev.backprop.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Charts draw finite coordinates whatever the values: one point, constants, NaN, infinities. */
class SvgChartTest {
  private static Pages.Node parsed(SvgChart chart) {
    String page = "<!DOCTYPE html><html><body>" + chart.svg() + "</body></html>";
    List<Pages.Node> svgs = Pages.svgs(Pages.parse(page));
    assertEquals(1, svgs.size());
    return svgs.get(0);
  }

  @Test
  void aLineIsOnePolylineWithAMarkerPerPoint() {
    Pages.Node svg = parsed(SvgChart.builder("loss").line("train", "#123456", new double[] {1, 2, 3, 4},
        new double[] {2.0, 1.0, 0.5, 0.25}).build());
    Pages.assertDrawn(svg);
    assertEquals(1, Pages.elements(svg, "polyline").size());
    String points = Pages.elements(svg, "polyline").get(0).attribute("points");
    assertEquals(4, points.trim().split(" ").length);
    assertEquals(4, Pages.elements(svg, "circle").size());
  }

  @Test
  void higherValuesAreDrawnHigher() {
    Pages.Node svg = parsed(SvgChart.builder("up").line("s", "#000", new double[] {1, 2}, new double[] {0, 10}).build());
    String[] points = Pages.elements(svg, "polyline").get(0).attribute("points").split(" ");
    double y1 = Double.parseDouble(points[0].split(",")[1]);
    double y2 = Double.parseDouble(points[1].split(",")[1]);
    double x1 = Double.parseDouble(points[0].split(",")[0]);
    double x2 = Double.parseDouble(points[1].split(",")[0]);
    assertTrue(y2 < y1, "SVG y grows downwards: " + y1 + " then " + y2);
    assertTrue(x2 > x1);
  }

  private static int[] legendCorner(SvgChart chart) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<g class=\"legend\"[^>]*><rect x=\"(\\d+)\" "
        + "y=\"(\\d+)\"").matcher(chart.svg());
    assertTrue(m.find(), "no legend");
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
  }

  @Test
  void theLegendMovesOffTheCurves() {
    double[] epochs = {1, 2, 3, 4, 5};
    int[] falling = legendCorner(SvgChart.builder("loss").line("train", "#000", epochs,
        new double[] {0.5, 0.36, 0.32, 0.28, 0.25}).build());
    int[] rising = legendCorner(SvgChart.builder("accuracy").line("train", "#000", epochs,
        new double[] {0.82, 0.87, 0.88, 0.90, 0.91}).build());
    assertTrue(falling[0] > SvgChart.WIDTH / 2 && falling[1] < SvgChart.HEIGHT / 2, "top right, where a loss "
        + "curve is low: " + falling[0] + "," + falling[1]);
    assertTrue(rising[0] > SvgChart.WIDTH / 2 && rising[1] > SvgChart.HEIGHT / 2, "bottom right, below a rising "
        + "curve: " + rising[0] + "," + rising[1]);
  }

  @Test
  void aSingleEpochIsADot() {
    Pages.Node svg = parsed(SvgChart.builder("one").integerX().line("train", "#000", new double[] {1},
        new double[] {0.7}).build());
    Pages.assertDrawn(svg);
    assertEquals(0, Pages.elements(svg, "polyline").size());
    assertEquals(1, Pages.elements(svg, "circle").size());
  }

  @Test
  void aConstantSeriesGetsARangeAroundItsValue() {
    for (double v : new double[] {0, 1e-3, -5, 1e9}) {
      Pages.Node svg = parsed(SvgChart.builder("flat").line("lr", "#000", new double[] {1, 2, 3},
          new double[] {v, v, v}).build());
      Pages.assertDrawn(svg);
      String[] points = Pages.elements(svg, "polyline").get(0).attribute("points").split(" ");
      double y = Double.parseDouble(points[0].split(",")[1]);
      assertTrue(y > SvgChart.HEIGHT * 0.2 && y < SvgChart.HEIGHT * 0.8, v + " drawn at y = " + y);
    }
  }

  @Test
  void missingValuesBreakTheLine() {
    double nan = Double.NaN;
    Pages.Node svg = parsed(SvgChart.builder("gaps").line("s", "#000", new double[] {1, 2, 3, 4, 5, 6, 7},
        new double[] {1, 2, nan, 3, 4, Double.POSITIVE_INFINITY, 5}).build());
    Pages.assertDrawn(svg);
    assertEquals(2, Pages.elements(svg, "polyline").size(), "1-2 and 4-5; point 7 alone");
    assertEquals(5, Pages.elements(svg, "circle").size(), "one marker per finite point");
  }

  @Test
  void aSeriesWithoutAnyFiniteValueDrawsNothingButTheAxes() {
    String svg = SvgChart.builder("none").line("test", "#000", new double[] {1, 2},
        new double[] {Double.NaN, Double.NaN}).build().svg();
    assertFalse(svg.contains("polyline"));
    assertFalse(svg.contains("<circle"));
    assertFalse(svg.contains("NaN"));
    assertFalse(svg.contains("Infinity"));
  }

  @Test
  void scatterHasADotPerPointAndTheIdentityLine() {
    double[] t = {0, 1, 2, 3, 4};
    double[] p = {0.1, 0.9, 2.2, 2.8, 4.5};
    Pages.Node svg = parsed(SvgChart.builder("scatter").identityLine().points("rows", "#000", t, p).build());
    Pages.assertDrawn(svg);
    assertEquals(5, Pages.elements(svg, "circle").size());
    List<Pages.Node> identity = Pages.elements(svg, "line").stream()
        .filter(l -> l.attribute("class").equals("identity")).toList();
    assertEquals(1, identity.size());
    Pages.Node l = identity.get(0);
    // y = x: from the bottom left corner to the top right one
    assertTrue(Double.parseDouble(l.attribute("y1")) > Double.parseDouble(l.attribute("y2")));
    assertTrue(Double.parseDouble(l.attribute("x1")) < Double.parseDouble(l.attribute("x2")));
  }

  @Test
  void integerAxisTicksAreWholeNumbers() {
    double[] x = {1, 2, 3};
    double[] y = {0.3, 0.2, 0.1};
    String svg = SvgChart.builder("epochs").integerX().line("s", "#000", x, y).build().svg();
    assertTrue(svg.contains(">1</text>") && svg.contains(">3</text>"), svg);
    assertFalse(svg.contains(">1.5</text>"), svg);
    String plain = SvgChart.builder("reals").line("s", "#000", x, y).build().svg();
    assertTrue(plain.contains(">1.5</text>"), "without integerX the axis has half steps");
  }

  @Test
  void namesAndTitlesAreEscaped() {
    String svg = SvgChart.builder("<b>&title").xLabel("x<y").yLabel("\"q\"").line("<script>", "#000",
        new double[] {1, 2}, new double[] {1, 2}).build().svg();
    assertFalse(svg.contains("<script>"));
    assertFalse(svg.contains("<b>"));
    assertTrue(svg.contains("&lt;script&gt;"));
    assertTrue(svg.contains("x&lt;y"));
    parsed(SvgChart.builder("<b>&title").line("<script>", "#000", new double[] {1, 2}, new double[] {1, 2}).build());
  }

  @Test
  void mismatchedLengthsAreRejectedWithTheCounts() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SvgChart.Series("s", "#000", new double[2], new double[3], SvgChart.Mark.LINE));
    assertTrue(e.getMessage().contains("2 x values but 3 y values"), e.getMessage());
  }
}
