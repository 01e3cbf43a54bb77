package dev.backprop.cli;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * The run the launcher records its class-data cache from, once per build and JDK (see the launcher and
 * docs/PERFORMANCE.md, "First epoch and start-up"): the commands a user starts most, in this JVM, with their output
 * discarded. The JVM keeps the classes they load (JDK 17 to 24, an application class-data archive), and from JDK 25
 * also what they linked and the methods' profiles (the AOT cache). Not a command; it exits with the first failing
 * command's exit code, so that a recording that went wrong is not used.
 *
 * <p>usage: {@code CacheTraining FOLDER}, an empty folder for its data and models.
 */
final class CacheTraining {
  /** Rows of the small IDX data sets: enough batches for the kernels to reach the JIT's thresholds. */
  private static final int TRAIN_IMAGES = 1024;
  private static final int TEST_IMAGES = 256;
  private static final int SIDE = 28;

  private CacheTraining() {
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Path idx = Files.createDirectories(dir.resolve("idx"));
    writeImages(idx.resolve("train"), TRAIN_IMAGES, 1);
    writeImages(idx.resolve("t10k"), TEST_IMAGES, 2);
    String digits = dir.resolve("digits.safetensors").toString();
    String images = idx.toString();
    List<String[]> commands = List.of(
        // the README's first command: the bundled CSV table, relu and softmax, Adam, the progress lines
        new String[] {"train", "--epochs", "3", "--out", digits},
        // the benchmarks' W1 and W2 on IDX images of Fashion-MNIST's size, gzip-compressed
        new String[] {"train", "--data", images, "--layers", "128", "--activation", "sigmoid", "--output-activation",
            "sigmoid", "--loss", "sse", "--optimizer", "sgd", "--lr", "0.0078125", "--epochs", "2", "--json",
            "--out", dir.resolve("w1.safetensors").toString()},
        new String[] {"train", "--data", images, "--layers", "256,256", "--activation", "relu", "--loss",
            "cross-entropy", "--optimizer", "adam", "--batch-size", "128", "--epochs", "2", "--quiet",
            "--out", dir.resolve("w2.safetensors").toString()},
        new String[] {"eval", "--model", digits, "--data", "digits"},
        new String[] {"predict", "--model", digits, "--data", "digits"});
    PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream(), true);
    for (String[] command : commands) {
      StringWriter err = new StringWriter();
      int code = Main.run(command, discard, new PrintWriter(err, true));
      if (code != Main.OK) {
        System.err.println("backprop " + String.join(" ", command) + " exited " + code + ": " + err);
        System.exit(code);
      }
    }
    // as Main.main ends: the JVM writes the recording as it exits
    System.exit(Main.OK);
  }

  /**
   * Writes {@code count} random 28 x 28 images and their labels (every class in turn) as gzip-compressed IDX files
   * {@code prefix-images-idx3-ubyte.gz} and {@code prefix-labels-idx1-ubyte.gz}.
   */
  static void writeImages(Path prefix, int count, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] pixels = new byte[count * SIDE * SIDE];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) random.nextInt(256);
    }
    byte[] labels = new byte[count];
    for (int i = 0; i < count; i++) {
      labels[i] = (byte) (i % 10);
    }
    write(prefix.resolveSibling(prefix.getFileName() + "-images-idx3-ubyte.gz"), List.of(count, SIDE, SIDE), pixels);
    write(prefix.resolveSibling(prefix.getFileName() + "-labels-idx1-ubyte.gz"), List.of(count), labels);
  }

  /** One IDX file of unsigned bytes: the magic number, the sizes, the data. */
  private static void write(Path file, List<Integer> sizes, byte[] data) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
      out.writeShort(0);
      out.writeByte(0x08);
      out.writeByte(sizes.size());
      for (int size : sizes) {
        out.writeInt(size);
      }
      out.write(data);
    }
  }
}
