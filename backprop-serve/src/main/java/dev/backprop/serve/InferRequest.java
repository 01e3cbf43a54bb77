package dev.backprop.serve;

import dev.backprop.InvalidInputException;
import dev.backprop.internal.io.Json;
import dev.backprop.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The body of an Open Inference Protocol (KServe V2) infer request, read and checked against a model:
 *
 * <pre>{"id": "optional", "inputs": [{"name": "input", "shape": [n, features], "datatype": "FP32",
 *   "data": [n * features numbers, flat or as n rows]}], "outputs": [{"name": "probabilities"}] (optional)}</pre>
 *
 * <p>Every problem is an {@link InvalidInputException} whose source is {@value #SOURCE} and whose message names
 * the field, the value found and what was expected; the server answers it with 400. The JSON reader bounds the
 * nesting depth (64 levels), and the server bounds the text's size before it gets here.
 *
 * @param id the request's id, echoed in the response (null when absent)
 * @param features the rows, n x features, as given (unscaled)
 * @param outputs the names of the outputs asked for, or empty for all of them
 */
record InferRequest(String id, Matrix features, List<String> outputs) {
  static final String SOURCE = "request body";
  static final String INPUT_NAME = "input";
  static final String DATATYPE = "FP32";

  /**
   * Reads {@code text} for a model of {@code featureCount} inputs whose outputs are {@code outputNames}.
   *
   * @throws InvalidInputException if the text is not such a request
   */
  static InferRequest parse(String text, int featureCount, List<String> outputNames) {
    Map<?, ?> root = object(Json.parse(SOURCE, text), "the request");
    Object id = root.get("id");
    if (id != null && !(id instanceof String)) {
      throw error("field 'id'", "expected a string, found " + kind(id));
    }
    List<?> inputs = list(root.get("inputs"), "inputs");
    if (inputs.size() != 1) {
      throw error("field 'inputs'", "the model takes one input tensor ('" + INPUT_NAME + "'), found " + inputs.size());
    }
    Map<?, ?> input = object(inputs.get(0), "inputs[0]");
    Object name = input.get("name");
    if (!INPUT_NAME.equals(name)) {
      throw error("field 'inputs[0].name'", "expected \"" + INPUT_NAME + "\", found " + describe(name));
    }
    Object datatype = input.get("datatype");
    if (!DATATYPE.equals(datatype)) {
      throw error("field 'inputs[0].datatype'", "expected \"" + DATATYPE + "\", found " + describe(datatype));
    }
    int rows = shape(input.get("shape"), featureCount);
    List<?> data = list(input.get("data"), "inputs[0].data");
    boolean nested = !data.isEmpty() && data.get(0) instanceof List<?>;
    // The size is checked before the matrix is allocated, so that a shape cannot ask for more than the body holds.
    long expected = nested ? rows : (long) rows * featureCount;
    if (data.size() != expected) {
      throw error("field 'inputs[0].data'", "the shape [" + rows + ", " + featureCount + "] needs "
          + (nested ? rows + " rows" : expected + " numbers") + ", the data has " + data.size());
    }
    Matrix features = Matrix.zeros(rows, featureCount);
    data(data, nested, featureCount, features.floats());
    return new InferRequest((String) id, features, outputs(root.get("outputs"), outputNames));
  }

  /** The shape [n, features], checked; returns n. */
  private static int shape(Object value, int featureCount) {
    List<?> shape = list(value, "inputs[0].shape");
    String expected = "expected [n, " + featureCount + "] (n rows of " + featureCount + " features)";
    if (shape.size() != 2 || !(shape.get(0) instanceof Long n) || !(shape.get(1) instanceof Long d)) {
      throw error("field 'inputs[0].shape'", expected + ", found " + Json.write(shape));
    }
    if (d != featureCount || n < 1 || n > Integer.MAX_VALUE / Math.max(1, featureCount)) {
      throw error("field 'inputs[0].shape'", expected + " with n >= 1, found " + Json.write(shape));
    }
    return (int) (long) n;
  }

  /** Fills {@code out} from the data, flat (n * d numbers) or nested (n rows of d numbers), as the shape says. */
  private static void data(List<?> data, boolean nested, int cols, float[] out) {
    if (nested) {
      for (int r = 0; r < data.size(); r++) {
        List<?> row = list(data.get(r), "inputs[0].data[" + r + "]");
        if (row.size() != cols) {
          throw error("field 'inputs[0].data[" + r + "]'", "expected " + cols + " numbers, found " + row.size());
        }
        for (int c = 0; c < cols; c++) {
          out[r * cols + c] = number(row.get(c), "inputs[0].data[" + r + "][" + c + "]");
        }
      }
      return;
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = number(data.get(i), "inputs[0].data[" + i + "]");
    }
  }

  /** A finite number that fits FP32. */
  static float number(Object value, String field) {
    if (!(value instanceof Number n)) {
      throw error("field '" + field + "'", "expected a number, found " + kind(value));
    }
    float f = n.floatValue();
    if (!Float.isFinite(f)) {
      throw error("field '" + field + "'", "the number " + n + " is not a finite FP32 value");
    }
    return f;
  }

  private static List<String> outputs(Object value, List<String> outputNames) {
    if (value == null) {
      return List.of();
    }
    List<?> requested = list(value, "outputs");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < requested.size(); i++) {
      Object name = object(requested.get(i), "outputs[" + i + "]").get("name");
      if (!(name instanceof String s) || !outputNames.contains(s)) {
        throw error("field 'outputs[" + i + "].name'", "expected one of " + outputNames + ", found " + describe(name));
      }
      if (!names.contains(s)) {
        names.add(s);
      }
    }
    return List.copyOf(names);
  }

  static Map<?, ?> object(Object value, String field) {
    if (!(value instanceof Map<?, ?> map)) {
      throw error(field.equals("the request") ? "" : "field '" + field + "'", "expected a JSON object, found "
          + kind(value));
    }
    return map;
  }

  static List<?> list(Object value, String field) {
    if (!(value instanceof List<?> list)) {
      throw error("field '" + field + "'", "expected an array, found " + kind(value));
    }
    return list;
  }

  /** The kind of a parsed JSON value, for messages: "a string", "nothing"... */
  static String kind(Object value) {
    if (value == null) {
      return "null or nothing";
    } else if (value instanceof String) {
      return "a string";
    } else if (value instanceof Number) {
      return "a number";
    } else if (value instanceof Boolean) {
      return "a boolean";
    } else if (value instanceof List) {
      return "an array";
    }
    return "an object";
  }

  private static String describe(Object value) {
    return value instanceof String s ? "\"" + shorten(s) + "\"" : kind(value);
  }

  /** At most 100 characters of a value echoed from the client. */
  static String shorten(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "...";
  }

  static InvalidInputException error(String place, String problem) {
    return new InvalidInputException(SOURCE, place, problem);
  }
}
