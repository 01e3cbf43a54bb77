package dev.backprop.io;

import dev.backprop.data.Normalization;
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
 */
public record ModelInfo(Task task, List<String> featureNames, String labelName, List<String> classes,
    Normalization normalization, Map<String, Object> provenance) {

  public ModelInfo {
    Objects.requireNonNull(task, "task");
    featureNames = List.copyOf(featureNames);
    Objects.requireNonNull(labelName, "labelName");
    classes = List.copyOf(classes);
    Objects.requireNonNull(normalization, "normalization");
    provenance = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
  }

  /** The same information with other provenance. */
  public ModelInfo withProvenance(Map<String, Object> value) {
    return new ModelInfo(task, featureNames, labelName, classes, normalization, value);
  }
}
