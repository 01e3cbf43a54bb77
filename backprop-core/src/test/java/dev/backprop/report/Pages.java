package dev.backprop.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks shared by the report tests. The reports write XML-style markup (void elements self-closed, every
 * attribute quoted), so a strict tag-by-tag reading finds any unbalanced tag, unquoted attribute, stray
 * {@code <} or unescaped {@code &}; the elements read are kept for the tests' questions.
 */
final class Pages {
  private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9:-]*)"
      + "((?:\\s+[a-zA-Z][a-zA-Z0-9:-]*=\"[^\"<]*\")*)\\s*(/?)>");
  private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z][a-zA-Z0-9:-]*)=\"([^\"<]*)\"");
  private static final Pattern AMPERSAND = Pattern.compile("&(?!(?:#[0-9]+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);)");

  private Pages() {}

  /** An element: its name, its attributes, its child elements and its text (of itself and all below). */
  record Node(String tag, Map<String, String> attributes, List<Node> children, StringBuilder text) {
    String attribute(String name) {
      return attributes.getOrDefault(name, "");
    }
  }

  /** Reads the page strictly; fails the test at the first malformed place. */
  static Node parse(String html) {
    String body = html.startsWith("<!DOCTYPE html>") ? html.substring("<!DOCTYPE html>".length()) : html;
    Node root = new Node("#document", Map.of(), new ArrayList<>(), new StringBuilder());
    Deque<Node> open = new ArrayDeque<>();
    open.push(root);
    Matcher m = TAG.matcher(body);
    int at = 0;
    while (at < body.length()) {
      int lt = body.indexOf('<', at);
      String text = body.substring(at, lt < 0 ? body.length() : lt);
      checkText(text, at);
      for (Node n : open) {
        n.text().append(unescape(text));
      }
      if (lt < 0) {
        break;
      }
      if (!m.find(lt) || m.start() != lt) {
        fail("malformed tag at character " + lt + ": " + body.substring(lt, Math.min(body.length(), lt + 60)));
      }
      String name = m.group(2);
      if (m.group(1).equals("/")) {
        Node top = open.pop();
        assertEquals(top.tag(), name, "closing tag at character " + lt);
      } else {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher a = ATTRIBUTE.matcher(m.group(3));
        while (a.find()) {
          checkText(a.group(2), lt);
          assertFalse(attributes.containsKey(a.group(1)), "attribute " + a.group(1) + " twice at " + lt);
          attributes.put(a.group(1), unescape(a.group(2)));
        }
        Node node = new Node(name, attributes, new ArrayList<>(), new StringBuilder());
        open.peek().children().add(node);
        if (!m.group(4).equals("/")) {
          open.push(node);
        }
      }
      at = m.end();
    }
    assertEquals(1, open.size(), () -> "unclosed elements: " + open.stream().map(Node::tag).toList());
    assertEquals(1, root.children().size(), "one root element");
    return root.children().get(0);
  }

  private static void checkText(String text, int at) {
    Matcher amp = AMPERSAND.matcher(text);
    if (amp.find()) {
      fail("unescaped & near character " + at + ": " + text);
    }
  }

  private static String unescape(String text) {
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
        .replace("&amp;", "&");
  }

  /** Every {@code svg} element of the page. */
  static List<Node> svgs(Node page) {
    return elements(page, "svg");
  }

  /** Every element named {@code tag} below {@code root}, in document order. */
  static List<Node> elements(Node root, String tag) {
    List<Node> found = new ArrayList<>();
    for (Node child : root.children()) {
      if (child.tag().equals(tag)) {
        found.add(child);
      }
      found.addAll(elements(child, tag));
    }
    return found;
  }

  /**
   * The drawing has polylines or circles, and all their coordinates are finite and inside its width and
   * height.
   */
  static void assertDrawn(Node svg) {
    double w = Double.parseDouble(svg.attribute("width"));
    double h = Double.parseDouble(svg.attribute("height"));
    List<Node> lines = elements(svg, "polyline");
    List<Node> circles = elements(svg, "circle");
    String name = svg.attribute("aria-label");
    assertFalse(lines.isEmpty() && circles.isEmpty(), name + ": no polyline and no circle");
    for (Node p : lines) {
      String[] points = p.attribute("points").trim().split("\\s+");
      assertTrue(points.length >= 2, name + ": a polyline of " + points.length + " point");
      for (String point : points) {
        String[] xy = point.split(",");
        assertEquals(2, xy.length, name + ": point " + point);
        assertInside(name, Double.parseDouble(xy[0]), w);
        assertInside(name, Double.parseDouble(xy[1]), h);
      }
    }
    for (Node c : circles) {
      assertInside(name, Double.parseDouble(c.attribute("cx")), w);
      assertInside(name, Double.parseDouble(c.attribute("cy")), h);
    }
  }

  private static void assertInside(String name, double v, double limit) {
    assertTrue(Double.isFinite(v) && v >= 0 && v <= limit, name + ": coordinate " + v + " outside [0, " + limit + "]");
  }

  /** How often {@code part} occurs in {@code text}. */
  static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }
}
