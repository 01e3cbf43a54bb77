package dev.backprop.internal.io;

import dev.backprop.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A read-only view of a parsed JSON object with typed accessors, for reading metadata and settings.
 *
 * <p>Every accessor checks presence and type and throws an {@link InvalidInputException} whose place names
 * the full path of the field, e.g. {@code field 'normalization.mean[3]'}, and whose problem says what was
 * expected and what was found, e.g. {@code expected a number, found a string}. The word before the path
 * ({@code field} by default) can be chosen, so that a file format can say {@code header field 'w.shape'}.
 *
 * <p>Numbers follow {@link Json}: integers are {@link Long}, other numbers {@link Double}. The integer
 * accessors accept only numbers written without fraction or exponent.
 */
public final class JsonObject {
  private final String source;
  private final String label;
  private final String path;
  private final Map<String, Object> members;

  private JsonObject(String source, String label, String path, Map<String, Object> members) {
    this.source = source;
    this.label = label;
    this.path = path;
    this.members = Collections.unmodifiableMap(members);
  }

  /**
   * Parses {@code text} with {@link Json#parse} and views it as an object.
   *
   * @throws InvalidInputException if the text is not valid JSON or its value is not an object
   */
  public static JsonObject parse(String source, String text) {
    return of(source, Json.parse(source, text));
  }

  /** Views a value returned by {@link Json#parse}; errors say {@code field 'a.b'}. */
  public static JsonObject of(String source, Object value) {
    return of(source, "field", value);
  }

  /**
   * Views a value returned by {@link Json#parse}, with {@code label} as the word before field paths in
   * error messages (e.g. {@code "header field"}).
   *
   * @throws InvalidInputException if {@code value} is not a JSON object
   */
  public static JsonObject of(String source, String label, Object value) {
    if (!(value instanceof Map<?, ?>)) {
      throw new InvalidInputException(source, "", "expected a JSON object at the top level, found " + kind(value));
    }
    return new JsonObject(source, label, "", asMembers(value));
  }

  /** The source named in error messages. */
  public String source() {
    return source;
  }

  /** The path of this object from the root, e.g. {@code "normalization"}; empty for the root. */
  public String path() {
    return path;
  }

  /** The members in document order, unmodifiable; values as returned by {@link Json#parse}. */
  public Map<String, Object> members() {
    return members;
  }

  /** The keys in document order. */
  public Set<String> keys() {
    return members.keySet();
  }

  /** Whether the key is present (its value may be null). */
  public boolean has(String key) {
    return members.containsKey(key);
  }

  /**
   * Requires every key to be one of {@code allowed}.
   *
   * @throws InvalidInputException naming the first unexpected field
   */
  public void requireOnly(String... allowed) {
    List<String> allowedKeys = Arrays.asList(allowed);
    for (String key : members.keySet()) {
      if (!allowedKeys.contains(key)) {
        throw new InvalidInputException(source, place(childPath(key)),
            "unexpected field; expected only " + String.join(", ", allowedKeys));
      }
    }
  }

  /** The string value of {@code key}. */
  public String string(String key) {
    return asString(require(key), childPath(key));
  }

  /** The string value of {@code key}, or {@code defaultValue} when the key is absent. */
  public String optionalString(String key, String defaultValue) {
    return has(key) ? string(key) : defaultValue;
  }

  /** The integer value of {@code key}: a number without fraction or exponent, within the range of a long. */
  public long integer(String key) {
    return asLong(require(key), childPath(key));
  }

  /** The integer value of {@code key}, required to fit in an int. */
  public int intValue(String key) {
    long value = integer(key);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new InvalidInputException(source, place(childPath(key)),
          "expected an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + ", found " + value);
    }
    return (int) value;
  }

  /** The int value of {@code key}, or {@code defaultValue} when the key is absent. */
  public int optionalIntValue(String key, int defaultValue) {
    return has(key) ? intValue(key) : defaultValue;
  }

  /** The numeric value of {@code key} (integer or not) as a double. */
  public double number(String key) {
    return asDouble(require(key), childPath(key));
  }

  /** The numeric value of {@code key}, or {@code defaultValue} when the key is absent. */
  public double optionalNumber(String key, double defaultValue) {
    return has(key) ? number(key) : defaultValue;
  }

  /** The boolean value of {@code key}. */
  public boolean bool(String key) {
    Object value = require(key);
    if (!(value instanceof Boolean b)) {
      throw typeError(childPath(key), "a boolean", value);
    }
    return b;
  }

  /** The boolean value of {@code key}, or {@code defaultValue} when the key is absent. */
  public boolean optionalBool(String key, boolean defaultValue) {
    return has(key) ? bool(key) : defaultValue;
  }

  /** The object value of {@code key}, whose errors name paths below this one. */
  public JsonObject object(String key) {
    return asObject(require(key), childPath(key));
  }

  /** The array value of {@code key}, unmodifiable; elements as returned by {@link Json#parse}. */
  public List<Object> array(String key) {
    return asList(require(key), childPath(key));
  }

  /** The array value of {@code key}, every element a number. */
  public double[] doubleArray(String key) {
    List<Object> list = array(key);
    double[] result = new double[list.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = asDouble(list.get(i), elementPath(key, i));
    }
    return result;
  }

  /** The array value of {@code key}, every element an integer without fraction or exponent. */
  public long[] longArray(String key) {
    List<Object> list = array(key);
    long[] result = new long[list.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = asLong(list.get(i), elementPath(key, i));
    }
    return result;
  }

  /** The array value of {@code key}, every element a string. */
  public List<String> stringList(String key) {
    List<Object> list = array(key);
    List<String> result = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      result.add(asString(list.get(i), elementPath(key, i)));
    }
    return Collections.unmodifiableList(result);
  }

  /** The array value of {@code key}, every element an object. */
  public List<JsonObject> objectList(String key) {
    List<Object> list = array(key);
    List<JsonObject> result = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      result.add(asObject(list.get(i), elementPath(key, i)));
    }
    return Collections.unmodifiableList(result);
  }

  @Override
  public String toString() {
    return Json.write(members);
  }

  private Object require(String key) {
    if (!members.containsKey(key)) {
      throw new InvalidInputException(source, place(childPath(key)), "required field is missing");
    }
    return members.get(key);
  }

  private String asString(Object value, String at) {
    if (!(value instanceof String s)) {
      throw typeError(at, "a string", value);
    }
    return s;
  }

  private long asLong(Object value, String at) {
    if (!(value instanceof Long n)) {
      String expected = value instanceof Double ? "an integer (no fraction or exponent, within the range of a long)"
          : "an integer";
      throw typeError(at, expected, value);
    }
    return n;
  }

  private double asDouble(Object value, String at) {
    if (!(value instanceof Number n)) {
      throw typeError(at, "a number", value);
    }
    return n.doubleValue();
  }

  private JsonObject asObject(Object value, String at) {
    if (!(value instanceof Map<?, ?>)) {
      throw typeError(at, "an object", value);
    }
    return new JsonObject(source, label, at, asMembers(value));
  }

  private List<Object> asList(Object value, String at) {
    if (!(value instanceof List<?> list)) {
      throw typeError(at, "an array", value);
    }
    return Collections.unmodifiableList(list);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMembers(Object value) {
    return (Map<String, Object>) value;
  }

  private InvalidInputException typeError(String at, String expected, Object found) {
    return new InvalidInputException(source, place(at), "expected " + expected + ", found " + kind(found));
  }

  private static String kind(Object value) {
    if (value == null) {
      return "null";
    } else if (value instanceof String) {
      return "a string";
    } else if (value instanceof Boolean) {
      return "a boolean";
    } else if (value instanceof Long) {
      return "an integer (" + value + ")";
    } else if (value instanceof Number) {
      return "a number (" + value + ")";
    } else if (value instanceof Map) {
      return "an object";
    } else if (value instanceof List) {
      return "an array";
    }
    return "a " + value.getClass().getSimpleName();
  }

  private String childPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private String elementPath(String key, int index) {
    return childPath(key) + "[" + index + "]";
  }

  private String place(String at) {
    return label + " '" + at + "'";
  }
}
