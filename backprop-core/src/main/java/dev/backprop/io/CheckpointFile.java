package dev.backprop.io;

import dev.backprop.internal.io.Json;
import dev.backprop.internal.io.JsonObject;
import dev.backprop.internal.io.AtomicFiles;

import dev.backprop.InvalidInputException;
import dev.backprop.Version;
import dev.backprop.metrics.ClassificationMetrics;
import dev.backprop.metrics.RegressionMetrics;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import dev.backprop.train.CheckpointStore;
import dev.backprop.train.EpochProgress;
import dev.backprop.train.Evaluation;
import dev.backprop.train.EpochResult;
import dev.backprop.train.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A training checkpoint: one safetensors file, {@value #FILE_NAME}, in a checkpoint folder. Data only, no
 * Java serialization: a float32 tensor per parameter ({@code param.<name>}), per float32 optimizer state
 * entry ({@code optim.<key>}) and, with early stopping, per best parameter ({@code best.<name>}); the
 * metadata key {@code backprop} holds JSON with the format name and version, the epoch, the run's
 * signature, the history and the early-stopping state, and the optimizer's float64 entries (step counts)
 * as exact numbers. Tensors are written in name order, so the same state gives the same bytes.
 *
 * <p>Saving replaces the file atomically and durably (see {@link AtomicFiles}): a process killed at any
 * moment leaves the previous checkpoint or the new one, never a mix.
 */
public final class CheckpointFile {
  /** The file inside a checkpoint folder. */
  public static final String FILE_NAME = "checkpoint.safetensors";
  /** The {@code format} field of the metadata. */
  public static final String FORMAT = "backprop-checkpoint";
  /** The version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;
  private static final String KEY = "backprop";

  private CheckpointFile() {}

  /** The checkpoint file of {@code folder}. */
  public static Path in(Path folder) {
    return folder.resolve(FILE_NAME);
  }

  /** A store that writes every checkpoint to {@code folder} (created when missing), replacing the last. */
  public static CheckpointStore store(Path folder) {
    return state -> {
      Files.createDirectories(folder);
      save(state, in(folder));
    };
  }

  /** Writes {@code state} to {@code file}, atomically. */
  public static void save(TrainingState state, Path file) throws IOException {
    List<SafeTensors.Tensor> tensors = new ArrayList<>();
    addTensors(tensors, "param.", state.parameters());
    Map<String, Object> doubles = new TreeMap<>();
    Map<String, Matrix> floats = new TreeMap<>();
    for (Map.Entry<String, Matrix> e : state.optimizerState().entrySet()) {
      if (e.getValue().dtype() == DType.FLOAT32) {
        floats.put(e.getKey(), e.getValue());
      } else {
        doubles.put(e.getKey(), Map.of("rows", e.getValue().rows(), "cols", e.getValue().cols(),
            "values", e.getValue().doubles().clone()));
      }
    }
    addTensors(tensors, "optim.", floats);
    if (state.bestParameters() != null) {
      addTensors(tensors, "best.", state.bestParameters());
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("format_version", FORMAT_VERSION);
    meta.put("backprop_version", Version.VERSION);
    meta.put("signature", state.signature());
    meta.put("epoch", state.epoch());
    meta.put("stopped", state.stopped());
    meta.put("best_epoch", state.bestEpoch());
    putNumber(meta, "best_loss", state.bestLoss());
    meta.put("bad_epochs", state.badEpochs());
    meta.put("has_best_parameters", state.bestParameters() != null);
    if (state.partial().batches() > 0) {
      Map<String, Object> partial = new LinkedHashMap<>();
      partial.put("batches", state.partial().batches());
      putNumber(partial, "loss_sum", state.partial().lossSum());
      partial.put("correct", state.partial().correct());
      putNumber(partial, "seconds", state.partial().seconds());
      meta.put("partial_epoch", partial);
    }
    meta.put("optimizer_numbers", doubles);
    List<Object> history = new ArrayList<>();
    for (EpochResult r : state.history()) {
      history.add(epochJson(r));
    }
    meta.put("history", history);
    SafeTensors.write(file, Map.of(KEY, Json.write(meta)), tensors);
  }

  /**
   * Reads the checkpoint in {@code folder}.
   *
   * @throws InvalidInputException when the file is missing, malformed or not a checkpoint of this version
   */
  public static TrainingState load(Path folder) {
    Path file = in(folder);
    String source = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(source, "", "no checkpoint here: the folder has no " + FILE_NAME);
    }
    SafeTensors.Contents contents = SafeTensors.read(file);
    String text = contents.metadata().get(KEY);
    if (text == null) {
      throw new InvalidInputException(source, "header", "the metadata has no '" + KEY + "' entry; this is not a "
          + "Backprop checkpoint");
    }
    String metadataField = "header field '__metadata__." + KEY + "'";
    Object parsed = Json.parse(source, text, offset -> metadataField + ", JSON offset " + offset);
    if (!(parsed instanceof Map<?, ?>)) {
      throw new InvalidInputException(source, metadataField, "expected a JSON object describing the checkpoint");
    }
    JsonObject meta = JsonObject.of(source, "metadata field", parsed);
    if (!FORMAT.equals(meta.string("format"))) {
      throw new InvalidInputException(source, "metadata field 'format'", "expected '" + FORMAT + "', got '"
          + meta.string("format") + "'");
    }
    if (meta.intValue("format_version") != FORMAT_VERSION) {
      throw new InvalidInputException(source, "metadata field 'format_version'", "this Backprop reads version "
          + FORMAT_VERSION + ", the file has " + meta.intValue("format_version"));
    }
    Map<String, Matrix> params = new LinkedHashMap<>();
    Map<String, Matrix> optim = new LinkedHashMap<>();
    Map<String, Matrix> best = meta.bool("has_best_parameters") ? new LinkedHashMap<>() : null;
    for (SafeTensors.Tensor t : contents.tensors()) {
      Matrix m = matrix(source, t);
      if (t.name().startsWith("param.")) {
        params.put(t.name().substring(6), m);
      } else if (t.name().startsWith("optim.")) {
        optim.put(t.name().substring(6), m);
      } else if (t.name().startsWith("best.") && best != null) {
        best.put(t.name().substring(5), m);
      } else {
        throw new InvalidInputException(source, "tensor '" + t.name() + "'", "unexpected in a checkpoint");
      }
    }
    JsonObject numbers = meta.object("optimizer_numbers");
    for (String key : numbers.keys()) {
      JsonObject entry = numbers.object(key);
      int rows = entry.intValue("rows");
      int cols = entry.intValue("cols");
      double[] values = entry.doubleArray("values");
      if (rows < 1 || cols < 1 || (long) rows * cols != values.length) {
        throw new InvalidInputException(source, "metadata field 'optimizer_numbers." + key + "'", rows + "x" + cols
            + " does not match its " + values.length + " values");
      }
      optim.put(key, Matrix.wrap(rows, cols, values));
    }
    List<EpochResult> history = new ArrayList<>();
    for (JsonObject e : meta.objectList("history")) {
      history.add(epoch(e));
    }
    EpochProgress partial = EpochProgress.NONE;
    if (meta.has("partial_epoch")) {
      JsonObject p = meta.object("partial_epoch");
      try {
        partial = new EpochProgress(p.intValue("batches"), p.number("loss_sum"), (long) p.number("correct"),
            p.optionalNumber("seconds", 0));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(source, "metadata field 'partial_epoch'", e.getMessage());
      }
    }
    return new TrainingState(meta.string("signature"), meta.intValue("epoch"), meta.bool("stopped"), params, optim,
        history, meta.intValue("best_epoch"), meta.optionalNumber("best_loss", Double.NaN),
        meta.intValue("bad_epochs"), best, partial);
  }

  private static void addTensors(List<SafeTensors.Tensor> out, String prefix, Map<String, Matrix> values) {
    for (Map.Entry<String, Matrix> e : new TreeMap<>(values).entrySet()) {
      Matrix m = e.getValue().to(DType.FLOAT32);
      out.add(new SafeTensors.Tensor(prefix + e.getKey(), new int[] {m.rows(), m.cols()}, m.floats().clone()));
    }
  }

  private static Matrix matrix(String source, SafeTensors.Tensor t) {
    int[] shape = t.shape();
    if (shape.length != 2) {
      throw new InvalidInputException(source, "tensor '" + t.name() + "'", "expected 2 dimensions, got "
          + shape.length);
    }
    return Matrix.wrap(shape[0], shape[1], t.data());
  }

  private static void putNumber(Map<String, Object> json, String key, double value) {
    if (Double.isFinite(value)) {
      json.put(key, value);
    }
  }

  private static Map<String, Object> epochJson(EpochResult r) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("epoch", r.epoch());
    json.put("learning_rate", r.learningRate());
    putNumber(json, "train_loss", r.trainLoss());
    putNumber(json, "train_accuracy", r.trainAccuracy());
    json.put("seconds", r.seconds());
    if (r.validation() != null) {
      json.put("validation", evaluationJson(r.validation()));
    }
    if (r.test() != null) {
      json.put("test", evaluationJson(r.test()));
    }
    return json;
  }

  private static EpochResult epoch(JsonObject e) {
    return new EpochResult(e.intValue("epoch"), e.number("learning_rate"),
        e.optionalNumber("train_loss", Double.NaN), e.optionalNumber("train_accuracy", Double.NaN),
        e.has("validation") ? evaluation(e.object("validation")) : null,
        e.has("test") ? evaluation(e.object("test")) : null, e.number("seconds"));
  }

  private static Map<String, Object> evaluationJson(Evaluation ev) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("rows", ev.rows());
    putNumber(json, "loss", ev.loss());
    if (ev.classification() != null) {
      json.put("classes", ev.classification().classes());
      long[][] confusion = ev.classification().confusion();
      long[] flat = new long[confusion.length * confusion.length];
      for (int t = 0; t < confusion.length; t++) {
        System.arraycopy(confusion[t], 0, flat, t * confusion.length, confusion.length);
      }
      json.put("confusion", flat);
    }
    if (ev.regression() != null) {
      putNumber(json, "mse", ev.regression().mse());
      putNumber(json, "mae", ev.regression().mae());
      putNumber(json, "r2", ev.regression().r2());
    }
    return json;
  }

  private static Evaluation evaluation(JsonObject json) {
    ClassificationMetrics classification = null;
    RegressionMetrics regression = null;
    if (json.has("classes")) {
      List<String> classes = json.stringList("classes");
      long[] flat = json.longArray("confusion");
      int k = classes.size();
      if (flat.length != (long) k * k) {
        throw new InvalidInputException(json.source(), json.path() + ".confusion", "expected " + k + " x " + k
            + " counts for " + k + " classes, got " + flat.length);
      }
      long[][] confusion = new long[k][k];
      for (int t = 0; t < k; t++) {
        System.arraycopy(flat, t * k, confusion[t], 0, k);
      }
      classification = ClassificationMetrics.fromConfusion(classes, confusion);
    } else {
      regression = new RegressionMetrics(json.optionalNumber("mse", Double.NaN),
          json.optionalNumber("mae", Double.NaN), json.optionalNumber("r2", Double.NaN));
    }
    return new Evaluation(json.intValue("rows"), json.optionalNumber("loss", Double.NaN), classification, regression);
  }
}
