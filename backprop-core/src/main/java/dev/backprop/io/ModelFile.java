package dev.backprop.io;

import dev.backprop.internal.io.Json;
import dev.backprop.internal.io.JsonObject;

import dev.backprop.InvalidInputException;
import dev.backprop.data.ColumnKind;
import dev.backprop.data.Normalization;
import dev.backprop.data.TableSchema;
import dev.backprop.data.Task;
import dev.backprop.loss.Loss;
import dev.backprop.loss.Losses;
import dev.backprop.nn.Dense;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activation;
import dev.backprop.nn.activation.Activations;
import dev.backprop.nn.activation.LeakyRelu;
import dev.backprop.tensor.Matrix;
import dev.backprop.train.Objective;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model file: safetensors with the tensors of PyTorch's {@code nn.Linear} layout and the architecture
 * in the metadata.
 *
 * <p>Tensors: {@code layers.N.weight} of shape [out, in] (the transpose of the seed's W, which is in x out)
 * and {@code layers.N.bias} of shape [out], float32, N counting the dense layers from 0. The
 * {@code __metadata__} key {@code backprop} holds a JSON text:
 * <pre>{@code
 * {"format": "backprop-model", "format_version": 1,
 *  "layers": [{"type": "dense", "in": 64, "out": 32, "activation": "relu"}, ...],
 *  "loss": "cross-entropy", "task": "classification", "label": "digit",
 *  "features": ["pixel0", ...], "classes": ["0", ...],
 *  "normalization": {"kind": "standard", "offset": [...], "scale": [...]},
 *  "schema": {"label": "species", "na_values": ["", "NA"], "target_mean": 0, "target_scale": 1,
 *             "columns": [{"name": "island", "kind": "categorical", "reason": "inferred", "levels": [...],
 *                          "other": false, "missing_level": true}, ...]},
 *  "provenance": {...}}
 * }</pre>
 * The {@code schema} is the fitted {@link TableSchema}, whose inputs must be the features: a file that has one is
 * format version 2, a model without one (IDX images) is written as version 1, the layout before schemas, and
 * files of either version load.
 * Loading checks everything against everything else before building the network, and any mismatch is an
 * {@link InvalidInputException} naming the file and the field.
 */
public final class ModelFile {
  /** The value of the metadata's {@code format} field. */
  public static final String FORMAT = "backprop-model";
  /** The metadata layout this code writes and reads. */
  public static final int FORMAT_VERSION = 2;
  /** The oldest metadata layout this code reads: version 1 had no table schema. */
  public static final int OLDEST_FORMAT_VERSION = 1;
  /** The {@code __metadata__} key holding the JSON metadata. */
  public static final String METADATA_KEY = "backprop";

  private ModelFile() {}

  /** Writes {@code model} to {@code file} atomically (temporary file, forced to disk, renamed). */
  public static void save(Model model, Path file) throws IOException {
    List<SafeTensors.Tensor> tensors = new ArrayList<>();
    for (Network.Block block : model.network().blocks()) {
      Dense d = block.dense();
      Matrix w = d.weight().value();
      float[] transposed = new float[w.size()];
      for (int r = 0; r < w.rows(); r++) {
        for (int c = 0; c < w.cols(); c++) {
          transposed[c * w.rows() + r] = (float) w.get(r, c);
        }
      }
      float[] bias = new float[d.outputSize()];
      for (int j = 0; j < bias.length; j++) {
        bias[j] = (float) d.bias().value().get(0, j);
      }
      tensors.add(new SafeTensors.Tensor(d.weight().name(), new int[] {d.outputSize(), d.inputSize()}, transposed));
      tensors.add(new SafeTensors.Tensor(d.bias().name(), new int[] {d.outputSize()}, bias));
    }
    SafeTensors.write(file, Map.of(METADATA_KEY, metadataJson(model)), tensors);
  }

  /**
   * The JSON text that a model file carries under {@code __metadata__.backprop} (the layout in this class's
   * Javadoc): everything about {@code model} but its weights. Other formats that export the model carry it too.
   */
  public static String metadataJson(Model model) {
    List<Object> layers = new ArrayList<>();
    for (Network.Block block : model.network().blocks()) {
      Dense d = block.dense();
      Activation activation = block.activation();
      Map<String, Object> layer = new LinkedHashMap<>();
      layer.put("type", "dense");
      layer.put("in", d.inputSize());
      layer.put("out", d.outputSize());
      layer.put("activation", activation.name());
      if (activation instanceof LeakyRelu leaky) {
        layer.put("slope", leaky.slope());
      }
      layers.add(layer);
    }
    ModelInfo info = model.info();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    // a model without a table schema is exactly what version 1 described, so older readers keep reading it
    meta.put("format_version", info.schema() != null ? FORMAT_VERSION : OLDEST_FORMAT_VERSION);
    meta.put("layers", layers);
    meta.put("loss", model.loss().name());
    meta.put("task", info.task().id());
    meta.put("label", info.labelName());
    meta.put("features", info.featureNames());
    meta.put("classes", info.classes());
    Map<String, Object> norm = new LinkedHashMap<>();
    norm.put("kind", info.normalization().kind().id());
    norm.put("offset", info.normalization().offset());
    norm.put("scale", info.normalization().scale());
    meta.put("normalization", norm);
    if (info.schema() != null) {
      meta.put("schema", schemaJson(info.schema()));
    }
    meta.put("provenance", info.provenance());
    return Json.write(meta);
  }

  /** Reads and validates a model file. */
  public static Model load(Path file) {
    SafeTensors.Contents contents = SafeTensors.read(file);
    String source = file.toString();
    String text = contents.metadata().get(METADATA_KEY);
    if (text == null) {
      throw new InvalidInputException(source, "header field '__metadata__." + METADATA_KEY + "'",
          "missing: this safetensors file was not written by Backprop (no architecture metadata)");
    }
    String metadataField = "header field '__metadata__." + METADATA_KEY + "'";
    Object parsed = Json.parse(source, text, offset -> metadataField + ", JSON offset " + offset);
    if (!(parsed instanceof Map<?, ?>)) {
      throw new InvalidInputException(source, metadataField, "expected a JSON object holding the architecture");
    }
    JsonObject meta = JsonObject.of(source, "metadata field", parsed);
    if (!FORMAT.equals(meta.string("format"))) {
      throw new InvalidInputException(source, "metadata field 'format'", "expected '" + FORMAT + "', found '"
          + meta.string("format") + "'");
    }
    int version = meta.intValue("format_version");
    if (version < OLDEST_FORMAT_VERSION || version > FORMAT_VERSION) {
      throw new InvalidInputException(source, "metadata field 'format_version'", "this Backprop reads versions "
          + OLDEST_FORMAT_VERSION + " to " + FORMAT_VERSION + ", the file is version " + version
          + "; use the Backprop that wrote it");
    }
    Loss loss = parse(source, "loss", () -> Losses.byName(meta.string("loss")));
    List<JsonObject> layerSpecs = meta.objectList("layers");
    if (layerSpecs.isEmpty()) {
      throw new InvalidInputException(source, "metadata field 'layers'", "expected at least one layer");
    }
    List<Network.Block> layers = new ArrayList<>();
    Set<String> expectedTensors = new HashSet<>();
    for (int i = 0; i < layerSpecs.size(); i++) {
      JsonObject spec = layerSpecs.get(i);
      String field = "layers[" + i + "]";
      if (!"dense".equals(spec.string("type"))) {
        throw new InvalidInputException(source, "metadata field '" + field + ".type'", "expected 'dense', found '"
            + spec.string("type") + "'");
      }
      int in = spec.intValue("in");
      int out = spec.intValue("out");
      if (in <= 0 || out <= 0) {
        throw new InvalidInputException(source, "metadata field '" + field + "'", "layer sizes must be positive, "
            + "found in " + in + ", out " + out);
      }
      if (i > 0 && in != layers.get(i - 1).dense().outputSize()) {
        throw new InvalidInputException(source, "metadata field '" + field + ".in'", "expected "
            + layers.get(i - 1).dense().outputSize() + " (the previous layer's out), found " + in);
      }
      Activation activation = parse(source, field + ".activation", () -> activation(spec));
      String prefix = "layers." + i + ".";
      SafeTensors.Tensor weight = tensor(contents, prefix + "weight", out, in);
      SafeTensors.Tensor bias = tensor(contents, prefix + "bias", out);
      expectedTensors.add(prefix + "weight");
      expectedTensors.add(prefix + "bias");
      Matrix w = Matrix.zeros(in, out);
      for (int r = 0; r < out; r++) {
        for (int c = 0; c < in; c++) {
          w.set(c, r, weight.data()[r * in + c]);
        }
      }
      layers.add(new Network.Block(new Dense(i, w, Matrix.wrap(1, out, bias.data().clone())), activation, 0));
    }
    for (SafeTensors.Tensor t : contents.tensors()) {
      if (!expectedTensors.contains(t.name())) {
        throw new InvalidInputException(source, "header field '" + t.name() + "'",
            "unexpected tensor: the metadata describes " + layerSpecs.size() + " dense layers");
      }
    }
    Network network = parse(source, "layers", () -> Network.of(layers));
    parse(source, "loss", () -> Objective.of(loss, network));
    Task task = parse(source, "task", () -> Task.parse(meta.string("task")));
    List<String> features = meta.stringList("features");
    requireDistinct(source, "features", features);
    if (features.size() != network.inputSize()) {
      throw new InvalidInputException(source, "metadata field 'features'", "expected " + network.inputSize()
          + " names (the first layer's inputs), found " + features.size());
    }
    List<String> classes = meta.stringList("classes");
    requireDistinct(source, "classes", classes);
    if (task == Task.CLASSIFICATION && classes.size() != network.outputSize()) {
      throw new InvalidInputException(source, "metadata field 'classes'", "expected " + network.outputSize()
          + " names (the last layer's outputs), found " + classes.size());
    }
    if (task == Task.REGRESSION && !classes.isEmpty()) {
      throw new InvalidInputException(source, "metadata field 'classes'", "expected none for a regression model, "
          + "found " + classes.size());
    }
    JsonObject norm = meta.object("normalization");
    double[] offset = norm.doubleArray("offset");
    double[] scale = norm.doubleArray("scale");
    if (offset.length != features.size() || scale.length != features.size()) {
      throw new InvalidInputException(source, "metadata field 'normalization'", "expected " + features.size()
          + " offsets and scales (one per feature), found " + offset.length + " and " + scale.length);
    }
    Normalization normalization = parse(source, "normalization",
        () -> new Normalization(Normalization.Kind.parse(norm.string("kind")), offset, scale));
    Map<String, Object> provenance = meta.has("provenance") ? meta.object("provenance").members() : Map.of();
    TableSchema schema = null;
    if (version >= 2 && !meta.has("schema")) {
      throw new InvalidInputException(source, "metadata field 'format_version'", "version " + version
          + " files hold the table schema, and the field 'schema' is missing (version 1 files have none)");
    }
    if (version >= 2) {
      JsonObject spec = meta.object("schema");
      schema = parse(source, "schema", () -> schema(spec));
      if (!schema.inputNames().equals(features)) {
        throw new InvalidInputException(source, "metadata field 'schema'", "its columns give the inputs "
            + schema.inputNames() + ", expected the features " + features);
      }
      if (!schema.label().equals(meta.string("label"))) {
        throw new InvalidInputException(source, "metadata field 'schema.label'", "expected '" + meta.string("label")
            + "', the model's label, found '" + schema.label() + "'");
      }
    }
    ModelInfo info = new ModelInfo(task, features, meta.string("label"), classes, normalization, provenance, schema);
    return new Model(network, loss, info);
  }

  private static Map<String, Object> schemaJson(TableSchema schema) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("label", schema.label());
    j.put("na_values", schema.naValues());
    j.put("target_mean", schema.targetMean());
    j.put("target_scale", schema.targetScale());
    List<Object> columns = new ArrayList<>();
    for (TableSchema.Column c : schema.columns()) {
      Map<String, Object> col = new LinkedHashMap<>();
      col.put("name", c.name());
      col.put("kind", c.kind().id());
      col.put("reason", c.reason());
      if (c.kind() == ColumnKind.NUMERIC) {
        col.put("median", c.median());
        col.put("missing_indicator", c.missingIndicator());
      }
      if (c.kind() == ColumnKind.CATEGORICAL || c.kind() == ColumnKind.BOOLEAN) {
        col.put("levels", c.levels());
      }
      if (c.kind() == ColumnKind.CATEGORICAL) {
        col.put("other", c.other());
        col.put("missing_level", c.missingLevel());
      }
      columns.add(col);
    }
    j.put("columns", columns);
    return j;
  }

  private static TableSchema schema(JsonObject spec) {
    List<TableSchema.Column> columns = new ArrayList<>();
    for (JsonObject c : spec.objectList("columns")) {
      ColumnKind kind = ColumnKind.parse(c.string("kind"));
      boolean numeric = kind == ColumnKind.NUMERIC;
      boolean categorical = kind == ColumnKind.CATEGORICAL;
      columns.add(new TableSchema.Column(c.string("name"), kind, c.string("reason"),
          numeric ? c.number("median") : 0, numeric && c.bool("missing_indicator"),
          categorical || kind == ColumnKind.BOOLEAN ? c.stringList("levels") : List.of(),
          categorical && c.bool("other"), categorical && c.bool("missing_level")));
    }
    return new TableSchema(columns, spec.string("label"), spec.stringList("na_values"), spec.number("target_mean"),
        spec.number("target_scale"));
  }

  /** The activation a layer's metadata names, with its slope for leaky-relu. */
  private static Activation activation(JsonObject spec) {
    String name = spec.string("activation");
    if (name.equals("leaky-relu") && spec.has("slope")) {
      return new LeakyRelu(spec.number("slope"));
    }
    return Activations.byName(name);
  }

  private static SafeTensors.Tensor tensor(SafeTensors.Contents contents, String name, int... shape) {
    SafeTensors.Tensor t = contents.tensor(name);
    if (!java.util.Arrays.equals(t.shape(), shape)) {
      throw new InvalidInputException(contents.source(), "header field '" + name + ".shape'", "expected "
          + java.util.Arrays.toString(shape) + " from the metadata's layers, found "
          + java.util.Arrays.toString(t.shape()));
    }
    return t;
  }

  /** Rejects a list of names in which one appears twice: a column or an output would be ambiguous. */
  private static void requireDistinct(String source, String field, List<String> names) {
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      Integer earlier = first.putIfAbsent(names.get(i), i);
      if (earlier != null) {
        throw new InvalidInputException(source, "metadata field '" + field + "[" + i + "]'", "'" + names.get(i)
            + "' repeats " + field + "[" + earlier + "]; expected distinct names");
      }
    }
  }

  /** Runs a constructor that rejects bad values with IllegalArgumentException, as an input error. */
  private static <T> T parse(String source, String field, java.util.function.Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(source, "metadata field '" + field + "'", e.getMessage());
    }
  }
}
