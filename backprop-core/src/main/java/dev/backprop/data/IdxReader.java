package dev.backprop.data;

import dev.backprop.InvalidInputException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads image/label pairs in the IDX format of MNIST and Fashion-MNIST.
 *
 * <p>An IDX file is big-endian: two zero bytes, a data type byte (only {@code 0x08}, unsigned byte, is
 * supported), the number of dimensions, one signed 32-bit size per dimension, then the data in row-major
 * order. An images file has 3 dimensions (count, rows, columns), a labels file 1 (count). Either may be
 * gzip-compressed; this is recognised by its first two bytes ({@code 0x1f 0x8b}), not by the file name.
 *
 * <p>The header is checked before anything large is allocated: sizes must be positive, their product must fit
 * one Java array, and the data must have exactly the declared length. A compressed file is never inflated
 * beyond the declared length plus one byte. Problems throw an {@link InvalidInputException} naming the file
 * and the byte offset, counted in the uncompressed stream for gzip files.
 */
public final class IdxReader {
  private static final int UNSIGNED_BYTE = 0x08;
  private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8L;
  private static final int BUFFER = 1 << 16;
  private static final int FIRST_CHUNK = 1 << 20;

  private IdxReader() {
  }

  /**
   * Reads an images file and its labels file into a classification dataset.
   *
   * <p>The features are the pixels divided by 255, one row of rows x columns values per image, named
   * {@code pixel0} to {@code pixelK}; the dataset's source is the images path.
   *
   * @param images the IDX file of n images (n x rows x columns unsigned bytes)
   * @param labels the IDX file of n labels (unsigned bytes, each below {@code classNames.size()})
   * @param classNames the name of each class, indexed by label value
   * @throws InvalidInputException if a file is unreadable or malformed, the counts differ, or a label is out
   *     of range
   */
  public static Dataset read(Path images, Path labels, List<String> classNames) {
    int[] y;
    try (Input in = Input.open(labels)) {
      int[] dims = in.header(1, "labels (count)");
      byte[] data = in.data(dims[0], "labels");
      y = new int[data.length];
      long start = in.offset - data.length;
      for (int i = 0; i < data.length; i++) {
        y[i] = data[i] & 0xff;
        if (y[i] >= classNames.size()) {
          throw new InvalidInputException(in.source, in.place(start + i), "item " + i + " has label " + y[i]
              + ", expected a label below " + classNames.size() + " (the number of classes)");
        }
      }
    }
    try (Input in = Input.open(images)) {
      int[] dims = in.header(3, "images (count, rows, columns)");
      if (dims[0] != y.length) {
        throw new InvalidInputException(in.source, "", dims[0] + " images, but " + labels + " has " + y.length
            + " labels; expected one label per image");
      }
      int pixelsPerImage = dims[1] * dims[2];
      byte[] pixels = in.data((long) dims[0] * pixelsPerImage, "pixels");
      List<String> names = new ArrayList<>(pixelsPerImage);
      for (int i = 0; i < pixelsPerImage; i++) {
        names.add("pixel" + i);
      }
      return Dataset.classificationFromBytes(in.source, names, dims[0], pixels, 255f, classNames, y);
    }
  }

  /** An open IDX file that counts the bytes it has read from the (uncompressed) stream. */
  private static final class Input implements AutoCloseable {
    private final Path file;
    private final String source;
    private final boolean gzip;
    private final InputStream in;
    private long offset;

    private Input(Path file, boolean gzip, InputStream in) {
      this.file = file;
      this.source = file.toString();
      this.gzip = gzip;
      this.in = in;
    }

    static Input open(Path file) {
      if (Files.isDirectory(file)) {
        throw new InvalidInputException(file, "", "is a directory, expected an IDX file");
      }
      InputStream raw = null;
      try {
        raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        return new Input(file, gzip, gzip ? new GZIPInputStream(raw, BUFFER) : raw);
      } catch (IOException e) {
        closeQuietly(raw);
        throw new InvalidInputException(file, "", problem(e, true));
      }
    }

    /**
     * Reads and checks the header; returns the dimension sizes, whose product fits one Java array.
     */
    int[] header(int expectedDims, String what) {
      byte[] magic = readHeaderBytes(4);
      if (magic[0] != 0 || magic[1] != 0) {
        throw new InvalidInputException(source, place(0), String.format(
            "bytes 0-1 are 0x%02x 0x%02x, expected 0x00 0x00 (the start of an IDX header)", magic[0], magic[1]));
      }
      if (magic[2] != UNSIGNED_BYTE) {
        throw new InvalidInputException(source, place(2), String.format(
            "data type 0x%02x is not supported; expected 0x08 (unsigned byte)", magic[2]));
      }
      if (magic[3] != expectedDims) {
        throw new InvalidInputException(source, place(3), "the header declares " + (magic[3] & 0xff)
            + " dimensions, expected " + expectedDims + " for " + what);
      }
      byte[] sizes = readHeaderBytes(4 * expectedDims);
      int[] dims = new int[expectedDims];
      long total = 1;
      StringBuilder shape = new StringBuilder();
      for (int i = 0; i < expectedDims; i++) {
        int at = 4 * i;
        dims[i] = (sizes[at] & 0xff) << 24 | (sizes[at + 1] & 0xff) << 16 | (sizes[at + 2] & 0xff) << 8
            | (sizes[at + 3] & 0xff);
        if (dims[i] <= 0) {
          throw new InvalidInputException(source, place(4 + at), String.format(
              "dimension %d has size %d (0x%08x), expected a positive size", i + 1, dims[i], dims[i]));
        }
        shape.append(i == 0 ? "" : " x ").append(dims[i]);
        try {
          total = Math.multiplyExact(total, (long) dims[i]);
        } catch (ArithmeticException e) {
          total = Long.MAX_VALUE;
        }
      }
      if (total > MAX_ELEMENTS) {
        throw new InvalidInputException(source, place(4), "the header declares " + shape + " elements, more than"
            + " one Java array can hold (at most " + MAX_ELEMENTS + ")");
      }
      return dims;
    }

    /** Reads exactly {@code declared} bytes of data, which must end the file. */
    byte[] data(long declared, String what) {
      long start = offset;
      if (!gzip) {
        long available = fileSize() - start;
        if (available < declared) {
          throw truncated(start + available, declared, available, what);
        }
        if (available > declared) {
          long extra = available - declared;
          throw new InvalidInputException(source, place(start + declared), extra + (extra == 1 ? " trailing byte"
              : " trailing bytes") + " after the declared " + declared + " bytes of " + what
              + "; expected the file to end here");
        }
      }
      int length = (int) declared;
      byte[] data = new byte[gzip ? Math.min(length, FIRST_CHUNK) : length];
      int filled = 0;
      while (filled < length) {
        if (filled == data.length) {
          data = Arrays.copyOf(data, (int) Math.min(length, 2L * data.length));
        }
        int n = read(data, filled, data.length - filled);
        if (n < 0) {
          throw truncated(offset, declared, filled, what);
        }
        filled += n;
      }
      if (read(new byte[1], 0, 1) > 0) {
        throw new InvalidInputException(source, place(offset - 1), "more data after the declared " + declared
            + " bytes of " + what + "; expected the file to end here");
      }
      return data;
    }

    private byte[] readHeaderBytes(int count) {
      long start = offset;
      byte[] bytes = new byte[count];
      int filled = 0;
      while (filled < count) {
        int n = read(bytes, filled, count - filled);
        if (n < 0) {
          throw new InvalidInputException(source, place(offset), offset == 0
              ? "the file is empty, expected an IDX header"
              : "truncated: the header needs " + (start + count) + " bytes, found " + offset);
        }
        filled += n;
      }
      return bytes;
    }

    private int read(byte[] buffer, int from, int count) {
      try {
        int n = in.read(buffer, from, count);
        if (n > 0) {
          offset += n;
        }
        return n;
      } catch (IOException e) {
        throw new InvalidInputException(source, place(offset), problem(e));
      }
    }

    private long fileSize() {
      try {
        return Files.size(file);
      } catch (IOException e) {
        throw new InvalidInputException(source, "", problem(e));
      }
    }

    private InvalidInputException truncated(long at, long declared, long found, String what) {
      return new InvalidInputException(source, place(at), "truncated: header declares " + declared + " bytes of "
          + what + ", found " + found);
    }

    /** "byte N", saying when N counts bytes of the inflated stream. */
    String place(long at) {
      return "byte " + at + (gzip ? " (after gzip inflation)" : "");
    }

    private String problem(IOException e) {
      return problem(e, gzip);
    }

    private static String problem(IOException e, boolean gzip) {
      if (e instanceof NoSuchFileException) {
        return "file not found";
      }
      if (e instanceof AccessDeniedException) {
        return "cannot read the file: permission denied";
      }
      if (e instanceof ZipException || (gzip && e instanceof EOFException)) {
        return "corrupt gzip data: " + e.getMessage();
      }
      return "cannot read the file: " + e.getMessage();
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        throw new InvalidInputException(source, "", problem(e));
      }
    }

    private static void closeQuietly(InputStream stream) {
      if (stream != null) {
        try {
          stream.close();
        } catch (IOException ignored) {
          // the failure that made us close the stream is the one worth reporting
        }
      }
    }
  }
}
