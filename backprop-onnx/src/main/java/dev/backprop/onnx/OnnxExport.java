package dev.backprop.onnx;

import dev.backprop.Version;
import dev.backprop.data.Normalization;
import dev.backprop.data.Task;
import dev.backprop.io.Model;
import dev.backprop.io.ModelFile;
import dev.backprop.io.ModelInfo;
import dev.backprop.nn.Dense;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activation;
import dev.backprop.nn.activation.Identity;
import dev.backprop.nn.activation.LeakyRelu;
import dev.backprop.nn.activation.Relu;
import dev.backprop.nn.activation.Sigmoid;
import dev.backprop.nn.activation.Softmax;
import dev.backprop.nn.activation.Tanh;
import dev.backprop.tensor.Matrix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model as an ONNX graph (IR version 7, opset 13 of the default domain) that computes what
 * {@link Model#predict} computes:
 * <pre>
 *   input          float [N, features]   the raw features, in {@link ModelInfo#featureNames()} order
 *   scaled       = (input - offset) / scale                     (Sub, Div; absent for normalization none)
 *   layers.i.z   = Gemm(a, layers.i.weight, layers.i.bias)      (weight [out, in] as in the model file, transB = 1)
 *   layers.i.a   = f(layers.i.z)                                (Sigmoid, Tanh, Relu, LeakyRelu(alpha = slope),
 *                                                                 Softmax(axis = 1); nothing for identity)
 *   probabilities  float [N, classes]    a classifier's output activation, classes in {@link ModelInfo#classes()} order
 *   output         float [N, targets]    a regression's outputs, in the target's own units
 * </pre>
 * Dropout is left out, as in prediction. The model's metadata goes into {@code metadata_props}: {@code backprop}
 * holds the JSON text of the model file ({@link ModelFile#metadataJson}), {@code classes} the class names as a JSON
 * array of strings (classifiers only), {@code features} the input's column names as a JSON array and
 * {@code task} the task. Tensors are float32; ONNX Runtime sums in its own order, so its outputs equal
 * {@code predict}'s within float rounding (1e-5 in our tests), not bit for bit.
 */
public final class OnnxExport {
  /** The ONNX IR version written: that of ONNX 1.8, read by ONNX Runtime 1.22 and by ONNX 1.12's checker. */
  public static final long IR_VERSION = 7;
  /** The version of the default operator set (ai.onnx) the graph uses. */
  public static final long OPSET = 13;
  /** The graph input's name. */
  public static final String INPUT = "input";
  /** The output's name for a classifier. */
  public static final String PROBABILITIES = "probabilities";
  /** The output's name for a regression. */
  public static final String OUTPUT = "output";
  /** The producer recorded in the file. */
  public static final String PRODUCER = "backprop";
  /** metadata_props keys. */
  public static final String METADATA_BACKPROP = "backprop";
  public static final String METADATA_CLASSES = "classes";
  public static final String METADATA_FEATURES = "features";
  public static final String METADATA_TASK = "task";

  /** Protobuf messages cannot exceed 2 GiB; larger ONNX models keep their weights in external files. */
  static final long MAX_BYTES = Integer.MAX_VALUE;

  private OnnxExport() {}

  /** The ONNX file's bytes for {@code model}; throws {@link UnsupportedModelException} for what ONNX cannot say. */
  public static byte[] toBytes(Model model) {
    return toBytes(model, MAX_BYTES);
  }

  /**
   * Writes the export of {@code model} to {@code file} atomically: a temporary file in the same folder, forced to
   * disk and renamed over the target. An unsupported model or a failed write leaves no file behind and an existing
   * {@code file} unchanged.
   */
  public static void write(Model model, Path file) throws IOException {
    byte[] bytes = toBytes(model);
    AtomicWrite.write(file, bytes);
  }

  /** The name of the graph's output for this model: {@link #PROBABILITIES} or {@link #OUTPUT}. */
  public static String outputName(Model model) {
    return model.info().task() == Task.CLASSIFICATION ? PROBABILITIES : OUTPUT;
  }

  static byte[] toBytes(Model model, long maxBytes) {
    ModelInfo info = model.info();
    Network network = model.network();
    String metadata = ModelFile.metadataJson(model);
    requireSize(network, metadata, maxBytes);
    OnnxGraph graph = new OnnxGraph("backprop", model.describe());
    String a = graph.input(INPUT, network.inputSize());
    a = scaleFeatures(graph, info.normalization(), a);
    for (Network.Block block : network.blocks()) {
      a = dense(graph, block.dense(), a);
      a = activation(graph, block.dense().index(), block.activation(), a);
    }
    a = outputTransform(graph, info, a);
    graph.output(a, outputName(model), network.outputSize());

    Map<String, String> props = new LinkedHashMap<>();
    props.put(METADATA_BACKPROP, metadata);
    if (info.task() == Task.CLASSIFICATION) {
      props.put(METADATA_CLASSES, jsonStrings(info.classes()));
    }
    props.put(METADATA_FEATURES, jsonStrings(info.featureNames()));
    props.put(METADATA_TASK, info.task().id());
    return graph.toBytes(IR_VERSION, OPSET, PRODUCER, Version.VERSION, props);
  }

  /** x' = (x - offset) / scale, as {@link Normalization#apply} does, in float32. */
  private static String scaleFeatures(OnnxGraph graph, Normalization norm, String x) {
    if (norm.kind() == Normalization.Kind.NONE) {
      return x;
    }
    long[] dims = {norm.offset().length};
    String offset = graph.initializer("scaling.offset", dims, floats(norm.offset()));
    String scale = graph.initializer("scaling.scale", dims, floats(norm.scale()));
    String centred = graph.node("scaling.sub", "Sub", List.of(x, offset), "scaling.centred");
    return graph.node("scaling.div", "Div", List.of(centred, scale), "scaled");
  }

  /** z = a W + b as Gemm(a, W^T stored [out, in], b) with transB = 1: the model file's layout unchanged. */
  private static String dense(OnnxGraph graph, Dense d, String a) {
    String prefix = "layers." + d.index() + ".";
    Matrix w = d.weight().value();
    int in = d.inputSize();
    int out = d.outputSize();
    float[] stored = new float[in * out];
    for (int r = 0; r < in; r++) {
      for (int c = 0; c < out; c++) {
        stored[c * in + r] = (float) w.get(r, c);
      }
    }
    float[] bias = new float[out];
    for (int j = 0; j < out; j++) {
      bias[j] = (float) d.bias().value().get(0, j);
    }
    String weight = graph.initializer(prefix + "weight", new long[] {out, in}, stored);
    String b = graph.initializer(prefix + "bias", new long[] {out}, bias);
    return graph.node(prefix + "gemm", "Gemm", List.of(a, weight, b), prefix + "z",
        OnnxGraph.Attribute.ofInt("transB", 1));
  }

  private static String activation(OnnxGraph graph, int layer, Activation f, String z) {
    String prefix = "layers." + layer + ".";
    String a = prefix + "a";
    if (f instanceof Identity) {
      return z;
    } else if (f instanceof Sigmoid) {
      return graph.node(prefix + "sigmoid", "Sigmoid", List.of(z), a);
    } else if (f instanceof Tanh) {
      return graph.node(prefix + "tanh", "Tanh", List.of(z), a);
    } else if (f instanceof Relu) {
      return graph.node(prefix + "relu", "Relu", List.of(z), a);
    } else if (f instanceof LeakyRelu leaky) {
      // the network itself applies the slope in float32, so the float attribute loses nothing
      return graph.node(prefix + "leaky_relu", "LeakyRelu", List.of(z), a,
          OnnxGraph.Attribute.ofFloat("alpha", (float) leaky.slope()));
    } else if (f instanceof Softmax) {
      return graph.node(prefix + "softmax", "Softmax", List.of(z), a, OnnxGraph.Attribute.ofInt("axis", 1));
    }
    throw new UnsupportedModelException("the activation '" + f.name() + "' of dense layer " + layer
        + " has no ONNX export; supported: sigmoid, tanh, relu, leaky-relu, identity, softmax");
  }

  /**
   * From the output activation to the values a user reads: nothing today, since classifiers output their
   * probabilities and regression targets are not scaled. Target scaling, when the model info gains it, is undone
   * here (a Mul and an Add), so that {@link #OUTPUT} stays in the target's own units.
   */
  private static String outputTransform(OnnxGraph graph, ModelInfo info, String a) {
    return a;
  }

  /** Refuses a model whose file would pass protobuf's 2 GiB limit, before any array of that size is made. */
  private static void requireSize(Network network, String metadata, long maxBytes) {
    long features = network.inputSize();
    long floats = network.parameterCount() + 2 * features;
    // tensors, the metadata twice at most (it and the names), and a generous allowance for names and framing
    long estimate = floats * Float.BYTES + 2L * metadata.getBytes(StandardCharsets.UTF_8).length + 64 * 1024;
    if (estimate > maxBytes) {
      throw new UnsupportedModelException(String.format(java.util.Locale.ROOT, "the model has %,d parameters, "
          + "about %,d bytes as ONNX; an ONNX file holds at most %,d bytes (external weight files are not "
          + "supported)", network.parameterCount(), estimate, maxBytes));
    }
  }

  private static float[] floats(double[] values) {
    float[] f = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      f[i] = (float) values[i];
    }
    return f;
  }

  /** A JSON array of strings, with quotes, backslashes and control characters escaped. */
  static String jsonStrings(List<String> values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"');
      for (char c : values.get(i).toCharArray()) {
        if (c == '"' || c == '\\') {
          sb.append('\\').append(c);
        } else if (c < 0x20) {
          sb.append(String.format("\\u%04x", (int) c));
        } else {
          sb.append(c);
        }
      }
      sb.append('"');
    }
    return sb.append(']').toString();
  }
}
