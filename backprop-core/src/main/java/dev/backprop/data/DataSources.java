package dev.backprop.data;

import dev.backprop.InvalidInputException;
import dev.backprop.internal.EnumIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Turns what a user names with {@code --data} into datasets: a built-in name ({@code digits}, {@code iris},
 * {@code diabetes}, {@code fashion-mnist}), a CSV file, or IDX files (a folder holding {@code train-images-idx3-ubyte[.gz]}
 * and friends, or a prefix such as {@code path/train} naming {@code path/train-images-idx3-ubyte[.gz]}).
 *
 * <p>Every source is fingerprinted with the SHA-256 of its bytes, for the model's provenance.
 */
public final class DataSources {
  /** The built-in dataset names. */
  public static final List<String> BUILT_IN = List.of("digits", "iris", "diabetes", "fashion-mnist");
  /** Where Debian's {@code dataset-fashion-mnist} package puts the IDX files. */
  public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
  /** Fashion-MNIST's class names, by label value (Xiao, Rasul, Vollgraf 2017). */
  public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
      "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
  /** Class names of IDX files other than Fashion-MNIST: the label digits. */
  public static final List<String> DIGIT_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  private static final String RESOURCE_DIR = "/dev/backprop/data/";
  /**
   * The SHA-256 of each bundled CSV file, which the build fixes (checked against the files by a test): hashing
   * digits' 267 KB took 55-77 ms at the start of a run, when that code still runs interpreted.
   */
  static final Map<String, String> BUNDLED_SHA256 = Map.of(
      "digits", "b12d0302681291bab6f7057f4788b0de54b17c0c19e27854172c9f09bf0aa34f",
      "iris", "e404da8a0348eaa780e968c07a8f4dc90fe90eea54ddceeb5b444ce0caae8d30",
      "diabetes", "731c91514b20f51185739fd2533cde9eccd1c61b16c2aba62d9c8082a9151d4f");

  private DataSources() {}

  /** How a source is stored. */
  public enum Format {
    CSV,
    IDX,
    /** A Parquet file, read into a table by {@code backprop-spark} (core itself does not read Parquet). */
    PARQUET;

    public String id() {
      return EnumIds.id(this);
    }
  }

  /**
   * A source as read: a table (CSV, or Parquet read by {@code backprop-spark}; features not yet chosen) or IDX
   * datasets.
   *
   * @param name the source as the user named it
   * @param format CSV, IDX or PARQUET
   * @param table the table, for CSV and Parquet sources (null for IDX)
   * @param train for IDX, the training images (null for CSV)
   * @param test for IDX, the test images when the source has them (else null)
   * @param sha256 hex SHA-256 of the source's bytes (of every file, in a fixed order)
   */
  public record Source(String name, Format format, CsvTable table, Dataset train, Dataset test, String sha256) {}

  /** Whether {@code spec} is a built-in name. */
  public static boolean isBuiltIn(String spec) {
    return BUILT_IN.contains(spec);
  }

  /**
   * Whether {@code spec} names IDX images, whose features {@link #open} keeps as bytes: the built-in Fashion-MNIST, a
   * folder of IDX files, or their prefix. Looks at file names only, reads nothing.
   */
  public static boolean isIdx(String spec) {
    if (spec.equals("fashion-mnist")) {
      return true;
    }
    if (isBuiltIn(spec)) {
      return false;
    }
    try {
      return trainingImages(Path.of(spec)) != null;
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /**
   * The prefix of the training IDX files that {@code path} names: a folder's {@code train}, or the path itself when
   * no file has its name; null when that prefix has no images file.
   */
  private static Path trainingImages(Path path) {
    Path prefix = Files.isDirectory(path) ? path.resolve("train") : Files.exists(path) ? null : path;
    return prefix != null && idxFile(prefix, "images-idx3-ubyte") != null ? prefix : null;
  }

  /** Reads the source named {@code spec}. */
  public static Source open(String spec) {
    switch (spec) {
      case "digits":
      case "iris":
      case "diabetes":
        return bundledCsv(spec);
      case "fashion-mnist":
        if (!Files.isDirectory(FASHION_MNIST_DIR)) {
          throw new InvalidInputException(spec, "", "not found in " + FASHION_MNIST_DIR
              + "; install it with: apt-get install dataset-fashion-mnist");
        }
        return idx(spec, FASHION_MNIST_DIR.resolve("train"), FASHION_MNIST_DIR.resolve("t10k"), FASHION_MNIST_CLASSES);
      default:
        return openPath(spec);
    }
  }

  private static Source openPath(String spec) {
    Path path = Path.of(spec);
    Path train = trainingImages(path);
    if (Files.isDirectory(path)) {
      if (train == null) {
        throw new InvalidInputException(spec, "", "this folder has no train-images-idx3-ubyte[.gz]; give a CSV "
            + "file, a folder of IDX files or a built-in name (" + String.join(", ", BUILT_IN) + ")");
      }
      Path test = idxFile(path.resolve("t10k"), "images-idx3-ubyte") != null ? path.resolve("t10k")
          : idxFile(path.resolve("test"), "images-idx3-ubyte") != null ? path.resolve("test") : null;
      return idx(spec, train, test, DIGIT_CLASSES);
    }
    if (train != null) {
      return idx(spec, train, null, DIGIT_CLASSES);
    }
    if (!Files.exists(path)) {
      throw new InvalidInputException(spec, "", "no such file; give a CSV file, a folder of IDX files or a "
          + "built-in name (" + String.join(", ", BUILT_IN) + ")");
    }
    CsvTable table = CsvTable.read(path);
    return new Source(spec, Format.CSV, table, null, null, table.sha256());
  }

  private static Source bundledCsv(String name) {
    String resource = RESOURCE_DIR + name + ".csv";
    byte[] bytes;
    try (InputStream in = DataSources.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the bundled dataset " + resource + " is missing from the jar");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CsvTable table = CsvTable.parse(name, bytes, Runtime.getRuntime().availableProcessors());
    return new Source(name, Format.CSV, table, null, null, BUNDLED_SHA256.get(name));
  }

  private static Source idx(String name, Path trainPrefix, Path testPrefix, List<String> classes) {
    Path trainImages = required(trainPrefix, "images-idx3-ubyte");
    Path trainLabels = required(trainPrefix, "labels-idx1-ubyte");
    Dataset train = IdxReader.read(trainImages, trainLabels, classes);
    Dataset test = null;
    MessageDigest md = digest();
    update(md, trainImages);
    update(md, trainLabels);
    if (testPrefix != null) {
      Path testImages = required(testPrefix, "images-idx3-ubyte");
      Path testLabels = required(testPrefix, "labels-idx1-ubyte");
      test = IdxReader.read(testImages, testLabels, classes);
      update(md, testImages);
      update(md, testLabels);
    }
    return new Source(name, Format.IDX, null, train, test, hex(md.digest()));
  }

  /** {@code prefix-suffix.gz} or {@code prefix-suffix}, whichever exists, or null. */
  private static Path idxFile(Path prefix, String suffix) {
    Path parent = prefix.toAbsolutePath().getParent();
    if (parent == null) {
      return null;
    }
    String base = prefix.getFileName() + "-" + suffix;
    for (String candidate : new String[] {base + ".gz", base}) {
      Path p = parent.resolve(candidate);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  private static Path required(Path prefix, String suffix) {
    Path p = idxFile(prefix, suffix);
    if (p == null) {
      throw new InvalidInputException(prefix + "-" + suffix, "", "no such file (nor with .gz)");
    }
    return p;
  }

  /** The hex SHA-256 of a file's bytes. */
  public static String sha256(Path file) {
    MessageDigest md = digest();
    update(md, file);
    return hex(md.digest());
  }

  private static void update(MessageDigest md, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        md.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new InvalidInputException(file.toString(), "", "cannot be read: " + e.getMessage(), e);
    }
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
