package dev.backprop.io;

import dev.backprop.internal.io.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.InvalidInputException;
import dev.backprop.data.Normalization;
import dev.backprop.data.Task;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file saved by {@link ModelFile#save}, then broken in one place: loading it names the file, the place
 * (a byte offset or a header field) and what was expected. The model: 2 inputs, 3 relu, 2 softmax; tensors in
 * the order layers.0.weight [3, 2], layers.0.bias [3], layers.1.weight [2, 3], layers.1.bias [2].
 */
class MalformedModelFileTest {
  @TempDir
  Path dir;

  private Map<String, Object> header;
  private byte[] data;

  @BeforeEach
  @SuppressWarnings("unchecked")
  void saveAGoodModel() throws IOException {
    Network net = Network.builder(2).dense(3, Activations.relu()).dense(2, Activations.softmax())
        .seed(5).build();
    ModelInfo info = new ModelInfo(Task.CLASSIFICATION, List.of("u", "v"), "label", List.of("no", "yes"),
        Normalization.none(2), Map.of());
    Path good = dir.resolve("good.safetensors");
    ModelFile.save(new Model(net, new CrossEntropyLoss(), info), good);
    byte[] bytes = Files.readAllBytes(good);
    int length = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    header = (Map<String, Object>) Json.parse("good", new String(bytes, 8, length, StandardCharsets.UTF_8));
    data = Arrays.copyOfRange(bytes, 8 + length, bytes.length);
    assertEquals(4 * (6 + 3 + 6 + 2), data.length);
  }

  /** The file with the header changed by {@code edit} and the given data bytes; returns its path. */
  private Path write(String name, Consumer<Map<String, Object>> edit, byte[] dataBytes) throws IOException {
    edit.accept(header);
    byte[] h = Json.write(header).getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes.length).order(ByteOrder.LITTLE_ENDIAN);
    return Files.write(dir.resolve(name), b.putLong(h.length).put(h).put(dataBytes).array());
  }

  /** The byte offset in {@code file} of data byte {@code at}. */
  private static long fileOffset(Path file, long at) throws IOException {
    byte[] prefix = Arrays.copyOf(Files.readAllBytes(file), 8);
    return 8 + ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong() + at;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> entry(String tensor) {
    return (Map<String, Object>) header.get(tensor);
  }

  private static InvalidInputException refused(Path file, String place) {
    InvalidInputException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertThrows(InvalidInputException.class, () -> ModelFile.load(file)));
    assertEquals(file.toString(), e.source());
    assertEquals(place, e.place(), e.getMessage());
    assertTrue(e.getMessage().startsWith(file + ": " + place + ": "), e.getMessage());
    return e;
  }

  private static void assertContains(InvalidInputException e, String fragment) {
    assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' not in: " + e.getMessage());
  }

  @Test
  void theUnbrokenFileLoads() throws IOException {
    Path file = write("same.safetensors", h -> { }, data);
    assertEquals(2, ModelFile.load(file).network().outputSize());
  }

  @Test
  void headerLengthOverTheLimitIsRefusedBeforeReadingIt() throws IOException {
    for (long declared : new long[] {100_000_001L, 1L << 40, -1L}) {
      ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(declared);
      Path file = Files.write(dir.resolve("long-header.safetensors"), b.array());
      InvalidInputException e = refused(file, "byte 0");
      assertContains(e, "header of " + Long.toUnsignedString(declared)
          + " bytes exceeds the 100 MB limit (100000000 bytes)");
    }
  }

  @Test
  void offsetsThatLeaveAGapAreRefused() throws IOException {
    Path file = write("gap.safetensors", h -> entry("layers.1.bias").put("data_offsets", List.of(64, 72)),
        Arrays.copyOf(data, 72));
    InvalidInputException e = refused(file, "header field 'layers.1.bias.data_offsets'");
    assertContains(e, "data bytes [60, 64) between tensor 'layers.1.weight' and tensor 'layers.1.bias' belong to"
        + " no tensor; expected tensor 'layers.1.bias' to begin at 60");
  }

  @Test
  void offsetsThatOverlapAreRefused() throws IOException {
    Path file = write("overlap.safetensors", h -> entry("layers.1.bias").put("data_offsets", List.of(56, 64)),
        Arrays.copyOf(data, 64));
    InvalidInputException e = refused(file, "header field 'layers.1.bias.data_offsets'");
    assertContains(e, "overlap tensor 'layers.1.weight' data_offsets [36, 60]");
  }

  @Test
  void bytesAfterTheLastTensorAreRefused() throws IOException {
    Path file = write("trailing.safetensors", h -> { }, Arrays.copyOf(data, data.length + 3));
    InvalidInputException e = refused(file, "byte " + fileOffset(file, data.length));
    assertContains(e, "3 trailing bytes belong to no tensor");
  }

  @Test
  void offsetsPastTheEndOfTheFileAreRefused() throws IOException {
    Path file = write("short.safetensors", h -> { }, Arrays.copyOf(data, data.length - 4));
    InvalidInputException e = refused(file, "header field 'layers.1.bias.data_offsets'");
    assertContains(e, "tensor 'layers.1.bias' ends at data byte 68, past the end of the data (64 bytes after the"
        + " header)");
  }

  @Test
  void aDtypeOtherThanF32IsRefused() throws IOException {
    Path file = write("f16.safetensors", h -> entry("layers.0.bias").put("dtype", "F16"), data);
    InvalidInputException e = refused(file, "header field 'layers.0.bias.dtype'");
    assertContains(e, "tensor 'layers.0.bias' has dtype F16, which is not supported; expected F32");
  }

  @Test
  void aShapeThatDisagreesWithTheOffsetsIsRefused() throws IOException {
    Path file = write("shape-offsets.safetensors", h -> entry("layers.0.bias").put("shape", List.of(4)), data);
    InvalidInputException e = refused(file, "header field 'layers.0.bias.data_offsets'");
    assertContains(e, "so expected data_offsets spanning 16 bytes (4 F32 elements), found [24, 36] spanning 12");
  }

  @Test
  void aShapeThatDisagreesWithTheMetadataIsRefused() throws IOException {
    Path file = write("transposed.safetensors", h -> entry("layers.0.weight").put("shape", List.of(2, 3)), data);
    InvalidInputException e = refused(file, "header field 'layers.0.weight.shape'");
    assertContains(e, "expected [3, 2] from the metadata's layers, found [2, 3]");
  }

  @Test
  void aTensorDeclaringTwoToTheFortyElementsFailsFast() throws IOException {
    Path file = write("huge.safetensors", h -> {
      entry("layers.0.weight").put("shape", List.of(1L << 20, 1L << 20));
      entry("layers.0.weight").put("data_offsets", List.of(0L, 1L << 42));
    }, data);
    InvalidInputException e = refused(file, "header field 'layers.0.weight.shape'");
    assertContains(e, "with shape [1048576, 1048576] has 1099511627776 elements; expected at most 2147483639");
  }

  @Test
  void nanAndInfiniteWeightsAreRefusedAtTheirByte() throws IOException {
    float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    for (int k = 0; k < bad.length; k++) {
      byte[] broken = data.clone();
      int element = k;
      ByteBuffer.wrap(broken).order(ByteOrder.LITTLE_ENDIAN).putFloat(24 + 4 * element, bad[k]);
      Path file = write("non-finite-" + k + ".safetensors", h -> { }, broken);
      InvalidInputException e = refused(file, "byte " + fileOffset(file, 24 + 4 * element));
      assertContains(e, "tensor 'layers.0.bias' element " + element + " is " + bad[k] + "; expected a finite value");
    }
  }

  @Test
  void metadataThatIsNotJsonNamesTheFileAndTheField() throws IOException {
    @SuppressWarnings("unchecked")
    Consumer<Map<String, Object>> broken = h -> ((Map<String, Object>) h.get("__metadata__"))
        .put(ModelFile.METADATA_KEY, "{\"format\": ");
    Path file = write("not-json.safetensors", broken, data);
    InvalidInputException e = refused(file, "header field '__metadata__.backprop', JSON offset 11");
    assertContains(e, "expected a JSON value, found the end of the input");
    @SuppressWarnings("unchecked")
    Consumer<Map<String, Object>> array = h -> ((Map<String, Object>) h.get("__metadata__"))
        .put(ModelFile.METADATA_KEY, "[1]");
    Path notObject = write("array.safetensors", array, data);
    assertContains(refused(notObject, "header field '__metadata__.backprop'"), "expected a JSON object");
  }

  @Test
  void repeatedFeatureOrClassNamesAreRefused() throws IOException {
    String good = metadataText();
    Path features = write("features.safetensors",
        h -> setMetadataText(good.replace("\"features\":[\"u\",\"v\"]", "\"features\":[\"u\",\"u\"]")), data);
    assertContains(refused(features, "metadata field 'features[1]'"), "'u' repeats features[0]; expected distinct");
    Path classes = write("classes.safetensors",
        h -> setMetadataText(good.replace("\"classes\":[\"no\",\"yes\"]", "\"classes\":[\"no\",\"no\"]")), data);
    assertContains(refused(classes, "metadata field 'classes[1]'"), "'no' repeats classes[0]; expected distinct");
  }

  @SuppressWarnings("unchecked")
  private String metadataText() {
    return (String) ((Map<String, Object>) header.get("__metadata__")).get(ModelFile.METADATA_KEY);
  }

  @SuppressWarnings("unchecked")
  private void setMetadataText(String text) {
    if (text.equals(metadataText())) {
      throw new AssertionError("the edit changed nothing: " + text);
    }
    ((Map<String, Object>) header.get("__metadata__")).put(ModelFile.METADATA_KEY, text);
  }
}
