package dev.backprop.internal.io;

import dev.backprop.InvalidInputException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A small, strict JSON (RFC 8259) reader and writer.
 *
 * <p>Reading maps JSON values to plain Java objects:
 *
 * <ul>
 *   <li>object: {@code LinkedHashMap<String, Object>} in document order; a duplicate key is an error;
 *   <li>array: {@code ArrayList<Object>};
 *   <li>string: {@link String}, with every escape decoded ({@code \\uXXXX} surrogate pairs included; an
 *       unpaired surrogate is an error);
 *   <li>number: {@link Long} when written without fraction or exponent and within the range of a long,
 *       otherwise {@link Double}; {@code -0} reads as the double {@code -0.0} so that its sign survives;
 *       a number beyond the range of a double is an error;
 *   <li>{@code true}/{@code false}: {@link Boolean}; {@code null}: Java {@code null}.
 * </ul>
 *
 * <p>Only what RFC 8259 allows is accepted: no comments, no trailing commas, no leading zeros, no
 * {@code NaN} or {@code Infinity}, no text after the value other than whitespace, and at most
 * {@value #MAX_DEPTH} levels of nested arrays and objects. Errors are {@link InvalidInputException}s
 * whose place is {@code "JSON offset N"}, N being the 0-based index of the offending character.
 *
 * <p>Writing accepts {@code Map<String, ?>} (keys in iteration order), {@code List<?>},
 * {@link JsonObject}, {@code double[]}, {@code float[]}, {@code int[]}, {@code long[]}, {@link String},
 * {@link Number}, {@link Boolean} and {@code null}. Doubles are written with {@link Double#toString} (so
 * they read back to the same double, {@code 2.0} stays {@code 2.0} and {@code -0.0} keeps its sign), floats
 * with {@link Float#toString} (so {@code 0.1f} appears as {@code 0.1}). Non-finite numbers, non-string map
 * keys, strings with unpaired surrogates, nesting deeper than {@value #MAX_DEPTH} levels and other types
 * are an {@link IllegalArgumentException}: nothing is written that the reader would refuse.
 */
public final class Json {
  /** The deepest nesting of arrays and objects that is read or written. */
  public static final int MAX_DEPTH = 64;

  private Json() {}

  /**
   * Parses one JSON value.
   *
   * @param source the file or other origin of {@code text}, named in error messages
   * @param text the whole JSON text
   * @return the value, mapped as described in the class comment
   * @throws InvalidInputException if {@code text} is not exactly one valid JSON value
   */
  public static Object parse(String source, String text) {
    return parse(source, text, offset -> "JSON offset " + offset);
  }

  /**
   * Parses one JSON value, naming the place of an error with {@code place} applied to its character offset
   * (for JSON embedded in a binary file, where the byte offset in the file is more useful).
   */
  public static Object parse(String source, String text, IntFunction<String> place) {
    return new JsonParser(source, text, place).parseDocument();
  }

  /** Writes {@code value} as compact JSON, without any whitespace. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    new Writer(out, false).value(value, 0);
    return out.toString();
  }

  /**
   * Writes {@code value} as JSON indented by two spaces per level, one member or element per line, with a
   * space after each colon. Arrays holding only numbers, strings, booleans and nulls are kept on one line
   * ({@code [1.0, 2.0]}); empty arrays and objects are written {@code []} and {@code {}}. There is no
   * final newline.
   */
  public static String writePretty(Object value) {
    StringBuilder out = new StringBuilder();
    new Writer(out, true).value(value, 0);
    return out.toString();
  }

  /** Serialises values; a fresh instance per call. */
  private static final class Writer {
    private final StringBuilder out;
    private final boolean pretty;

    Writer(StringBuilder out, boolean pretty) {
      this.out = out;
      this.pretty = pretty;
    }

    void value(Object value, int depth) {
      if (value == null) {
        out.append("null");
      } else if (value instanceof String s) {
        string(s);
      } else if (value instanceof Boolean b) {
        out.append(b.booleanValue());
      } else if (value instanceof Number n) {
        number(n);
      } else if (value instanceof JsonObject o) {
        object(o.members(), depth);
      } else if (value instanceof Map<?, ?> m) {
        object(m, depth);
      } else if (value instanceof List<?> l) {
        array(l, depth);
      } else if (value instanceof double[] a) {
        array(boxed(a), depth);
      } else if (value instanceof float[] a) {
        array(boxed(a), depth);
      } else if (value instanceof int[] a) {
        array(boxed(a), depth);
      } else if (value instanceof long[] a) {
        array(boxed(a), depth);
      } else {
        throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
      }
    }

    private void object(Map<?, ?> map, int depth) {
      checkDepth(depth);
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException("JSON object keys must be strings, found " + e.getKey());
        }
        if (!first) {
          out.append(',');
        }
        first = false;
        newline(depth + 1);
        string(key);
        out.append(pretty ? ": " : ":");
        value(e.getValue(), depth + 1);
      }
      newline(depth);
      out.append('}');
    }

    private void array(List<?> list, int depth) {
      checkDepth(depth);
      if (list.isEmpty()) {
        out.append("[]");
        return;
      }
      boolean inline = !pretty || list.stream().noneMatch(Writer::isContainer);
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(pretty && inline ? ", " : ",");
        }
        if (!inline) {
          newline(depth + 1);
        }
        value(list.get(i), depth + 1);
      }
      if (!inline) {
        newline(depth);
      }
      out.append(']');
    }

    private static boolean isContainer(Object v) {
      return v instanceof Map || v instanceof List || v instanceof JsonObject || v instanceof double[]
          || v instanceof float[] || v instanceof int[] || v instanceof long[];
    }

    private static void checkDepth(int depth) {
      if (depth >= MAX_DEPTH) {
        throw new IllegalArgumentException("JSON nesting deeper than " + MAX_DEPTH + " levels (a cycle?)");
      }
    }

    private void newline(int depth) {
      if (pretty) {
        out.append('\n');
        out.append("  ".repeat(depth));
      }
    }

    private void number(Number n) {
      if (n instanceof Double || n instanceof Float) {
        double d = n.doubleValue();
        if (!Double.isFinite(d)) {
          throw new IllegalArgumentException("JSON has no representation for the number " + n);
        }
        out.append(n instanceof Float f ? Float.toString(f) : Double.toString(d));
      } else if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
          || n instanceof BigInteger || n instanceof BigDecimal) {
        out.append(n);
      } else {
        number(n.doubleValue());
      }
    }

    private void string(String s) {
      out.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\b' -> out.append("\\b");
          case '\f' -> out.append("\\f");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> {
            if (c < 0x20) {
              out.append(String.format("\\u%04x", (int) c));
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1))) {
              out.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
              throw new IllegalArgumentException(
                  String.format("string has an unpaired surrogate U+%04X at index %d", (int) c, i));
            } else {
              out.append(c);
            }
          }
        }
      }
      out.append('"');
    }

    private static List<Object> boxed(double[] a) {
      List<Object> list = new ArrayList<>(a.length);
      for (double v : a) {
        list.add(v);
      }
      return list;
    }

    private static List<Object> boxed(float[] a) {
      List<Object> list = new ArrayList<>(a.length);
      for (float v : a) {
        list.add(v);
      }
      return list;
    }

    private static List<Object> boxed(int[] a) {
      List<Object> list = new ArrayList<>(a.length);
      for (int v : a) {
        list.add(v);
      }
      return list;
    }

    private static List<Object> boxed(long[] a) {
      List<Object> list = new ArrayList<>(a.length);
      for (long v : a) {
        list.add(v);
      }
      return list;
    }
  }

  /** A recursive-descent parser over one text; a fresh instance per document. */
  private static final class JsonParser {
    private final String source;
    private final String text;
    private final IntFunction<String> place;
    private int pos;

    JsonParser(String source, String text, IntFunction<String> place) {
      this.source = source;
      this.text = text;
      this.place = place;
    }

    Object parseDocument() {
      skipWhitespace();
      Object value = value(0);
      skipWhitespace();
      if (pos < text.length()) {
        throw error(pos, "expected the end of the input after the JSON value, found " + describe(pos));
      }
      return value;
    }

    private Object value(int depth) {
      if (pos >= text.length()) {
        throw error(pos, "expected a JSON value, found the end of the input");
      }
      char c = text.charAt(pos);
      return switch (c) {
        case '{' -> object(depth + 1);
        case '[' -> array(depth + 1);
        case '"' -> string();
        case 't' -> literal("true", Boolean.TRUE);
        case 'f' -> literal("false", Boolean.FALSE);
        case 'n' -> literal("null", null);
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) {
            yield number();
          }
          if (text.startsWith("NaN", pos) || text.startsWith("Infinity", pos)) {
            throw error(pos, "NaN and Infinity are not JSON numbers; expected a finite number");
          }
          throw error(pos, "expected a JSON value (object, array, string, number, true, false or null), found "
              + describe(pos));
        }
      };
    }

    private Map<String, Object> object(int depth) {
      checkDepth(depth);
      pos++;
      Map<String, Object> map = new LinkedHashMap<>();
      skipWhitespace();
      if (peek() == '}') {
        pos++;
        return map;
      }
      while (true) {
        skipWhitespace();
        if (peek() != '"') {
          String hint = peek() == '}' && !map.isEmpty() ? " (trailing comma before '}')" : "";
          throw error(pos, "expected a string key, found " + describe(pos) + hint);
        }
        int keyStart = pos;
        String key = string();
        if (map.containsKey(key)) {
          throw error(keyStart, "duplicate key \"" + key + "\"; each key may appear only once in an object");
        }
        skipWhitespace();
        expect(':', "after the key \"" + key + "\"");
        skipWhitespace();
        map.put(key, value(depth));
        skipWhitespace();
        if (peek() == ',') {
          pos++;
        } else if (peek() == '}') {
          pos++;
          return map;
        } else {
          throw error(pos, "expected ',' or '}' after an object member, found " + describe(pos));
        }
      }
    }

    private List<Object> array(int depth) {
      checkDepth(depth);
      pos++;
      List<Object> list = new ArrayList<>();
      skipWhitespace();
      if (peek() == ']') {
        pos++;
        return list;
      }
      while (true) {
        skipWhitespace();
        if (peek() == ']') {
          throw error(pos, "expected a JSON value, found ']' (trailing comma before ']')");
        }
        list.add(value(depth));
        skipWhitespace();
        if (peek() == ',') {
          pos++;
        } else if (peek() == ']') {
          pos++;
          return list;
        } else {
          throw error(pos, "expected ',' or ']' after an array element, found " + describe(pos));
        }
      }
    }

    private void checkDepth(int depth) {
      if (depth > MAX_DEPTH) {
        throw error(pos, "arrays and objects nested deeper than " + MAX_DEPTH + " levels");
      }
    }

    private String string() {
      int start = pos;
      pos++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos >= text.length()) {
          throw error(pos, "unterminated string starting at offset " + start + "; expected a closing '\"'");
        }
        char c = text.charAt(pos);
        if (c == '"') {
          pos++;
          return sb.toString();
        } else if (c == '\\') {
          escape(sb);
        } else if (c < 0x20) {
          throw error(pos, String.format("control character U+%04X must be escaped inside a string", (int) c));
        } else if (Character.isSurrogate(c)) {
          if (!Character.isHighSurrogate(c) || pos + 1 >= text.length()
              || !Character.isLowSurrogate(text.charAt(pos + 1))) {
            throw error(pos, String.format("unpaired surrogate U+%04X in a string", (int) c));
          }
          sb.append(c).append(text.charAt(pos + 1));
          pos += 2;
        } else {
          sb.append(c);
          pos++;
        }
      }
    }

    private void escape(StringBuilder sb) {
      int start = pos;
      pos++;
      if (pos >= text.length()) {
        throw error(pos, "unterminated escape sequence; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
      }
      char c = text.charAt(pos++);
      switch (c) {
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '/' -> sb.append('/');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> unicodeEscape(sb, start);
        default -> throw error(start, "invalid escape \\" + describeChar(c)
            + "; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
      }
    }

    private void unicodeEscape(StringBuilder sb, int start) {
      char c = (char) hex4();
      if (Character.isLowSurrogate(c)) {
        throw error(start, String.format("unpaired low surrogate \\u%04X; it must follow a high surrogate", (int) c));
      }
      if (Character.isHighSurrogate(c)) {
        if (!text.startsWith("\\u", pos)) {
          throw error(start, String.format(
              "unpaired high surrogate \\u%04X; expected a low surrogate \\uDC00-\\uDFFF to follow", (int) c));
        }
        int lowStart = pos;
        pos += 2;
        char low = (char) hex4();
        if (!Character.isLowSurrogate(low)) {
          throw error(lowStart, String.format(
              "\\u%04X follows the high surrogate \\u%04X; expected a low surrogate \\uDC00-\\uDFFF",
              (int) low, (int) c));
        }
        sb.append(c).append(low);
        return;
      }
      sb.append(c);
    }

    private int hex4() {
      int value = 0;
      for (int i = 0; i < 4; i++) {
        int digit = hexDigit(peek());
        if (digit < 0) {
          throw error(pos, "expected 4 hexadecimal digits after \\u, found " + describe(pos));
        }
        value = value * 16 + digit;
        pos++;
      }
      return value;
    }

    private static int hexDigit(int c) {
      if (c >= '0' && c <= '9') {
        return c - '0';
      } else if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
      }
      return -1;
    }

    private Object number() {
      int start = pos;
      if (peek() == '-') {
        pos++;
        if (text.startsWith("Infinity", pos)) {
          throw error(start, "NaN and Infinity are not JSON numbers; expected a finite number");
        }
      }
      if (!isDigit(peek())) {
        throw error(pos, "expected a digit after '-', found " + describe(pos));
      }
      if (peek() == '0' && isDigit(peekAt(pos + 1))) {
        throw error(start, "leading zeros are not allowed in JSON numbers");
      }
      skipDigits();
      boolean integral = true;
      if (peek() == '.') {
        integral = false;
        pos++;
        if (!isDigit(peek())) {
          throw error(pos, "expected a digit after the decimal point, found " + describe(pos));
        }
        skipDigits();
      }
      if (peek() == 'e' || peek() == 'E') {
        integral = false;
        pos++;
        if (peek() == '+' || peek() == '-') {
          pos++;
        }
        if (!isDigit(peek())) {
          throw error(pos, "expected a digit in the exponent, found " + describe(pos));
        }
        skipDigits();
      }
      String literal = text.substring(start, pos);
      if (integral && !literal.equals("-0")) {
        try {
          return Long.parseLong(literal);
        } catch (NumberFormatException beyondLong) {
          // read as a double below
        }
      }
      double d = Double.parseDouble(literal);
      if (Double.isInfinite(d)) {
        throw error(start, "number " + literal + " is beyond the range of a double");
      }
      return d;
    }

    private void skipDigits() {
      while (isDigit(peek())) {
        pos++;
      }
    }

    private static boolean isDigit(int c) {
      return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) {
      if (!text.startsWith(word, pos)) {
        throw error(pos, "expected a JSON value (object, array, string, number, true, false or null), found "
            + describe(pos));
      }
      pos += word.length();
      return value;
    }

    private void expect(char c, String context) {
      if (peek() != c) {
        throw error(pos, "expected '" + c + "' " + context + ", found " + describe(pos));
      }
      pos++;
    }

    private void skipWhitespace() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        pos++;
      }
    }

    private int peek() {
      return peekAt(pos);
    }

    private int peekAt(int i) {
      return i < text.length() ? text.charAt(i) : -1;
    }

    private String describe(int i) {
      return i < text.length() ? describeChar(text.charAt(i)) : "the end of the input";
    }

    private static String describeChar(char c) {
      return c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    private InvalidInputException error(int offset, String problem) {
      return new InvalidInputException(source, place.apply(offset), problem);
    }
  }
}
