package dev.backprop.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model under construction: one graph of float tensors whose first dimension is the batch, with
 * its nodes, initializers, input and outputs, serialised by {@link #toBytes} as an ONNX {@code ModelProto}.
 * Field numbers are those of {@code onnx.proto}; only the fields we emit are named here.
 */
final class OnnxGraph {
  // ModelProto
  private static final int MODEL_IR_VERSION = 1;
  private static final int MODEL_PRODUCER_NAME = 2;
  private static final int MODEL_PRODUCER_VERSION = 3;
  private static final int MODEL_DOC_STRING = 6;
  private static final int MODEL_GRAPH = 7;
  private static final int MODEL_OPSET_IMPORT = 8;
  private static final int MODEL_METADATA_PROPS = 14;
  // OperatorSetIdProto, StringStringEntryProto
  private static final int OPSET_DOMAIN = 1;
  private static final int OPSET_VERSION = 2;
  private static final int ENTRY_KEY = 1;
  private static final int ENTRY_VALUE = 2;
  // GraphProto
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_NAME = 2;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_DOC_STRING = 10;
  private static final int GRAPH_INPUT = 11;
  private static final int GRAPH_OUTPUT = 12;
  // NodeProto
  private static final int NODE_INPUT = 1;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_NAME = 3;
  private static final int NODE_OP_TYPE = 4;
  private static final int NODE_ATTRIBUTE = 5;
  // AttributeProto and its AttributeType values
  private static final int ATTRIBUTE_NAME = 1;
  private static final int ATTRIBUTE_F = 2;
  private static final int ATTRIBUTE_I = 3;
  private static final int ATTRIBUTE_TYPE = 20;
  private static final int ATTRIBUTE_TYPE_FLOAT = 1;
  private static final int ATTRIBUTE_TYPE_INT = 2;
  // TensorProto and its DataType FLOAT
  private static final int TENSOR_DIMS = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_RAW_DATA = 9;
  private static final int FLOAT = 1;
  // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
  private static final int VALUE_NAME = 1;
  private static final int VALUE_TYPE = 2;
  private static final int TYPE_TENSOR = 1;
  private static final int TENSOR_TYPE_ELEM_TYPE = 1;
  private static final int TENSOR_TYPE_SHAPE = 2;
  private static final int SHAPE_DIM = 1;
  private static final int DIM_VALUE = 1;
  private static final int DIM_PARAM = 2;

  /** The symbolic first dimension of the input and the outputs: any number of rows. */
  static final String BATCH = "N";

  /** A node attribute: a float or an int. */
  record Attribute(String name, int type, float f, long i) {
    static Attribute ofFloat(String name, float value) {
      return new Attribute(name, ATTRIBUTE_TYPE_FLOAT, value, 0);
    }

    static Attribute ofInt(String name, long value) {
      return new Attribute(name, ATTRIBUTE_TYPE_INT, 0, value);
    }
  }

  private record Node(String name, String opType, List<String> inputs, String output, List<Attribute> attributes) {}

  private record Value(String name, int width) {}

  private final String name;
  private final String docString;
  private final List<Node> nodes = new ArrayList<>();
  private final List<ProtoWriter> initializers = new ArrayList<>();
  private final List<Value> inputs = new ArrayList<>();
  private final List<Value> outputs = new ArrayList<>();

  OnnxGraph(String name, String docString) {
    this.name = name;
    this.docString = docString;
  }

  /** Declares a graph input of shape [N, width]; returns its name. */
  String input(String tensor, int width) {
    inputs.add(new Value(tensor, width));
    return tensor;
  }

  /** A constant float tensor of the given shape, row-major; returns its name. */
  String initializer(String tensor, long[] dims, float[] values) {
    ProtoWriter t = new ProtoWriter();
    for (long d : dims) {
      t.varint(TENSOR_DIMS, d);
    }
    t.varint(TENSOR_DATA_TYPE, FLOAT);
    t.string(TENSOR_NAME, tensor);
    ByteBuffer raw = ByteBuffer.allocate(Math.multiplyExact(values.length, Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    t.bytes(TENSOR_RAW_DATA, raw.array());
    initializers.add(t);
    return tensor;
  }

  /** A node of the default (ai.onnx) domain with one output, named {@code output}; returns that name. */
  String node(String nodeName, String opType, List<String> nodeInputs, String output, Attribute... attributes) {
    nodes.add(new Node(nodeName, opType, List.copyOf(nodeInputs), output, List.of(attributes)));
    return output;
  }

  /**
   * Declares {@code tensor} a graph output of shape [N, width] under {@code outputName}. The node that computes
   * the tensor is renamed to write it directly when it is the last one (nothing reads it yet); otherwise an
   * Identity node gives the output its name.
   */
  void output(String tensor, String outputName, int width) {
    Node last = nodes.isEmpty() ? null : nodes.get(nodes.size() - 1);
    if (last != null && last.output().equals(tensor)) {
      nodes.set(nodes.size() - 1, new Node(last.name(), last.opType(), last.inputs(), outputName, last.attributes()));
    } else {
      node(outputName + ".identity", "Identity", List.of(tensor), outputName);
    }
    outputs.add(new Value(outputName, width));
  }

  /** The serialised {@code ModelProto}, with {@code metadata} as its metadata_props in their order. */
  byte[] toBytes(long irVersion, long opset, String producer, String producerVersion, Map<String, String> metadata) {
    ProtoWriter graph = new ProtoWriter();
    for (Node n : nodes) {
      graph.message(GRAPH_NODE, node(n));
    }
    graph.string(GRAPH_NAME, name);
    for (ProtoWriter t : initializers) {
      graph.message(GRAPH_INITIALIZER, t);
    }
    graph.string(GRAPH_DOC_STRING, docString);
    for (Value v : inputs) {
      graph.message(GRAPH_INPUT, valueInfo(v));
    }
    for (Value v : outputs) {
      graph.message(GRAPH_OUTPUT, valueInfo(v));
    }
    ProtoWriter model = new ProtoWriter()
        .varint(MODEL_IR_VERSION, irVersion)
        .string(MODEL_PRODUCER_NAME, producer)
        .string(MODEL_PRODUCER_VERSION, producerVersion)
        .string(MODEL_DOC_STRING, docString)
        .message(MODEL_GRAPH, graph)
        .message(MODEL_OPSET_IMPORT, new ProtoWriter().string(OPSET_DOMAIN, "").varint(OPSET_VERSION, opset));
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      model.message(MODEL_METADATA_PROPS, new ProtoWriter().string(ENTRY_KEY, e.getKey()).string(ENTRY_VALUE,
          e.getValue()));
    }
    return model.toBytes();
  }

  private static ProtoWriter node(Node n) {
    ProtoWriter w = new ProtoWriter();
    for (String in : n.inputs()) {
      w.string(NODE_INPUT, in);
    }
    w.string(NODE_OUTPUT, n.output()).string(NODE_NAME, n.name()).string(NODE_OP_TYPE, n.opType());
    for (Attribute a : n.attributes()) {
      ProtoWriter attribute = new ProtoWriter().string(ATTRIBUTE_NAME, a.name());
      if (a.type() == ATTRIBUTE_TYPE_FLOAT) {
        attribute.float32(ATTRIBUTE_F, a.f());
      } else {
        attribute.varint(ATTRIBUTE_I, a.i());
      }
      w.message(NODE_ATTRIBUTE, attribute.varint(ATTRIBUTE_TYPE, a.type()));
    }
    return w;
  }

  /** A float tensor of shape [N, width]. */
  private static ProtoWriter valueInfo(Value v) {
    ProtoWriter shape = new ProtoWriter()
        .message(SHAPE_DIM, new ProtoWriter().string(DIM_PARAM, BATCH))
        .message(SHAPE_DIM, new ProtoWriter().varint(DIM_VALUE, v.width()));
    ProtoWriter tensorType = new ProtoWriter().varint(TENSOR_TYPE_ELEM_TYPE, FLOAT).message(TENSOR_TYPE_SHAPE, shape);
    return new ProtoWriter().string(VALUE_NAME, v.name()).message(VALUE_TYPE, new ProtoWriter()
        .message(TYPE_TENSOR, tensorType));
  }
}
