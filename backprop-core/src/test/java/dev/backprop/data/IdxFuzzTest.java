package dev.backprop.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.backprop.FuzzChecks;
import dev.backprop.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the IDX reader on a pair of files: whatever their bytes, the only failure allowed is an
 * {@link InvalidInputException} naming one of the two files.
 *
 * <p>Input layout: byte 0 holds flags (bit 0: gzip the labels file, bit 1: gzip the images file, bit 2: cut the
 * last 4 bytes off a gzip stream), byte 1 is the number of classes minus one, bytes 2-3 the length L of the
 * labels file (big-endian), then L bytes of labels file and the rest is the images file. Without
 * {@code JAZZER_FUZZ} this runs once per file in {@code IdxFuzzTestInputs/idxPair/} (see docs/FUZZING.md).
 */
class IdxFuzzTest {
  private static final int PREFIX = 4;

  @TempDir
  static Path dir;

  @FuzzTest
  void idxPair(byte[] input) throws IOException {
    if (input.length < PREFIX) {
      return;
    }
    int flags = input[0];
    int classCount = (input[1] & 0xff) + 1;
    int labelsLength = Math.min(((input[2] & 0xff) << 8) | (input[3] & 0xff), input.length - PREFIX);
    byte[] labelBytes = Arrays.copyOfRange(input, PREFIX, PREFIX + labelsLength);
    byte[] imageBytes = Arrays.copyOfRange(input, PREFIX + labelsLength, input.length);
    Path labels = dir.resolve("labels-idx1-ubyte");
    Path images = dir.resolve("images-idx3-ubyte");
    boolean cut = (flags & 4) != 0;
    Files.write(labels, (flags & 1) != 0 ? gzip(labelBytes, cut) : labelBytes);
    Files.write(images, (flags & 2) != 0 ? gzip(imageBytes, cut) : imageBytes);
    List<String> classes = new ArrayList<>(classCount);
    for (int i = 0; i < classCount; i++) {
      classes.add("c" + i);
    }
    try {
      IdxReader.read(images, labels, classes);
    } catch (InvalidInputException expected) {
      FuzzChecks.requireSource(expected, expected.source().equals(labels.toString()) ? labels.toString()
          : images.toString());
    }
  }

  private static byte[] gzip(byte[] bytes, boolean cut) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] compressed = out.toByteArray();
    return cut ? Arrays.copyOf(compressed, compressed.length - 4) : compressed;
  }
}
