package dev.backprop.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A small line or scatter chart as inline SVG: a title, both axes with ticks at round values and their
 * labels, light grid lines and a legend, in the corner of the plot that hides the fewest drawn points (top
 * right when several tie).
 *
 * <p>Values that are NaN or infinite are left out: a line breaks there, and a stretch of one finite point is
 * drawn as a dot. A series whose values are all equal (or a single point) gets a range around its value, so
 * a one-epoch run or a constant learning rate still draws. Optionally the line y = x (both axes then share
 * one range) and the line y = 0.
 */
public final class SvgChart {
  /** Width and height of the drawing, in pixels. */
  public static final int WIDTH = 560;
  public static final int HEIGHT = 320;
  private static final int LEFT = 72;
  private static final int RIGHT = 16;
  private static final int TOP = 34;
  private static final int BOTTOM = 46;
  /** About how many intervals an axis is divided into. */
  private static final int TICKS = 5;
  /** Lines with at most this many points also mark each point. */
  private static final int MARKED_POINTS = 40;

  /** How a series is drawn. */
  public enum Mark {
    /** points joined in order, broken at missing values */
    LINE,
    /** one dot per point */
    POINTS
  }

  /**
   * One named set of points.
   *
   * @param color a CSS colour, e.g. {@code #1f77b4}
   */
  public record Series(String name, String color, double[] x, double[] y, Mark mark) {
    public Series {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(color, "color");
      Objects.requireNonNull(mark, "mark");
      if (x.length != y.length) {
        throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values but " + y.length
            + " y values; give one y per x");
      }
    }
  }

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series;
  private final boolean identityLine;
  private final boolean zeroLine;
  private final boolean integerX;

  private SvgChart(Builder b) {
    title = b.title;
    xLabel = b.xLabel;
    yLabel = b.yLabel;
    series = List.copyOf(b.series);
    identityLine = b.identityLine;
    zeroLine = b.zeroLine;
    integerX = b.integerX;
  }

  public static Builder builder(String title) {
    return new Builder(title);
  }

  /** The chart as one {@code <svg>} element. */
  public String svg() {
    double[] xr = range(true);
    double[] yr = range(false);
    if (identityLine) {
      double lo = Math.min(xr[0], yr[0]);
      double hi = Math.max(xr[1], yr[1]);
      xr = new double[] {lo, hi};
      yr = new double[] {lo, hi};
    }
    Axis x = Axis.of(xr[0], xr[1], integerX);
    Axis y = Axis.of(yr[0], yr[1], false);
    if (identityLine) {
      Axis both = Axis.of(Math.min(x.lo, y.lo), Math.max(x.hi, y.hi), false);
      x = both;
      y = both;
    }
    Plot p = new Plot(x, y);
    StringBuilder sb = new StringBuilder(4096);
    sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT, Html.escape(title)));
    sb.append("<title>").append(Html.escape(title)).append("</title>\n");
    axes(sb, p);
    if (zeroLine && y.lo <= 0 && y.hi >= 0) {
      sb.append(String.format(Locale.ROOT, "<line class=\"zero\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
          + "stroke=\"#555\" stroke-dasharray=\"5 4\"/>%n", p.px(x.lo), p.py(0), p.px(x.hi), p.py(0)));
    }
    if (identityLine) {
      sb.append(String.format(Locale.ROOT, "<line class=\"identity\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
          + "stroke=\"#555\" stroke-dasharray=\"5 4\"/>%n", p.px(x.lo), p.py(y.lo), p.px(x.hi), p.py(y.hi)));
    }
    for (Series s : series) {
      if (s.mark() == Mark.LINE) {
        line(sb, p, s);
      } else {
        points(sb, p, s);
      }
    }
    legend(sb, p);
    sb.append("</svg>\n");
    return sb.toString();
  }

  /** The smallest and largest finite value of x or y over all series; [0, 1] when there is none. */
  private double[] range(boolean ofX) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.x().length; i++) {
        if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
          double v = ofX ? s.x()[i] : s.y()[i];
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    return lo <= hi ? new double[] {lo, hi} : new double[] {0, 1};
  }

  private void axes(StringBuilder sb, Plot p) {
    double x0 = LEFT;
    double x1 = WIDTH - RIGHT;
    double y0 = TOP;
    double y1 = HEIGHT - BOTTOM;
    sb.append("<g class=\"axes\" font-size=\"11\" fill=\"#444\">\n");
    for (double t : p.x.ticks()) {
      double px = p.px(t);
      sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
          + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n", px, y0, px, y1, px, y1 + 15,
          p.x.label(t)));
    }
    for (double t : p.y.ticks()) {
      double py = p.py(t);
      sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
          + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", x0, py, x1, py, x0 - 5, py + 4,
          p.y.label(t)));
    }
    sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
        + "stroke=\"#999\"/>%n", x0, y0, x1 - x0, y1 - y0));
    sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">"
        + "%s</text>%n", (x0 + x1) / 2, HEIGHT - 8, Html.escape(xLabel)));
    sb.append(String.format(Locale.ROOT, "<text transform=\"translate(14 %.1f) rotate(-90)\" text-anchor=\"middle\" "
        + "font-size=\"12\">%s</text>%n", (y0 + y1) / 2, Html.escape(yLabel)));
    sb.append("</g>\n");
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" "
        + "font-weight=\"600\">%s</text>%n", WIDTH / 2, Html.escape(title)));
  }

  private static void line(StringBuilder sb, Plot p, Series s) {
    List<String> run = new ArrayList<>();
    for (int i = 0; i <= s.x().length; i++) {
      boolean ok = i < s.x().length && Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i]);
      if (ok) {
        run.add(String.format(Locale.ROOT, "%.1f,%.1f", p.px(s.x()[i]), p.py(s.y()[i])));
        continue;
      }
      if (run.size() > 1) {
        sb.append("<polyline fill=\"none\" stroke=\"").append(Html.escape(s.color()))
            .append("\" stroke-width=\"2\" points=\"").append(String.join(" ", run)).append("\"/>\n");
      }
      run.clear();
    }
    int finite = 0;
    for (int i = 0; i < s.x().length; i++) {
      finite += Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i]) ? 1 : 0;
    }
    for (int i = 0; i < s.x().length; i++) {
      boolean ok = Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i]);
      boolean alone = (i == 0 || !finite(s, i - 1)) && (i == s.x().length - 1 || !finite(s, i + 1));
      if (ok && (finite <= MARKED_POINTS || alone)) {
        circle(sb, p.px(s.x()[i]), p.py(s.y()[i]), 3, s.color(), 1);
      }
    }
  }

  private static boolean finite(Series s, int i) {
    return Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i]);
  }

  private static void points(StringBuilder sb, Plot p, Series s) {
    sb.append("<g class=\"points\">\n");
    for (int i = 0; i < s.x().length; i++) {
      if (finite(s, i)) {
        circle(sb, p.px(s.x()[i]), p.py(s.y()[i]), 2, s.color(), 0.55);
      }
    }
    sb.append("</g>\n");
  }

  private static void circle(StringBuilder sb, double cx, double cy, double r, String color, double opacity) {
    sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\"%s/>%n", cx, cy,
        Html.number(r), Html.escape(color), opacity < 1 ? String.format(Locale.ROOT, " fill-opacity=\"%.2f\"", opacity)
            : ""));
  }

  private void legend(StringBuilder sb, Plot p) {
    if (series.isEmpty()) {
      return;
    }
    int longest = 0;
    for (Series s : series) {
      longest = Math.max(longest, s.name().length());
    }
    int w = 30 + 7 * longest;
    int h = 8 + 16 * series.size();
    int right = WIDTH - RIGHT - w - 6;
    int left = LEFT + 6;
    int top = TOP + 6;
    int bottom = HEIGHT - BOTTOM - h - 6;
    int[][] corners = {{right, top}, {right, bottom}, {left, top}, {left, bottom}};
    List<double[]> drawn = drawnPoints(p);
    int x = right;
    int y = top;
    int fewest = Integer.MAX_VALUE;
    for (int[] c : corners) {
      int hidden = 0;
      for (double[] d : drawn) {
        hidden += d[0] >= c[0] - 3 && d[0] <= c[0] + w + 3 && d[1] >= c[1] - 3 && d[1] <= c[1] + h + 3 ? 1 : 0;
      }
      if (hidden < fewest) {
        fewest = hidden;
        x = c[0];
        y = c[1];
      }
    }
    sb.append(String.format(Locale.ROOT, "<g class=\"legend\" font-size=\"11\"><rect x=\"%d\" y=\"%d\" width=\"%d\" "
        + "height=\"%d\" fill=\"#fff\" fill-opacity=\"0.85\" stroke=\"#ccc\"/>%n", x, y, w, h));
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      int cy = y + 12 + 16 * i;
      if (s.mark() == Mark.LINE) {
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
            + "stroke-width=\"2\"/>", x + 6, cy, x + 22, cy, Html.escape(s.color())));
      } else {
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"8\" height=\"8\" fill=\"%s\"/>", x + 10,
            cy - 4, Html.escape(s.color())));
      }
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 26, cy + 4,
          Html.escape(s.name())));
    }
    sb.append("</g>\n");
  }

  /** Pixel positions of what the series draw: their points, and for lines also ten points along each segment. */
  private List<double[]> drawnPoints(Plot p) {
    List<double[]> drawn = new ArrayList<>();
    for (Series s : series) {
      for (int i = 0; i < s.x().length; i++) {
        if (!finite(s, i)) {
          continue;
        }
        double px = p.px(s.x()[i]);
        double py = p.py(s.y()[i]);
        drawn.add(new double[] {px, py});
        if (s.mark() == Mark.LINE && i + 1 < s.x().length && finite(s, i + 1)) {
          double qx = p.px(s.x()[i + 1]);
          double qy = p.py(s.y()[i + 1]);
          for (int k = 1; k < 10; k++) {
            drawn.add(new double[] {px + (qx - px) * k / 10, py + (qy - py) * k / 10});
          }
        }
      }
    }
    return drawn;
  }

  /** Maps data coordinates to pixels. */
  private record Plot(Axis x, Axis y) {
    double px(double v) {
      return LEFT + (v - x.lo) / (x.hi - x.lo) * (WIDTH - LEFT - RIGHT);
    }

    double py(double v) {
      return HEIGHT - BOTTOM - (v - y.lo) / (y.hi - y.lo) * (HEIGHT - TOP - BOTTOM);
    }
  }

  /** An axis from {@code lo} to {@code hi}, both multiples of the tick {@code step}. */
  private record Axis(double lo, double hi, double step) {
    static Axis of(double min, double max, boolean integer) {
      if (!(max - min > 1e-12 * Math.max(1, Math.abs(max))) || !Double.isFinite(max - min)) {
        double pad = integer || min == 0 || !Double.isFinite(min) ? 1 : Math.abs(min) * 0.5;
        double mid = Double.isFinite(min) ? min : 0;
        min = mid - pad;
        max = mid + pad;
      }
      double raw = (max - min) / TICKS;
      double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
      double f = raw / magnitude;
      double step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * magnitude;
      if (integer) {
        step = Math.max(1, Math.round(step));
      }
      return new Axis(Math.floor(min / step) * step, Math.ceil(max / step) * step, step);
    }

    List<Double> ticks() {
      List<Double> t = new ArrayList<>();
      long n = Math.min(50, Math.round((hi - lo) / step));
      for (long i = 0; i <= n; i++) {
        t.add(lo + i * step);
      }
      return t;
    }

    String label(double v) {
      double magnitude = Math.max(Math.abs(lo), Math.abs(hi));
      if (magnitude >= 1e6 || step < 1e-4) {
        return String.format(Locale.ROOT, "%.3g", Math.abs(v) < step * 1e-9 ? 0 : v);
      }
      int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
      double shown = Math.abs(v) < step * 1e-9 ? 0 : v;
      return String.format(Locale.ROOT, "%." + decimals + "f", shown);
    }
  }

  /** Collects the chart's labels and series. */
  public static final class Builder {
    private final String title;
    private String xLabel = "";
    private String yLabel = "";
    private final List<Series> series = new ArrayList<>();
    private boolean identityLine;
    private boolean zeroLine;
    private boolean integerX;

    private Builder(String title) {
      this.title = Objects.requireNonNull(title, "title");
    }

    public Builder xLabel(String value) {
      xLabel = Objects.requireNonNull(value, "xLabel");
      return this;
    }

    public Builder yLabel(String value) {
      yLabel = Objects.requireNonNull(value, "yLabel");
      return this;
    }

    public Builder series(Series value) {
      series.add(Objects.requireNonNull(value, "series"));
      return this;
    }

    public Builder line(String name, String color, double[] x, double[] y) {
      return series(new Series(name, color, x, y, Mark.LINE));
    }

    public Builder points(String name, String color, double[] x, double[] y) {
      return series(new Series(name, color, x, y, Mark.POINTS));
    }

    /** Draws y = x; both axes then cover the same range. */
    public Builder identityLine() {
      identityLine = true;
      return this;
    }

    /** Draws the line y = 0 when it is in range. */
    public Builder zeroLine() {
      zeroLine = true;
      return this;
    }

    /** Ticks of the x axis at whole numbers only (epochs). */
    public Builder integerX() {
      integerX = true;
      return this;
    }

    public SvgChart build() {
      return new SvgChart(this);
    }
  }
}
