package dev.backprop.serve;

import static dev.backprop.serve.InferRequest.error;
import static dev.backprop.serve.InferRequest.kind;
import static dev.backprop.serve.InferRequest.list;
import static dev.backprop.serve.InferRequest.object;
import static dev.backprop.serve.InferRequest.shorten;

import dev.backprop.InvalidInputException;
import dev.backprop.internal.io.Json;
import dev.backprop.tensor.Matrix;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of an MLflow scoring request in the {@code dataframe_split} form, read into the model's feature
 * order:
 *
 * <pre>{"dataframe_split": {"columns": ["sepal_length", ...], "data": [[5.1, ...], ...], "index": [...]}}</pre>
 *
 * <p>Columns are matched to the model's feature names by name, in any order; columns the model does not take
 * are ignored; a feature without its column is an error naming it. Cells are finite numbers. Errors are
 * {@link InvalidInputException}s with the source {@value InferRequest#SOURCE}, answered with 400.
 */
final class DataframeSplit {
  static final String KEY = "dataframe_split";
  private static final List<String> OTHER_FORMS = List.of("dataframe_records", "instances", "inputs");

  private DataframeSplit() {}

  /**
   * The rows of {@code text}, one column per feature in {@code featureNames} order.
   *
   * @throws InvalidInputException if the text is not such a request or lacks a feature
   */
  static Matrix parse(String text, List<String> featureNames) {
    Map<?, ?> root = object(Json.parse(InferRequest.SOURCE, text), "the request");
    if (!root.containsKey(KEY)) {
      String other = OTHER_FORMS.stream().filter(root::containsKey).findFirst().orElse(null);
      throw error("", other != null
          ? "the form '" + other + "' is not supported; send the rows as {\"" + KEY + "\": {\"columns\": [...], "
              + "\"data\": [[...], ...]}}"
          : "expected an object with the member '" + KEY + "'");
    }
    Map<?, ?> frame = object(root.get(KEY), KEY);
    List<?> columns = list(frame.get("columns"), KEY + ".columns");
    Map<String, Integer> byName = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      if (!(columns.get(i) instanceof String name)) {
        throw error("field '" + KEY + ".columns[" + i + "]'", "expected a column name, found "
            + kind(columns.get(i)));
      }
      if (byName.putIfAbsent(name, i) != null) {
        throw error("field '" + KEY + ".columns[" + i + "]'", "the column '" + shorten(name)
            + "' appears twice, first at index " + byName.get(name));
      }
    }
    int[] source = new int[featureNames.size()];
    for (int f = 0; f < source.length; f++) {
      Integer at = byName.get(featureNames.get(f));
      if (at == null) {
        throw error("field '" + KEY + ".columns'", "the column '" + featureNames.get(f)
            + "' is missing; the model takes " + names(featureNames));
      }
      source[f] = at;
    }
    List<?> data = list(frame.get("data"), KEY + ".data");
    if (data.isEmpty()) {
      throw error("field '" + KEY + ".data'", "expected at least one row, found none");
    }
    Matrix x = Matrix.zeros(data.size(), source.length);
    float[] out = x.floats();
    for (int r = 0; r < data.size(); r++) {
      List<?> row = list(data.get(r), KEY + ".data[" + r + "]");
      if (row.size() != columns.size()) {
        throw error("field '" + KEY + ".data[" + r + "]'", "expected " + columns.size()
            + " cells, one per column, found " + row.size());
      }
      for (int f = 0; f < source.length; f++) {
        Object cell = row.get(source[f]);
        if (!(cell instanceof Number)) {
          throw error("field '" + KEY + ".data[" + r + "][" + source[f] + "]'", "the column '"
              + featureNames.get(f) + "' takes numbers, found " + kind(cell));
        }
        out[r * source.length + f] = InferRequest.number(cell, KEY + ".data[" + r + "][" + source[f] + "]");
      }
    }
    return x;
  }

  /** The first names of a long list, enough to see what was meant. */
  private static String names(List<String> featureNames) {
    int shown = Math.min(10, featureNames.size());
    String head = String.join(", ", featureNames.subList(0, shown));
    return featureNames.size() + " columns (" + head + (shown < featureNames.size() ? ", ..." : "") + ")";
  }
}
