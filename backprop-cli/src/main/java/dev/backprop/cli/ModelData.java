package dev.backprop.cli;

import dev.backprop.InvalidInputException;
import dev.backprop.data.DataSources;
import dev.backprop.data.Dataset;
import dev.backprop.data.Splits;
import dev.backprop.io.Model;
import dev.backprop.io.ModelInfo;
import dev.backprop.tensor.Matrix;
import java.util.Map;

/** Data read to fit a saved model: its features by name, its label and classes, its normalisation. */
final class ModelData {
  private ModelData() {}

  /**
   * The labelled rows of {@code spec} to evaluate {@code model} on, scaled. A built-in source evaluates on its
   * test part: Fashion-MNIST's own test set, or for the bundled CSV data (digits, iris, diabetes) the same
   * held-out rows as training (the split is recomputed from the seed and share recorded in the model).
   */
  static Dataset labelled(Model model, String spec) {
    return labelled(model, spec, DataSources.open(spec));
  }

  /** The same, from the already opened {@code source} of {@code spec}. */
  static Dataset labelled(Model model, String spec, DataSources.Source source) {
    ModelInfo info = model.info();
    Dataset data;
    if (source.format() == DataSources.Format.CSV) {
      data = source.table().toDataset(info.featureNames(), info.labelName(), info.task(), info.classes());
      Map<String, Object> p = info.provenance();
      if (DataSources.isBuiltIn(spec) && spec.equals(p.get("data")) && p.get("test_split") instanceof Number
          && p.get("seed") instanceof Number) {
        data = Splits.split(data, ((Number) p.get("test_split")).doubleValue(), ((Number) p.get("seed")).longValue())
            .heldOut();
      }
    } else {
      data = source.test() != null ? source.test() : source.train();
      requireFeatures(model, spec, data.featureCount());
      if (!data.classes().equals(info.classes())) {
        throw new InvalidInputException(spec, "", "its classes " + data.classes() + " are not the model's "
            + info.classes());
      }
    }
    return info.normalization().apply(data);
  }

  /**
   * The feature rows of {@code spec} for {@code model}, as the model's data had them (before scaling, which
   * {@link Model#predict} does); a label column is not needed.
   */
  static Matrix features(Model model, String spec) {
    ModelInfo info = model.info();
    DataSources.Source source = DataSources.open(spec);
    Matrix x;
    if (source.format() == DataSources.Format.CSV) {
      x = source.table().features(info.featureNames());
    } else {
      Dataset d = source.test() != null ? source.test() : source.train();
      requireFeatures(model, spec, d.featureCount());
      x = d.features();
    }
    return x;
  }

  private static void requireFeatures(Model model, String spec, int features) {
    if (features != model.network().inputSize()) {
      throw new InvalidInputException(spec, "", "has " + features + " features per row, the model takes "
          + model.network().inputSize());
    }
  }
}
