package dev.backprop.io;

import dev.backprop.data.ColumnKind;
import dev.backprop.data.Normalization;
import dev.backprop.data.TableSchema;
import dev.backprop.data.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a model file says besides its weights: how to feed the network and how to read its output, and
 * how it was made.
 *
 * @param task classification or regression
 * @param featureNames the input columns, in the network's input order
 * @param labelName the label column the model was trained on
 * @param classes class names in output order (empty for regression)
 * @param normalization the feature scaling fitted on the training rows, applied before the network
 * @param provenance how the model was trained (data source and its SHA-256, seed, flags, metrics,
 *     version...): free-form JSON values, written and shown as they are
 * @param schema the table schema fitted on the training rows, which encodes raw rows into the features; null for
 *     a model without one (IDX images, or a file of format version 1), whose features are its numeric columns
 */
public record ModelInfo(Task task, List<String> featureNames, String labelName, List<String> classes,
    Normalization normalization, Map<String, Object> provenance, TableSchema schema) {

  /** Information without a table schema: every feature is a numeric column of its own. */
  public ModelInfo(Task task, List<String> featureNames, String labelName, List<String> classes,
      Normalization normalization, Map<String, Object> provenance) {
    this(task, featureNames, labelName, classes, normalization, provenance, null);
  }

  public ModelInfo {
    Objects.requireNonNull(task, "task");
    featureNames = List.copyOf(featureNames);
    Objects.requireNonNull(labelName, "labelName");
    classes = List.copyOf(classes);
    Objects.requireNonNull(normalization, "normalization");
    provenance = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    if (schema != null && !schema.inputNames().equals(featureNames)) {
      throw new IllegalArgumentException("the schema's inputs " + schema.inputNames() + " are not the features "
          + featureNames);
    }
  }

  /**
   * The encoder of raw rows: the stored schema, or for a model without one a schema that reads each feature from
   * the numeric column of its name (no gaps allowed).
   */
  public TableSchema encoder() {
    if (schema != null) {
      return schema;
    }
    List<TableSchema.Column> columns = featureNames.stream().map(name -> new TableSchema.Column(name,
        ColumnKind.NUMERIC, "numeric", 0, false, List.of(), false, false)).toList();
    // no missing-value texts: a gap is an error, as it was for these models
    return new TableSchema(columns, labelName, List.of(), 0, 1);
  }

  /** The same information with other provenance. */
  public ModelInfo withProvenance(Map<String, Object> value) {
    return new ModelInfo(task, featureNames, labelName, classes, normalization, value, schema);
  }
}
