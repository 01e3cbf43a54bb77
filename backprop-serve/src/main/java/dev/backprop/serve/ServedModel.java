package dev.backprop.serve;

import dev.backprop.data.Task;
import dev.backprop.io.Model;
import dev.backprop.io.ModelInfo;
import dev.backprop.tensor.Matrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model under its name, with the tensors the protocol shows of it.
 *
 * <p>Input: {@code input}, FP32 [-1, features], raw features in {@link ModelInfo#featureNames()} order. Outputs
 * of a classifier: {@code probabilities}, FP32 [-1, classes], and {@code label}, BYTES [-1], the class with the
 * highest probability (the first one on a tie); of a regression: {@code output}, FP32 [-1, targets].
 */
final class ServedModel {
  static final String PROBABILITIES = "probabilities";
  static final String LABEL = "label";
  static final String OUTPUT = "output";

  private final String name;
  private final Model model;
  private final boolean classifier;
  private final List<String> outputNames;

  ServedModel(String name, Model model) {
    this.name = name;
    this.model = model;
    this.classifier = model.info().task() == Task.CLASSIFICATION;
    this.outputNames = classifier ? List.of(PROBABILITIES, LABEL) : List.of(OUTPUT);
  }

  String name() {
    return name;
  }

  Model model() {
    return model;
  }

  List<String> outputNames() {
    return outputNames;
  }

  int featureCount() {
    return model.info().featureNames().size();
  }

  /** The model's outputs for raw rows; a 400 when the rows drive them to values that are not finite. */
  Matrix predict(Matrix features) {
    Matrix y = model.predict(features);
    if (!y.allFinite()) {
      throw new HttpError(400, "the inputs drive the model's outputs to values that are not finite (NaN or "
          + "infinite); are they in the units the model was trained on?");
    }
    return y;
  }

  /** GET /v2/models/{name}. */
  Map<String, Object> metadata() {
    ModelInfo info = model.info();
    int outputs = model.network().outputSize();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("versions", List.of());
    m.put("platform", "backprop");
    m.put("inputs", List.of(spec(InferRequest.INPUT_NAME, InferRequest.DATATYPE, -1, featureCount())));
    List<Object> out = new ArrayList<>();
    if (classifier) {
      out.add(spec(PROBABILITIES, InferRequest.DATATYPE, -1, outputs));
      out.add(spec(LABEL, "BYTES", -1));
    } else {
      out.add(spec(OUTPUT, InferRequest.DATATYPE, -1, outputs));
    }
    m.put("outputs", out);
    // Beyond the protocol's fields: what a client needs to build rows (the column names for /invocations).
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("task", info.task().id());
    parameters.put("feature_names", info.featureNames());
    parameters.put("label_name", info.labelName());
    if (classifier) {
      parameters.put("classes", info.classes());
    }
    m.put("parameters", parameters);
    return m;
  }

  /** The response to an infer request. */
  Map<String, Object> infer(InferRequest request) {
    Matrix y = predict(request.features());
    int n = y.rows();
    List<String> wanted = request.outputs().isEmpty() ? outputNames : request.outputs();
    List<Object> outputs = new ArrayList<>();
    for (String output : wanted) {
      if (output.equals(LABEL)) {
        outputs.add(tensor(LABEL, "BYTES", labels(y), n));
      } else {
        outputs.add(tensor(output, InferRequest.DATATYPE, values(y), n, y.cols()));
      }
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("model_name", name);
    if (request.id() != null) {
      response.put("id", request.id());
    }
    response.put("outputs", outputs);
    return response;
  }

  /** MLflow's answer: the class names of a classifier, the value (or values) of each row of a regression. */
  Map<String, Object> invocations(Matrix features) {
    Matrix y = predict(features);
    Object predictions;
    if (classifier) {
      predictions = labels(y);
    } else if (y.cols() == 1) {
      predictions = values(y);
    } else {
      List<Object> rows = new ArrayList<>(y.rows());
      for (int r = 0; r < y.rows(); r++) {
        float[] row = new float[y.cols()];
        for (int c = 0; c < row.length; c++) {
          row[c] = (float) y.get(r, c);
        }
        rows.add(row);
      }
      predictions = rows;
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("predictions", predictions);
    return response;
  }

  private List<String> labels(Matrix probabilities) {
    List<String> classes = model.info().classes();
    List<String> labels = new ArrayList<>(probabilities.rows());
    for (int r = 0; r < probabilities.rows(); r++) {
      int best = 0;
      for (int c = 1; c < probabilities.cols(); c++) {
        if (probabilities.get(r, c) > probabilities.get(r, best)) {
          best = c;
        }
      }
      labels.add(classes.get(best));
    }
    return labels;
  }

  private static float[] values(Matrix y) {
    float[] v = new float[y.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) y.getFlat(i);
    }
    return v;
  }

  private static Map<String, Object> tensor(String name, String datatype, Object data, int... shape) {
    Map<String, Object> t = spec(name, datatype, shape);
    t.put("data", data);
    return t;
  }

  private static Map<String, Object> spec(String name, String datatype, int... shape) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("name", name);
    t.put("datatype", datatype);
    t.put("shape", shape);
    return t;
  }
}
