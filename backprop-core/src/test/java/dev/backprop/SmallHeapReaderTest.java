package dev.backprop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiny files that declare enormous contents are refused by arithmetic on their headers, in a JVM whose heap
 * ({@value #HEAP}) could not hold what they declare: a reader that allocated first would die of an
 * OutOfMemoryError instead of naming the file and the place.
 */
class SmallHeapReaderTest {
  private static final String HEAP = "-Xmx64m";
  private static final long TIMEOUT_SECONDS = 120;

  @TempDir
  Path dir;

  /** What the child JVM printed and its exit code. */
  private record Outcome(int exitCode, String output) {}

  private static Outcome run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(HEAP);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SmallHeapReader.class.getName());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Thread drain = new Thread(() -> {
      try (InputStream in = process.getInputStream()) {
        in.transferTo(output);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    drain.start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the reader ran for more than " + TIMEOUT_SECONDS + " s: " + command);
    }
    drain.join();
    return new Outcome(process.exitValue(), output.toString(StandardCharsets.UTF_8).strip());
  }

  private static void assertInvalidInput(Outcome outcome, String message) {
    assertEquals(SmallHeapReader.INVALID_INPUT, outcome.exitCode(), outcome.output());
    assertTrue(outcome.output().contains("invalid input: " + message), outcome.output());
  }

  private static byte[] idx(int... dims) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + 16);
    b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.array();
  }

  private static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    }
    return out.toByteArray();
  }

  private static byte[] safetensors(String header, int dataBytes) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h)
        .array();
  }

  @Test
  void theChildHeapIsReallySmall() throws Exception {
    Outcome heap = run("heap");
    assertEquals(0, heap.exitCode(), heap.output());
    long bytes = Long.parseLong(heap.output().lines().filter(l -> l.matches("\\d+")).findFirst().orElseThrow());
    assertTrue(bytes <= 64L << 20, bytes + " bytes of heap");
  }

  @Test
  void idxDeclaringTwoToTheFortyElements() throws Exception {
    Path labels = Files.write(dir.resolve("labels"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 0});
    Path plain = Files.write(dir.resolve("images"), idx(1 << 20, 1 << 10, 1 << 10));
    assertInvalidInput(run("idx", plain.toString(), labels.toString()), plain + ": byte 4: the header declares"
        + " 1048576 x 1024 x 1024 elements, more than one Java array can hold");
    Path packed = Files.write(dir.resolve("images.gz"), gzip(idx(1 << 20, 1 << 10, 1 << 10)));
    assertInvalidInput(run("idx", packed.toString(), labels.toString()), packed + ": byte 4 (after gzip"
        + " inflation): the header declares 1048576 x 1024 x 1024 elements");
  }

  @Test
  void idxDeclaringNearlyTheArrayLimit() throws Exception {
    Path labels = Files.write(dir.resolve("labels"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 0});
    Path packed = Files.write(dir.resolve("images.gz"), gzip(idx(1, 46340, 46340)));
    assertInvalidInput(run("idx", packed.toString(), labels.toString()), packed + ": byte 32 (after gzip"
        + " inflation): truncated: header declares 2147395600 bytes of pixels, found 16");
  }

  @Test
  void safetensorsDeclaringTwoToTheFortyElements() throws Exception {
    Path file = Files.write(dir.resolve("huge.safetensors"), safetensors(
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1048576,1048576],\"data_offsets\":[0,4398046511104]}}", 8));
    String expected = file + ": header field 'w.shape': tensor 'w' with shape [1048576, 1048576] has 1099511627776"
        + " elements; expected at most 2147483639";
    assertInvalidInput(run("safetensors", file.toString()), expected);
    assertInvalidInput(run("model", file.toString()), expected);
  }

  @Test
  void safetensorsDeclaringNearlyTheArrayLimit() throws Exception {
    Path file = Files.write(dir.resolve("big.safetensors"), safetensors(
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[536870000],\"data_offsets\":[0,2147480000]}}", 8));
    assertInvalidInput(run("safetensors", file.toString()), file + ": header field 'w.data_offsets': tensor 'w'"
        + " ends at data byte 2147480000, past the end of the data (8 bytes after the header)");
  }
}
