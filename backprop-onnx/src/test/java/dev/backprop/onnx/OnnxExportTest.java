package dev.backprop.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.Normalization;
import dev.backprop.data.Task;
import dev.backprop.io.Model;
import dev.backprop.io.ModelInfo;
import dev.backprop.loss.Losses;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activation;
import dev.backprop.nn.activation.Activations;
import dev.backprop.tensor.Matrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protobuf encoding, the refusals and the atomic write, without a runtime. */
class OnnxExportTest {
  @TempDir Path dir;

  @Test
  void varintsAndFieldsAreEncodedAsProtobufDoes() {
    // protobuf's own examples: 150 in field 1 is 08 96 01; "testing" in field 2 is 12 07 74 65 73 74 69 6e 67
    assertArrayEquals(new byte[] {0x08, (byte) 0x96, 0x01}, new ProtoWriter().varint(1, 150).toBytes());
    assertArrayEquals(new byte[] {0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'},
        new ProtoWriter().string(2, "testing").toBytes());
    // negative int64 values take ten bytes; field 20 needs a two-byte tag
    assertEquals(1 + 10, new ProtoWriter().varint(1, -1).toBytes().length);
    assertArrayEquals(new byte[] {(byte) 0xa0, 0x01, 0x02}, new ProtoWriter().varint(20, 2).toBytes());
    // a float is fixed32, little-endian: 1.0f is 3f800000
    assertArrayEquals(new byte[] {0x15, 0, 0, (byte) 0x80, 0x3f}, new ProtoWriter().float32(2, 1.0f).toBytes());
    // an embedded message is its bytes behind its length
    assertArrayEquals(new byte[] {0x3a, 0x03, 0x08, (byte) 0x96, 0x01},
        new ProtoWriter().message(7, new ProtoWriter().varint(1, 150)).toBytes());
  }

  @Test
  void theModelHeaderIsIrSevenWithOpsetThirteen() {
    byte[] bytes = OnnxExport.toBytes(model(Activations.relu()));
    // ModelProto field 1 (ir_version) = 7 comes first
    assertEquals(0x08, bytes[0]);
    assertEquals(7, bytes[1]);
    assertTrue(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains("Gemm"));
  }

  @Test
  void anActivationWithoutAnOnnxOperatorIsRefused() {
    Activation square = new Activation() {
      @Override
      public String name() {
        return "square";
      }

      @Override
      public void forward(Matrix z, Matrix a) {
        for (int i = 0; i < z.size(); i++) {
          a.setFlat(i, z.getFlat(i) * z.getFlat(i));
        }
      }

      @Override
      public void backward(Matrix z, Matrix a, Matrix gradA, Matrix delta) {
        for (int i = 0; i < z.size(); i++) {
          delta.setFlat(i, 2 * z.getFlat(i) * gradA.getFlat(i));
        }
      }
    };
    Path target = dir.resolve("m.onnx");
    UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
        () -> OnnxExport.write(model(square), target));
    assertEquals("the activation 'square' of dense layer 0 has no ONNX export; supported: sigmoid, tanh, relu, "
        + "leaky-relu, identity, softmax", e.getMessage());
    assertFalse(Files.exists(target));
  }

  @Test
  void aModelBeyondProtobufsLimitIsRefusedBeforeAnyLargeArray() {
    UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
        () -> OnnxExport.toBytes(model(Activations.relu()), 1000));
    assertTrue(e.getMessage().startsWith("the model has 31 parameters, about "), e.getMessage());
  }

  @Test
  void writeReplacesTheTargetAtomicallyAndLeavesNothingElse() throws IOException {
    Path target = dir.resolve("m.onnx");
    Files.writeString(target, "old");
    Model m = model(Activations.tanh());
    OnnxExport.write(m, target);
    assertArrayEquals(OnnxExport.toBytes(m), Files.readAllBytes(target));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(target), files.toList());
    }
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
    Path folder = Files.createDirectory(dir.resolve("target-is-a-folder"));
    Files.writeString(folder.resolve("inside"), "x");
    assertThrows(IOException.class, () -> OnnxExport.write(model(Activations.relu()), folder));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(folder), files.toList());
    }
  }

  @Test
  void classNamesAreAJsonArrayWithEscapes() {
    assertEquals("[\"a\\\"b\",\"c\\\\d\",\"e\\u000af\"]", OnnxExport.jsonStrings(List.of("a\"b", "c\\d", "e\nf")));
    assertEquals("[]", OnnxExport.jsonStrings(List.of()));
  }

  /** 3 -> 4 f -> 3 softmax, cross-entropy: 31 parameters. */
  private static Model model(Activation hidden) {
    Network net = Network.builder(3).dense(4, hidden).dense(3, Activations.softmax()).seed(5).build();
    return new Model(net, Losses.byName("cross-entropy"), new ModelInfo(Task.CLASSIFICATION, List.of("a", "b", "c"),
        "y", List.of("p", "q", "r"), Normalization.none(3), Map.of()));
  }
}
