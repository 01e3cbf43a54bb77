package dev.backprop.io;

import dev.backprop.internal.io.JsonObject;
import dev.backprop.internal.io.Json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.InvalidInputException;
import dev.backprop.SeededRandom;
import dev.backprop.io.SafeTensors.Contents;
import dev.backprop.io.SafeTensors.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
  @TempDir
  Path dir;

  private static final String SOURCE = "model.safetensors";

  private static float[] randomFloats(SeededRandom random, int n) {
    float[] data = new float[n];
    for (int i = 0; i < n; i++) {
      data[i] = (float) random.nextDouble(-3, 3);
    }
    return data;
  }

  private static List<Tensor> sampleTensors() {
    SeededRandom random = new SeededRandom(11L);
    float subnormal = Float.MIN_NORMAL / 3;
    return List.of(
        new Tensor("layer0.weight", new int[] {2, 3}, randomFloats(random, 6)),
        new Tensor("layer0.bias", new int[] {3}, randomFloats(random, 3)),
        new Tensor("scale", new int[] {}, new float[] {1.5f}),
        new Tensor("empty", new int[] {0, 3}, new float[0]),
        new Tensor("special", new int[] {7},
            new float[] {-0.0f, 0.0f, Float.MIN_VALUE, subnormal, Float.MAX_VALUE, -Float.MAX_VALUE, 0.1f}));
  }

  private static Map<String, String> sampleMetadata() {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "backprop");
    metadata.put("note", "é \"quoted\" \uD83D\uDE00");
    return metadata;
  }

  /** A file from its header text (not padded) and little-endian data bytes. */
  private static byte[] file(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    return b.putLong(h.length).put(h).put(data).array();
  }

  private static byte[] le(float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  private static InvalidInputException refused(byte[] bytes) {
    return assertThrows(InvalidInputException.class, () -> SafeTensors.read(SOURCE, bytes));
  }

  private static void assertRefused(byte[] bytes, String place, String... fragments) {
    InvalidInputException e = refused(bytes);
    assertEquals(SOURCE, e.source());
    assertEquals(place, e.place(), e.getMessage());
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' not in: " + e.getMessage());
    }
  }

  @Test
  void tensorsRoundTripBitForBitThroughAFile() throws IOException {
    Path file = dir.resolve("m.safetensors");
    SafeTensors.write(file, sampleMetadata(), sampleTensors());
    Contents read = SafeTensors.read(file);
    assertEquals(file.toString(), read.source());
    assertEquals(sampleMetadata(), read.metadata());
    assertEquals(List.of("format", "note"), new ArrayList<>(read.metadata().keySet()));
    assertEquals(sampleTensors(), read.tensors());
    for (Tensor expected : sampleTensors()) {
      Tensor actual = read.tensor(expected.name());
      assertArrayEquals(expected.shape(), actual.shape());
      for (int i = 0; i < expected.data().length; i++) {
        assertEquals(Float.floatToRawIntBits(expected.data()[i]), Float.floatToRawIntBits(actual.data()[i]),
            expected.name() + "[" + i + "]");
      }
    }
    assertEquals(1, read.tensor("scale").data().length);
    assertArrayEquals(new int[] {0, 3}, read.tensor("empty").shape());
    assertArrayEquals(SafeTensors.toBytes(sampleMetadata(), sampleTensors()), Files.readAllBytes(file));
  }

  @Test
  void largeTensorsRoundTripAcrossReadChunks() throws IOException {
    SeededRandom random = new SeededRandom(5L);
    List<Tensor> tensors = List.of(new Tensor("a", new int[] {250, 401}, randomFloats(random, 100_250)),
        new Tensor("b", new int[] {16_385}, randomFloats(random, 16_385)));
    Path file = dir.resolve("big.safetensors");
    SafeTensors.write(file, Map.of(), tensors);
    assertEquals(tensors, SafeTensors.read(file).tensors());
    assertEquals(tensors, SafeTensors.read("mem", SafeTensors.toBytes(Map.of(), tensors)).tensors());
  }

  @Test
  void headerIsPaddedWithSpacesToAMultipleOf8() {
    for (int nameLength = 1; nameLength <= 16; nameLength++) {
      List<Tensor> tensors = List.of(new Tensor("n".repeat(nameLength), new int[] {1}, new float[] {2f}));
      byte[] bytes = SafeTensors.toBytes(Map.of(), tensors);
      long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
      assertEquals(0, (8 + n) % 8, "name length " + nameLength);
      assertEquals(8 + n + 4, bytes.length);
      String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
      assertTrue(header.endsWith("}") || header.endsWith(" "), header);
      assertTrue(header.strip().endsWith("}"));
      assertTrue(header.substring(header.strip().length()).isBlank());
      assertTrue(header.length() - header.stripTrailing().length() < 8);
    }
  }

  @Test
  void writtenHeaderHasTheDocumentedLayout() {
    byte[] bytes = SafeTensors.toBytes(sampleMetadata(), sampleTensors());
    int n = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    Map<?, ?> header = (Map<?, ?>) Json.parse("header", new String(bytes, 8, n, StandardCharsets.UTF_8));
    assertEquals(List.of("__metadata__", "layer0.weight", "layer0.bias", "scale", "empty", "special"),
        new ArrayList<>(header.keySet()));
    assertEquals(sampleMetadata(), header.get("__metadata__"));
    assertEquals(Map.of("dtype", "F32", "shape", List.of(2L, 3L), "data_offsets", List.of(0L, 24L)),
        header.get("layer0.weight"));
    assertEquals(List.of("dtype", "shape", "data_offsets"),
        new ArrayList<>(((Map<?, ?>) header.get("layer0.weight")).keySet()));
    assertEquals(Map.of("dtype", "F32", "shape", List.of(3L), "data_offsets", List.of(24L, 36L)),
        header.get("layer0.bias"));
    assertEquals(Map.of("dtype", "F32", "shape", List.of(), "data_offsets", List.of(36L, 40L)), header.get("scale"));
    assertEquals(Map.of("dtype", "F32", "shape", List.of(0L, 3L), "data_offsets", List.of(40L, 40L)),
        header.get("empty"));
    assertEquals(List.of(40L, 68L), ((Map<?, ?>) header.get("special")).get("data_offsets"));
    assertEquals(8 + n + 68, bytes.length);

    byte[] noMetadata = SafeTensors.toBytes(Map.of(), List.of(new Tensor("w", new int[] {1}, new float[] {1f})));
    String text = new String(noMetadata, 8, noMetadata.length - 12, StandardCharsets.UTF_8);
    assertEquals("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", text.strip());
  }

  @Test
  void readsAFileLaidOutAsTheReferenceLibraryWritesIt() throws IOException {
    // The bytes the reference Python library writes for the float32 tensor w = [1.0, -2.5] with metadata
    // format=pt: compact JSON header padded with spaces to a multiple of 8, then little-endian floats.
    String json = "{\"__metadata__\":{\"format\":\"pt\"},"
        + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    int padding = (8 - json.length() % 8) % 8;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) (json.length() + padding), 0, 0, 0, 0, 0, 0, 0});
    out.write((json + " ".repeat(padding)).getBytes(StandardCharsets.US_ASCII));
    out.write(new byte[] {0x00, 0x00, (byte) 0x80, 0x3f}); // 1.0f
    out.write(new byte[] {0x00, 0x00, 0x20, (byte) 0xc0}); // -2.5f
    byte[] reference = out.toByteArray();
    assertEquals(88, json.length() + padding);

    Contents c = SafeTensors.read("reference.safetensors", reference);
    assertEquals(Map.of("format", "pt"), c.metadata());
    assertEquals(List.of(new Tensor("w", new int[] {2}, new float[] {1.0f, -2.5f})), c.tensors());
    assertArrayEquals(reference, SafeTensors.toBytes(c.metadata(), c.tensors()));
  }

  @Test
  void fileShorterThanThePrefixIsRefused() {
    assertRefused(new byte[5], "byte 5", "ends after 5 bytes", "8-byte");
    assertRefused(new byte[0], "byte 0", "ends after 0 bytes");
  }

  @Test
  void headerLengthBeyondTheLimitIsRefused() {
    byte[] bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(100_000_001L).array();
    assertRefused(bytes, "byte 0", "header of 100000001 bytes exceeds the 100 MB limit");
    byte[] huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array();
    assertRefused(huge, "byte 0", "header of 18446744073709551615 bytes exceeds the 100 MB limit");
  }

  @Test
  void headerLengthPastTheEndIsRefused() {
    byte[] bytes = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array();
    assertRefused(bytes, "byte 0", "header of 1000 bytes", "past the end of the file (20 bytes)");
  }

  @Test
  void headerThatIsNotAJsonObjectIsRefused() {
    assertRefused(file("{x}", new byte[0]), "byte 9", "expected a string key");
    assertRefused(file("[1, 2]", new byte[0]), "byte 8", "starting with '{'");
    assertRefused(file("", new byte[0]), "byte 8", "empty header");
    assertRefused(file("{} x", new byte[0]), "byte 11", "end of the input");
    assertRefused(file("{\"é\":1x}", new byte[0]), "byte 15", "expected ',' or '}'");
    byte[] notUtf8 = file("{\"a\":1}", new byte[0]);
    notUtf8[10] = (byte) 0xff;
    assertRefused(notUtf8, "byte 10", "not valid UTF-8");
  }

  @Test
  void unsupportedDtypeIsRefused() {
    String header = "{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}";
    assertRefused(file(header, new byte[4]), "header field 'w.dtype'", "'w'", "F16", "expected F32");
  }

  @Test
  void entriesMustHaveExactlyTheThreeFields() {
    assertRefused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4]),
        "header field 'w.data_offsets'", "missing");
    assertRefused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", new byte[4]),
        "header field 'w.x'", "unexpected field");
    assertRefused(file("{\"w\":[1]}", new byte[0]), "header field 'w'", "expected an object, found an array");
    assertRefused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]),
        "header field 'w.shape[0]'", "expected a dimension");
    assertRefused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", new byte[4]),
        "header field 'w.shape[0]'", "expected an integer");
    assertRefused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", new byte[4]),
        "header field 'w.data_offsets'", "expected [begin, end]");
    assertRefused(file("{\"__metadata__\":{\"n\":1}}", new byte[0]),
        "header field '__metadata__.n'", "expected a string, found an integer");
    assertRefused(file("{\"w\":{},\"w\":{}}", new byte[0]), "byte 16", "duplicate key");
  }

  @Test
  void shapeAndOffsetsMustAgree() {
    String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}";
    assertRefused(file(header, new byte[4]), "header field 'w.data_offsets'", "spanning 8 bytes", "[0, 4]");
  }

  @Test
  void overlappingTensorsAreRefused() {
    String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
    assertRefused(file(header, new byte[12]), "header field 'b.data_offsets'", "'a'", "'b'", "overlap");
  }

  @Test
  void gapsBetweenTensorsAreRefused() {
    String header = "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    assertRefused(file(header, new byte[12]), "header field 'b.data_offsets'", "'a'", "'b'", "[4, 8)");
    String first = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
    assertRefused(file(first, new byte[8]), "header field 'a.data_offsets'", "[0, 4)", "start of the data");
  }

  @Test
  void dataPastTheEndIsRefused() {
    String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    assertRefused(file(header, new byte[4]), "header field 'a.data_offsets'", "past the end of the data (4 bytes");
  }

  @Test
  void trailingBytesAreRefused() {
    String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    int n = header.length();
    assertRefused(file(header, new byte[8]), "byte " + (8 + n + 4), "4 trailing bytes");
    assertRefused(file("{}", new byte[1]), "byte 10", "1 trailing bytes");
  }

  @Test
  void hugeDeclaredTensorsFailFastWithoutAllocating() throws IOException {
    String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1048576,1048576],\"data_offsets\":[0,4398046511104]}}";
    byte[] bytes = file(header, le(1f, 2f));
    Path path = dir.resolve("huge.safetensors");
    Files.write(path, bytes);
    InvalidInputException e = assertTimeout(Duration.ofSeconds(2),
        () -> assertThrows(InvalidInputException.class, () -> SafeTensors.read(path)));
    assertEquals("header field 'w.shape'", e.place());
    assertTrue(e.getMessage().contains("1099511627776 elements"), e.getMessage());

    String overflow = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,0],\"data_offsets\":[0,0]}}";
    assertRefused(file(overflow, new byte[0]), "header field 'w.shape[0]'", "expected a dimension");
    String product = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2000000000,2000000000,2000000000],\"data_offsets\":[0,4]}}";
    assertRefused(file(product, new byte[0]), "header field 'w.shape'", "more than 2^63 elements");

    String consistent = "{\"w\":{\"dtype\":\"F32\",\"shape\":[500000000],\"data_offsets\":[0,2000000000]}}";
    Files.write(path, file(consistent, le(1f)));
    InvalidInputException pastEnd = assertTimeout(Duration.ofSeconds(2),
        () -> assertThrows(InvalidInputException.class, () -> SafeTensors.read(path)));
    assertTrue(pastEnd.getMessage().contains("past the end of the data"), pastEnd.getMessage());
  }

  @Test
  void nonFiniteValuesAreRefusedWithTheirIndex() {
    String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}";
    int n = header.length();
    assertRefused(file(header, le(1f, Float.NaN, 2f)), "byte " + (8 + n + 4), "'w'", "element 1 is NaN");
    assertRefused(file(header, le(1f, 2f, Float.NEGATIVE_INFINITY)), "byte " + (8 + n + 8), "element 2 is -Infinity");
  }

  @Test
  void missingFileAndMissingTensorAreInvalidInput() {
    Path missing = dir.resolve("absent.safetensors");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> SafeTensors.read(missing));
    assertEquals(missing.toString(), e.source());
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());

    Contents c = SafeTensors.read(SOURCE, SafeTensors.toBytes(Map.of(), sampleTensors()));
    assertTrue(c.has("scale"));
    assertFalse(c.has("nope"));
    InvalidInputException absent = assertThrows(InvalidInputException.class, () -> c.tensor("nope"));
    assertEquals(SOURCE, absent.source());
    assertTrue(absent.getMessage().contains("'nope'") && absent.getMessage().contains("'layer0.bias'"),
        absent.getMessage());
  }

  @Test
  void writerRefusesWhatTheReaderWouldRefuse() throws IOException {
    Path file = dir.resolve("w.safetensors");
    Files.writeString(file, "old");
    Tensor nan = new Tensor("w", new int[] {2}, new float[] {1f, Float.NaN});
    assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, Map.of(), List.of(nan)));
    Tensor a = new Tensor("a", new int[] {1}, new float[] {1f});
    assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, Map.of(), List.of(a, a)));
    Tensor reserved = new Tensor("__metadata__", new int[] {1}, new float[] {1f});
    assertThrows(IllegalArgumentException.class, () -> SafeTensors.toBytes(Map.of(), List.of(reserved)));
    assertEquals("old", Files.readString(file));
    try (var listing = Files.list(dir)) {
      assertEquals(List.of(file), listing.toList());
    }
  }

  @Test
  void tensorValidatesItsShape() {
    assertThrows(IllegalArgumentException.class, () -> new Tensor("w", new int[] {2, 3}, new float[5]));
    assertThrows(IllegalArgumentException.class, () -> new Tensor("w", new int[] {-1}, new float[0]));
    assertThrows(IllegalArgumentException.class, () -> new Tensor("s", new int[] {}, new float[0]));
    assertEquals(0, new Tensor("e", new int[] {65536, 65536, 0}, new float[0]).data().length);
    int[] shape = {2};
    Tensor t = new Tensor("w", shape, new float[2]);
    shape[0] = 5;
    t.shape()[0] = 7;
    assertArrayEquals(new int[] {2}, t.shape());
  }

  @Test
  void randomlyCorruptedFilesFailOnlyWithInvalidInput() {
    byte[] valid = SafeTensors.toBytes(sampleMetadata(), sampleTensors());
    SeededRandom random = new SeededRandom(314L);
    int accepted = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] bytes = valid.clone();
      int flips = 1 + random.nextInt(3);
      for (int f = 0; f < flips; f++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextLong();
      }
      if (random.nextInt(4) == 0) {
        bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
      }
      try {
        SafeTensors.read("fuzz", bytes);
        accepted++;
      } catch (InvalidInputException expected) {
        assertEquals("fuzz", expected.source());
      }
    }
    assertTrue(accepted > 0 && accepted < 3000, "accepted " + accepted);
  }
}
