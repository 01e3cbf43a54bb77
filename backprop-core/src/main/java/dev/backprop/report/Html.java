package dev.backprop.report;

import java.util.Locale;

/** Escaping, number formatting and the page frame shared by the reports. */
final class Html {
  /** The page's style: system fonts, light tables, charts in a wrapping grid. */
  static final String STYLE = String.join("\n",
      "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#222;margin:24px auto;"
          + "max-width:1200px;padding:0 16px;line-height:1.4}",
      "h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;margin:28px 0 8px;border-bottom:1px solid #ddd;"
          + "padding-bottom:4px}",
      ".sub{color:#666;margin:0 0 16px}",
      "table{border-collapse:collapse;margin:4px 0 12px;font-size:0.92em}",
      "th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}",
      "th{background:#f4f4f4;font-weight:600}",
      "td.num{text-align:right;font-variant-numeric:tabular-nums}",
      "code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:0.92em;word-break:break-all}",
      ".grid{display:flex;flex-wrap:wrap;gap:16px}",
      ".cards{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0}",
      ".card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:120px}",
      ".card b{display:block;font-size:1.3em}",
      ".card span{color:#666;font-size:0.85em}",
      "table.confusion td{text-align:right;min-width:2.4em;font-variant-numeric:tabular-nums}",
      "table.confusion th.corner{font-weight:400;color:#666;font-size:0.85em}",
      ".note{color:#666;font-size:0.85em}",
      "svg{background:#fff;border:1px solid #eee}",
      ".equations{flex:1;min-width:280px}.equations h2{margin-top:4px}",
      ".quantity{margin:0 0 8px}.quantity b{font-size:1.05em}",
      "table.m{margin:2px 0 0 12px;font-size:0.92em;border-left:2px solid #999;border-right:2px solid #999}",
      "table.m td{border:none;padding:0 6px}",
      ".check{color:#2a7d2a;font-size:0.85em;white-space:nowrap}",
      "svg text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}");

  private Html() {}

  /** {@code text} safe inside an element or a quoted attribute. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Six significant digits without trailing zeros, or a dash for NaN and infinities. */
  static String number(double v) {
    if (!Double.isFinite(v)) {
      return "&#8211;";
    }
    return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+(e|$)", "$1");
  }

  /** A share in [0, 1] as a percentage with two decimals. */
  static String percent(double share) {
    return Double.isFinite(share) ? String.format(Locale.ROOT, "%.2f%%", 100 * share) : "&#8211;";
  }

  /** The opening of a page up to and including its {@code <body>} tag. */
  static void open(StringBuilder sb, String title) {
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        .append("<title>").append(escape(title)).append("</title>\n<style>\n").append(STYLE)
        .append("\n</style>\n</head>\n<body>\n");
  }

  /** The end of a page. */
  static void close(StringBuilder sb) {
    sb.append("</body>\n</html>\n");
  }

  /** A two-column table of names and already escaped values. */
  static void keyValueTable(StringBuilder sb, Iterable<String[]> rows) {
    sb.append("<table class=\"kv\">\n");
    for (String[] row : rows) {
      sb.append("<tr><th>").append(escape(row[0])).append("</th><td>").append(row[1]).append("</td></tr>\n");
    }
    sb.append("</table>\n");
  }
}
