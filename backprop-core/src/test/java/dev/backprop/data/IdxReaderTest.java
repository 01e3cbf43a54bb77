package dev.backprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
  private static final List<String> THREE = List.of("a", "b", "c");
  private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

  @TempDir
  Path dir;

  /** An IDX file of unsigned bytes: the header for {@code dims}, then {@code data}. */
  private static byte[] idx(int type, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.put(data).array();
  }

  private static byte[] idx(int[] dims, byte[] data) {
    return idx(0x08, dims, data);
  }

  private static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private Path labels(int... values) throws IOException {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return write("labels.idx", idx(new int[] {values.length}, bytes));
  }

  private InvalidInputException fails(Path images, Path labels) {
    return assertThrows(InvalidInputException.class, () -> IdxReader.read(images, labels, THREE));
  }

  @Test
  void isIdxTellsWhatOpenReadsAsImagesWithoutReadingIt() throws IOException {
    byte[] images = gzip(idx(new int[] {2, 2, 2}, randomBytes(8, 3)));
    byte[] labels = idx(new int[] {2}, new byte[] {1, 0});
    Path folder = Files.createDirectory(dir.resolve("images"));
    Files.write(folder.resolve("train-images-idx3-ubyte.gz"), images);
    Files.write(folder.resolve("train-labels-idx1-ubyte"), labels);
    write("set-images-idx3-ubyte", idx(new int[] {2, 2, 2}, randomBytes(8, 4)));
    write("set-labels-idx1-ubyte.gz", gzip(labels));
    Path csv = write("table.csv", "x,y\n1,a\n2,b\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    for (Path spec : List.of(folder, dir.resolve("set"), csv)) {
      DataSources.Source source = DataSources.open(spec.toString());
      assertEquals(source.format() == DataSources.Format.IDX, DataSources.isIdx(spec.toString()), spec.toString());
    }
    assertTrue(DataSources.isIdx(folder.toString()), "a folder of IDX files");
    assertTrue(DataSources.isIdx(dir.resolve("set").toString()), "a prefix of IDX files");
    assertTrue(!DataSources.isIdx(csv.toString()), "a CSV file");
    assertTrue(!DataSources.isIdx(dir.toString()), "a folder without train-images");
    assertTrue(!DataSources.isIdx(dir.resolve("missing").toString()), "nothing there");
    assertTrue(!DataSources.isIdx("digits") && !DataSources.isIdx("iris"), "bundled tables");
    assertTrue(DataSources.isIdx("fashion-mnist"), "the built-in images, installed or not");
    assertTrue(!DataSources.isIdx("\0"), "not a path");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void readsImagesAndLabels(boolean compressed) throws IOException {
    byte[] pixels = randomBytes(4 * 2 * 3, 7);
    pixels[0] = (byte) 255;
    pixels[1] = 0;
    byte[] imageFile = idx(new int[] {4, 2, 3}, pixels);
    byte[] labelFile = idx(new int[] {4}, new byte[] {2, 0, 1, 2});
    Path images = write("images", compressed ? gzip(imageFile) : imageFile);
    Path labels = write("labels", compressed ? gzip(labelFile) : labelFile);

    Dataset d = IdxReader.read(images, labels, THREE);
    assertEquals(images.toString(), d.source());
    assertEquals(Task.CLASSIFICATION, d.task());
    assertEquals(4, d.size());
    assertEquals(List.of("pixel0", "pixel1", "pixel2", "pixel3", "pixel4", "pixel5"), d.featureNames());
    assertEquals(THREE, d.classes());
    assertArrayEquals(new int[] {2, 0, 1, 2}, d.labels());
    float[] x = d.features().floats();
    for (int i = 0; i < pixels.length; i++) {
      assertEquals((pixels[i] & 0xff) / 255f, x[i], "pixel " + i);
    }
    assertEquals(1f, x[0]);
    assertEquals(0f, x[1]);
  }

  @Test
  void truncatedPixels() throws IOException {
    Path images = write("images", Arrays.copyOf(idx(new int[] {3, 2, 3}, new byte[18]), 16 + 10));
    InvalidInputException e = fails(images, labels(0, 1, 2));
    assertEquals(images.toString(), e.source());
    assertEquals("byte 26", e.place());
    assertTrue(e.getMessage().endsWith("truncated: header declares 18 bytes of pixels, found 10"), e.getMessage());
  }

  @Test
  void truncatedGzipPixels() throws IOException {
    Path images = write("images.gz", gzip(Arrays.copyOf(idx(new int[] {3, 2, 3}, new byte[18]), 16 + 10)));
    InvalidInputException e = fails(images, labels(0, 1, 2));
    assertEquals("byte 26 (after gzip inflation)", e.place());
    assertTrue(e.getMessage().endsWith("found 10"), e.getMessage());
  }

  @Test
  void truncatedHeader() throws IOException {
    Path images = write("images", Arrays.copyOf(idx(new int[] {3, 2, 3}, new byte[0]), 9));
    InvalidInputException e = fails(images, labels(0, 1, 2));
    assertTrue(e.getMessage().contains("truncated: the header needs 16 bytes, found 9"), e.getMessage());
    InvalidInputException empty = fails(write("empty", new byte[0]), labels(0));
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void trailingBytesAreAnError(boolean compressed) throws IOException {
    byte[] file = Arrays.copyOf(idx(new int[] {3, 2, 3}, new byte[18]), 16 + 18 + 5);
    Path images = write("images", compressed ? gzip(file) : file);
    InvalidInputException e = fails(images, labels(0, 1, 2));
    assertEquals(compressed ? "byte 34 (after gzip inflation)" : "byte 34", e.place());
    assertTrue(e.getMessage().contains("after the declared 18 bytes of pixels"), e.getMessage());
  }

  @Test
  void trailingLabelBytesAreAnError() throws IOException {
    Path labels = write("labels", Arrays.copyOf(idx(new int[] {2}, new byte[] {0, 1}), 8 + 2 + 1));
    Path images = write("images", idx(new int[] {2, 1, 1}, new byte[2]));
    InvalidInputException e = fails(images, labels);
    assertEquals(labels.toString(), e.source());
    assertTrue(e.getMessage().contains("1 trailing byte after the declared 2 bytes of labels"), e.getMessage());
  }

  @Test
  void wrongMagic() throws IOException {
    byte[] file = idx(new int[] {1, 1, 1}, new byte[1]);
    file[1] = 0x01;
    InvalidInputException e = fails(write("images", file), labels(0));
    assertEquals("byte 0", e.place());
    assertTrue(e.getMessage().contains("0x00 0x01"), e.getMessage());
  }

  @Test
  void unsupportedTypeCode() throws IOException {
    Path images = write("images", idx(0x0D, new int[] {1, 1, 1}, new byte[4]));
    InvalidInputException e = fails(images, labels(0));
    assertEquals("byte 2", e.place());
    assertTrue(e.getMessage().contains("data type 0x0d is not supported"), e.getMessage());
  }

  @Test
  void wrongDimensionCount() throws IOException {
    Path images = write("images", idx(new int[] {2, 1}, new byte[2]));
    InvalidInputException e = fails(images, labels(0, 1));
    assertEquals("byte 3", e.place());
    assertTrue(e.getMessage().contains("declares 2 dimensions, expected 3"), e.getMessage());
  }

  @Test
  void zeroAndNegativeSizesAreErrors() throws IOException {
    InvalidInputException zero = fails(write("images", idx(new int[] {1, 0, 3}, new byte[0])), labels(0));
    assertEquals("byte 8", zero.place());
    assertTrue(zero.getMessage().contains("dimension 2 has size 0"), zero.getMessage());
    InvalidInputException negative = fails(write("images", idx(new int[] {1, 2, -3}, new byte[0])), labels(0));
    assertEquals("byte 12", negative.place());
  }

  @Test
  void hugeDeclaredSizesFailFast() throws IOException {
    Path labels = labels(0);
    int[][] headers = {
        {1 << 31, 1 << 31, 1},
        {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE},
        {1 << 16, 1 << 16, 1}};
    String[] problems = {
        "dimension 1 has size -2147483648 (0x80000000), expected a positive size",
        "2147483647 x 2147483647 x 2147483647 elements, more than one Java array can hold",
        "65536 x 65536 x 1 elements, more than one Java array can hold"};
    for (int i = 0; i < headers.length; i++) {
      Path images = write("huge" + i, gzip(idx(headers[i], new byte[100])));
      InvalidInputException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> fails(images, labels));
      assertEquals(images.toString(), e.source());
      assertTrue(e.getMessage().contains(problems[i]), e.getMessage());
    }
  }

  @Test
  void headerDeclaringTwoToTheFortyElementsNamesTheFileAndTheByte() throws IOException {
    int[] dims = {1 << 20, 1 << 10, 1 << 10};
    Path labels = labels(0);
    Path plain = write("plain-2-40", idx(dims, new byte[16]));
    InvalidInputException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> fails(plain, labels));
    assertEquals(plain + ": byte 4: the header declares 1048576 x 1024 x 1024 elements, more than one Java array"
        + " can hold (at most 2147483639)", e.getMessage());
    Path packed = write("packed-2-40", gzip(idx(dims, new byte[16])));
    InvalidInputException g = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> fails(packed, labels));
    assertEquals(packed.toString(), g.source());
    assertEquals("byte 4 (after gzip inflation)", g.place());
  }

  @Test
  void smallFileDeclaringNearlyTheArrayLimitFailsWithoutAllocatingIt() throws IOException {
    int[] dims = {1, 46340, 46340};
    Path labels = labels(0);
    Path plain = write("plain", idx(dims, new byte[100]));
    Path packed = write("packed", gzip(idx(dims, new byte[100])));
    for (Path images : List.of(plain, packed)) {
      InvalidInputException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> fails(images, labels));
      assertTrue(e.getMessage().contains("truncated: header declares 2147395600 bytes of pixels, found 100"),
          e.getMessage());
    }
  }

  @Test
  void gzipBombStopsAfterTheDeclaredSize() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(idx(new int[] {1, 2, 2}, new byte[0]));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 32; i++) {
        gz.write(zeros);
      }
    }
    Path images = write("bomb.gz", out.toByteArray());
    InvalidInputException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> fails(images, labels(0)));
    assertEquals("byte 20 (after gzip inflation)", e.place());
  }

  @Test
  void corruptGzipIsAnInvalidInput() throws IOException {
    byte[] packed = gzip(idx(new int[] {1, 2, 2}, randomBytes(4, 3)));
    for (int i = 12; i < packed.length - 8; i++) {
      packed[i] = (byte) 0xff;
    }
    InvalidInputException e = fails(write("bad.gz", packed), labels(0));
    assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    InvalidInputException header = fails(write("bad-header.gz", new byte[] {0x1f, (byte) 0x8b, 1}), labels(0));
    assertTrue(header.getMessage().contains("gzip"), header.getMessage());
  }

  @Test
  void imageAndLabelCountsMustMatch() throws IOException {
    Path images = write("images", idx(new int[] {3, 1, 2}, new byte[6]));
    Path labels = labels(0, 1);
    InvalidInputException e = fails(images, labels);
    assertEquals(images.toString(), e.source());
    assertTrue(e.getMessage().contains("3 images, but " + labels + " has 2 labels"), e.getMessage());
  }

  @Test
  void labelOutsideTheClassesNamesItemAndOffset() throws IOException {
    Path labels = labels(0, 2, 3, 1);
    InvalidInputException e = fails(write("images", idx(new int[] {4, 1, 1}, new byte[4])), labels);
    assertEquals(labels.toString(), e.source());
    assertEquals("byte 10", e.place());
    assertTrue(e.getMessage().contains("item 2 has label 3, expected a label below 3"), e.getMessage());
  }

  @Test
  void missingFileAndDirectory() throws IOException {
    Path labels = labels(0);
    InvalidInputException missing = fails(dir.resolve("nope"), labels);
    assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
    InvalidInputException directory = fails(dir, labels);
    assertTrue(directory.getMessage().contains("is a directory"), directory.getMessage());
  }

  @Test
  void readsFashionMnistTestSet() {
    Path images = FASHION.resolve("t10k-images-idx3-ubyte.gz");
    Path labels = FASHION.resolve("t10k-labels-idx1-ubyte.gz");
    Assumptions.assumeTrue(Files.isReadable(images) && Files.isReadable(labels), "Fashion-MNIST is not installed");
    List<String> classes = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
        "Sneaker", "Bag", "Ankle boot");
    Dataset d = IdxReader.read(images, labels, classes);
    assertEquals(10000, d.size());
    assertEquals(784, d.featureCount());
    assertEquals("pixel783", d.featureNames().get(783));
    int[] histogram = new int[10];
    for (int label : d.labels()) {
      histogram[label]++;
    }
    int[] thousand = new int[10];
    Arrays.fill(thousand, 1000);
    assertArrayEquals(thousand, histogram);
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : d.features().floats()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(0f, min);
    assertEquals(1f, max);
  }
}
