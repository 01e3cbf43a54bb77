package dev.backprop.cli;

import dev.backprop.InvalidInputException;
import dev.backprop.data.DataSources;
import dev.backprop.data.Dataset;
import dev.backprop.data.Splits;
import dev.backprop.io.Model;
import dev.backprop.io.ModelInfo;
import dev.backprop.nn.Network;
import dev.backprop.tensor.Matrix;
import dev.backprop.data.CsvTable;
import dev.backprop.data.TableSchema;
import dev.backprop.data.TabularData;
import dev.backprop.train.Warmup;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** Data read to fit a saved model: its features by name, its label and classes, its normalisation. */
final class ModelData {
  private ModelData() {}

  /**
   * The labelled rows of {@code spec} to evaluate {@code model} on, scaled. A built-in source evaluates on its
   * test part: Fashion-MNIST's own test set, or for the bundled CSV data (digits, iris, diabetes) the same
   * held-out rows as training (the split is recomputed from the seed and share recorded in the model).
   */
  static Dataset labelled(Model model, String spec, PrintWriter err) {
    return labelled(model, spec, DataSources.open(spec), err);
  }

  /**
   * The same, from the already opened {@code source} of {@code spec}, with the forward pass compiled meanwhile (see
   * {@link #warmup}).
   */
  static Dataset labelled(Model model, String spec, DataSources.Source source, PrintWriter err) {
    return besideWarmup(ModelData::encodeLabelled, model, spec, source, err);
  }

  private static Dataset encodeLabelled(Model model, String spec, DataSources.Source source, PrintWriter err) {
    ModelInfo info = model.info();
    Dataset data;
    if (source.format() == DataSources.Format.CSV) {
      CsvTable table = source.table();
      TableSchema encoder = info.encoder();
      // the feature columns first: a file that is not the model's names the columns it lacks
      TableSchema.Encoded encoded = encoder.encode(table);
      TabularData.Labels labels = TabularData.forModel(table, info.labelName(), info.task(), info.classes(),
          new HashSet<>(encoder.naValues()));
      notices(err, table.source(), encoded, labels.missing());
      data = TabularData.dataset(table.source(), encoder, encoded.features(), labels);
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
    return model.info().normalization().apply(rawFeatures(model, spec, null));
  }

  /**
   * The feature rows of {@code spec} for {@code model} before scaling, as {@link Model#predict} takes them (a label
   * column is not needed; columns are matched by name). Notices go to {@code err} when it is not null.
   */
  static Matrix rawFeatures(Model model, String spec, PrintWriter err) {
    return rawFeatures(model, spec, DataSources.open(spec), err);
  }

  /** The same, from the already opened {@code source} of {@code spec}, with the forward pass compiled meanwhile. */
  static Matrix rawFeatures(Model model, String spec, DataSources.Source source, PrintWriter err) {
    return besideWarmup(ModelData::encodeFeatures, model, spec, source, err);
  }

  private static Matrix encodeFeatures(Model model, String spec, DataSources.Source source, PrintWriter err) {
    ModelInfo info = model.info();
    Matrix x;
    if (source.format() == DataSources.Format.CSV) {
      TableSchema.Encoded encoded = info.encoder().encode(source.table());
      notices(err, source.table().source(), encoded, 0);
      x = encoded.features();
    } else {
      Dataset d = source.test() != null ? source.test() : source.train();
      requireFeatures(model, spec, d.featureCount());
      x = d.features();
    }
    return x;
  }

  /**
   * A forward-only warm-up for {@code model}, to run while its data is encoded and scaled (once read: reading a
   * table takes every core): a small network of the model's layer kinds, evaluated on random rows until the JIT has
   * compiled its forward pass. Null when the warm-up is off (the launcher turns it on). Stopped without waiting: the
   * launcher compiles the kernels in the foreground, and the caller's forward pass needs them next anyway.
   */
  private static Warmup warmup(Model model) {
    if (!TrainCommand.warmupWanted()) {
      return null;
    }
    Network.Builder b = Network.builder(40).seed(7);
    List<Network.Block> blocks = model.network().blocks();
    for (Network.Block block : blocks.subList(0, blocks.size() - 1)) {
      b.dense(Math.max(1, Math.min(block.dense().outputSize(), 64)), block.activation());
    }
    Network small = b.dense(10, model.network().outputActivation()).build();
    return Warmup.startInference(small, model.loss(), TrainCommand.WARMUP_MAX);
  }

  /** How the rows of an opened source are read for a model. */
  private interface Encoding<T> {
    T encode(Model model, String spec, DataSources.Source source, PrintWriter err);
  }

  /** {@code encoding}'s result, with the model's forward pass compiled meanwhile by a {@link #warmup}. */
  private static <T> T besideWarmup(Encoding<T> encoding, Model model, String spec, DataSources.Source source,
      PrintWriter err) {
    Warmup warmup = warmup(model);
    try {
      return encoding.encode(model, spec, source, err);
    } finally {
      if (warmup != null) {
        warmup.stop();
      }
    }
  }

  /** One line each: unknown categories, columns the model does not read, rows without a label. */
  static void notices(PrintWriter err, String source, TableSchema.Encoded encoded, int missingLabels) {
    if (err == null) {
      return;
    }
    List<String> lines = new ArrayList<>();
    if (encoded.unknownNotice() != null) {
      lines.add(encoded.unknownNotice());
    }
    if (!encoded.extraColumns().isEmpty()) {
      lines.add((encoded.extraColumns().size() == 1 ? "column " : "columns ") + String.join(", ",
          encoded.extraColumns()) + " not used by the model, ignored");
    }
    if (missingLabels > 0) {
      lines.add(missingLabels + (missingLabels == 1 ? " row has" : " rows have") + " no label and "
          + (missingLabels == 1 ? "is" : "are") + " left out");
    }
    for (String line : lines) {
      err.println(InvalidInputException.escape("backprop: note: " + source + ": " + line));
    }
    err.flush();
  }

  private static void requireFeatures(Model model, String spec, int features) {
    if (features != model.network().inputSize()) {
      throw new InvalidInputException(spec, "", "has " + features + " features per row, the model takes "
          + model.network().inputSize());
    }
  }
}
