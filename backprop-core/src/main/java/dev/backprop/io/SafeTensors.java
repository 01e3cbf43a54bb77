package dev.backprop.io;

import dev.backprop.internal.io.Json;
import dev.backprop.internal.io.JsonObject;
import dev.backprop.internal.io.AtomicFiles;

import dev.backprop.InvalidInputException;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads and writes float32 tensors in the <a href="https://huggingface.co/docs/safetensors">safetensors</a>
 * format.
 *
 * <p>A file is an 8-byte little-endian unsigned header length N, then N bytes of UTF-8 JSON header, then
 * the data buffer. The header is an object mapping each tensor name to
 * {@code {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}} (offsets relative to the start of
 * the data buffer, end exclusive), plus an optional {@code "__metadata__"} object whose values are all
 * strings. Tensor data is little-endian IEEE 754 float32, row-major.
 *
 * <p>Reading is strict and checks everything before allocating memory sized by the file: the header is at
 * most {@value #MAX_HEADER_BYTES} bytes and lies within the file; it is valid UTF-8 JSON starting with
 * {@code '{'}; every tensor entry has exactly {@code dtype} (only {@code F32} is supported), {@code shape}
 * (non-negative integers) and {@code data_offsets}; each tensor has at most {@value #MAX_ELEMENTS}
 * elements and its offsets span exactly 4 bytes per element; the tensors, sorted by offset, cover the data
 * buffer exactly, without gaps, overlaps or trailing bytes; and every value is finite. Every problem is an
 * {@link InvalidInputException} whose place is {@code "byte N"} (from the start of the file) or
 * {@code "header field 'name.key'"}.
 *
 * <p>Writing produces what the reference implementation produces: {@code "__metadata__"} first (omitted
 * when empty), then the tensors in the given order with consecutive offsets, the header padded with spaces
 * so that the data starts at a multiple of 8 bytes.
 */
public final class SafeTensors {
  /** The largest header accepted, as in the reference implementation. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;
  /** The largest number of elements in one tensor (the largest Java array that can be allocated). */
  public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  private static final String METADATA = "__metadata__";
  private static final String F32 = "F32";
  private static final int PREFIX_BYTES = 8;
  private static final int CHUNK_FLOATS = 1 << 14;

  private SafeTensors() {}

  /**
   * A named float32 tensor. The shape is copied; the data array is shared, not copied. A scalar has shape
   * {@code []} and one element.
   *
   * @param name the tensor name, unique within a file
   * @param shape the dimensions, each non-negative
   * @param data the elements in row-major order; its length is the product of the dimensions
   */
  public record Tensor(String name, int[] shape, float[] data) {
    /** @throws IllegalArgumentException if a dimension is negative or the data length is not their product */
    public Tensor {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(data, "data");
      shape = Objects.requireNonNull(shape, "shape").clone();
      long elements = 1;
      for (int d : shape) {
        if (d < 0) {
          throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension in shape "
              + Arrays.toString(shape));
        }
        elements = Math.min(elements * d, Integer.MAX_VALUE + 1L);
      }
      if (elements != data.length) {
        throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape)
            + ", which needs " + elements + " elements, but " + data.length + " were given");
      }
    }

    /** A copy of the dimensions. */
    @Override
    public int[] shape() {
      return shape.clone();
    }

    /** Equal when name, shape and every element's bits (as {@link Float#floatToIntBits}) are equal. */
    @Override
    public boolean equals(Object o) {
      return o instanceof Tensor t && name.equals(t.name) && Arrays.equals(shape, t.shape)
          && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
      return "Tensor[name=" + name + ", shape=" + Arrays.toString(shape) + "]";
    }
  }

  /**
   * What a safetensors file holds.
   *
   * @param source the file the contents were read from, named in the errors of {@link #tensor}
   * @param metadata the {@code "__metadata__"} entries in file order, unmodifiable; empty when absent
   * @param tensors the tensors in header order, unmodifiable
   */
  public record Contents(String source, Map<String, String> metadata, List<Tensor> tensors) {
    /** @throws IllegalArgumentException if two tensors have the same name */
    public Contents {
      Objects.requireNonNull(source, "source");
      metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
      tensors = List.copyOf(tensors);
      Set<String> names = new HashSet<>();
      for (Tensor t : tensors) {
        if (!names.add(t.name())) {
          throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "'");
        }
      }
    }

    /** Whether a tensor of that name is present. */
    public boolean has(String name) {
      return tensors.stream().anyMatch(t -> t.name().equals(name));
    }

    /**
     * The tensor of that name.
     *
     * @throws InvalidInputException naming {@link #source()}, the missing tensor and the tensors present
     */
    public Tensor tensor(String name) {
      for (Tensor t : tensors) {
        if (t.name().equals(name)) {
          return t;
        }
      }
      String present = tensors.isEmpty() ? "none" : tensors.stream().map(t -> "'" + t.name() + "'")
          .collect(Collectors.joining(", "));
      throw new InvalidInputException(source, "header", "expected a tensor named '" + name
          + "', but there is none (tensors present: " + present + ")");
    }
  }

  /**
   * Reads a safetensors file. The length, the prefix and the header are read and checked before the data,
   * so that a file declaring huge tensors fails without allocating them.
   *
   * @throws InvalidInputException if the file cannot be read or is not a valid float32 safetensors file
   */
  public static Contents read(Path file) {
    String source = file.toString();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(source, new ChannelInput(source, channel, channel.size()));
    } catch (IOException e) {
      throw new InvalidInputException(source, "", "cannot read the file: " + reason(e), e);
    }
  }

  /**
   * Reads safetensors content from memory (for tests and fuzzing).
   *
   * @param source the name used in error messages
   * @throws InvalidInputException if the bytes are not a valid float32 safetensors file
   */
  public static Contents read(String source, byte[] bytes) {
    return read(source, new ArrayInput(bytes));
  }

  /**
   * Writes tensors to {@code file} atomically and durably (see {@link AtomicFiles}); the bytes are those
   * of {@link #toBytes}, streamed rather than built in memory.
   *
   * @param metadata string entries for {@code "__metadata__"}, written in iteration order
   * @param tensors written in this order
   * @throws IllegalArgumentException if names repeat or are {@code "__metadata__"}, or a value is not
   *     finite; nothing is written then
   * @throws IOException if writing fails; an existing file is then left untouched
   */
  public static void write(Path file, Map<String, String> metadata, List<Tensor> tensors) throws IOException {
    byte[] header = header(metadata, tensors);
    AtomicFiles.write(file, out -> writeTo(out, header, tensors));
  }

  /**
   * The safetensors bytes for {@code metadata} and {@code tensors}, as {@link #write} writes them.
   *
   * @throws IllegalArgumentException as {@link #write}, or if the result exceeds the largest byte array
   */
  public static byte[] toBytes(Map<String, String> metadata, List<Tensor> tensors) {
    byte[] header = header(metadata, tensors);
    long total = PREFIX_BYTES + header.length;
    for (Tensor t : tensors) {
      total += 4L * t.data().length;
    }
    if (total > MAX_ELEMENTS) {
      throw new IllegalArgumentException(total + " bytes of safetensors do not fit in a byte array; write a file");
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(header.length).put(header);
    for (Tensor t : tensors) {
      buffer.asFloatBuffer().put(t.data());
      buffer.position(buffer.position() + 4 * t.data().length);
    }
    return buffer.array();
  }

  private static byte[] header(Map<String, String> metadata, List<Tensor> tensors) {
    Map<String, Object> root = new LinkedHashMap<>();
    if (!metadata.isEmpty()) {
      metadata.forEach((k, v) -> {
        if (k == null || v == null) {
          throw new IllegalArgumentException("metadata keys and values must not be null: " + k + "=" + v);
        }
      });
      root.put(METADATA, new LinkedHashMap<>(metadata));
    }
    long offset = 0;
    for (Tensor t : tensors) {
      if (t.name().equals(METADATA) || root.containsKey(t.name())) {
        throw new IllegalArgumentException("tensor name '" + t.name() + "' is "
            + (t.name().equals(METADATA) ? "reserved" : "used twice"));
      }
      requireFinite(t);
      long end = offset + 4L * t.data().length;
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", F32);
      entry.put("shape", t.shape());
      entry.put("data_offsets", new long[] {offset, end});
      root.put(t.name(), entry);
      offset = end;
    }
    byte[] json = Json.write(root).getBytes(StandardCharsets.UTF_8);
    int padded = json.length + (8 - json.length % 8) % 8;
    if (padded > MAX_HEADER_BYTES) {
      throw new IllegalArgumentException("safetensors header of " + padded + " bytes exceeds the 100 MB limit");
    }
    byte[] header = Arrays.copyOf(json, padded);
    Arrays.fill(header, json.length, padded, (byte) ' ');
    return header;
  }

  private static void requireFinite(Tensor t) {
    float[] data = t.data();
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        throw new IllegalArgumentException("tensor '" + t.name() + "' element " + i + " is " + data[i]
            + "; safetensors files hold only finite values");
      }
    }
  }

  private static void writeTo(OutputStream out, byte[] header, List<Tensor> tensors) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(4 * CHUNK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
    out.write(buffer.putLong(0, header.length).array(), 0, PREFIX_BYTES);
    out.write(header);
    for (Tensor t : tensors) {
      float[] data = t.data();
      for (int done = 0; done < data.length; done += CHUNK_FLOATS) {
        int count = Math.min(CHUNK_FLOATS, data.length - done);
        buffer.clear();
        buffer.asFloatBuffer().put(data, done, count);
        out.write(buffer.array(), 0, 4 * count);
      }
    }
  }

  /** A tensor's entry in the header, checked on its own. */
  private record Entry(String name, int[] shape, long begin, long end) {
    int elements() {
      return (int) ((end - begin) / 4);
    }
  }

  private static Contents read(String source, Input in) {
    long size = in.size();
    if (size < PREFIX_BYTES) {
      throw new InvalidInputException(source, "byte " + size, "the file ends after " + size
          + " bytes; expected an 8-byte little-endian header length");
    }
    ByteBuffer prefix = ByteBuffer.allocate(PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    in.readFully(0, prefix);
    long headerLength = prefix.getLong(0);
    if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
      throw new InvalidInputException(source, "byte 0", "header of " + Long.toUnsignedString(headerLength)
          + " bytes exceeds the 100 MB limit (" + MAX_HEADER_BYTES + " bytes)");
    }
    if (headerLength > size - PREFIX_BYTES) {
      throw new InvalidInputException(source, "byte 0", "header of " + headerLength + " bytes would end at byte "
          + (PREFIX_BYTES + headerLength) + ", past the end of the file (" + size + " bytes)");
    }
    byte[] headerBytes = new byte[(int) headerLength];
    in.readFully(PREFIX_BYTES, ByteBuffer.wrap(headerBytes));
    JsonObject header = parseHeader(source, headerBytes);

    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (String key : header.keys()) {
      if (key.equals(METADATA)) {
        JsonObject meta = header.object(METADATA);
        for (String metaKey : meta.keys()) {
          metadata.put(metaKey, meta.string(metaKey));
        }
      } else {
        entries.add(entry(source, header, key));
      }
    }
    long dataStart = PREFIX_BYTES + headerLength;
    checkCoverage(source, entries, dataStart, size - dataStart);

    List<Tensor> tensors = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      tensors.add(new Tensor(e.name(), e.shape(), readData(source, in, dataStart, e)));
    }
    return new Contents(source, metadata, tensors);
  }

  private static JsonObject parseHeader(String source, byte[] bytes) {
    if (bytes.length == 0 || bytes[0] != '{') {
      String found = bytes.length == 0 ? "an empty header" : String.format("byte 0x%02x", bytes[0] & 0xff);
      throw new InvalidInputException(source, "byte " + PREFIX_BYTES,
          "expected the header to be a JSON object starting with '{', found " + found);
    }
    String text = decodeUtf8(source, bytes);
    Object value = Json.parse(source, text, offset -> "byte " + (PREFIX_BYTES + utf8Length(text, offset)));
    return JsonObject.of(source, "header field", value);
  }

  private static String decodeUtf8(String source, byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw new InvalidInputException(source, "byte " + (PREFIX_BYTES + in.position()),
          "the header is not valid UTF-8; expected UTF-8 encoded JSON");
    }
    return out.flip().toString();
  }

  /** The number of UTF-8 bytes encoding {@code text.substring(0, end)}. */
  private static long utf8Length(String text, int end) {
    long bytes = 0;
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }
    return bytes;
  }

  private static Entry entry(String source, JsonObject header, String name) {
    JsonObject fields = header.object(name);
    fields.requireOnly("dtype", "shape", "data_offsets");
    String dtype = fields.string("dtype");
    if (!dtype.equals(F32)) {
      throw new InvalidInputException(source, fieldPlace(name, "dtype"), "tensor '" + name + "' has dtype "
          + dtype + ", which is not supported; expected F32");
    }
    long[] dims = fields.longArray("shape");
    int[] shape = new int[dims.length];
    boolean empty = false;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 0 || dims[i] > MAX_ELEMENTS) {
        throw new InvalidInputException(source, fieldPlace(name, "shape[" + i + "]"),
            "expected a dimension from 0 to " + MAX_ELEMENTS + ", found " + dims[i]);
      }
      shape[i] = (int) dims[i];
      empty |= dims[i] == 0;
    }
    long elements = empty ? 0 : elementCount(source, name, dims);
    long[] offsets = fields.longArray("data_offsets");
    String offsetsPlace = fieldPlace(name, "data_offsets");
    if (offsets.length != 2 || offsets[0] < 0 || offsets[1] < offsets[0]) {
      throw new InvalidInputException(source, offsetsPlace, "expected [begin, end] with 0 <= begin <= end, found "
          + Arrays.toString(offsets));
    }
    if (offsets[1] - offsets[0] != 4 * elements) {
      throw new InvalidInputException(source, offsetsPlace, "tensor '" + name + "' has shape "
          + Arrays.toString(dims) + ", so expected data_offsets spanning " + 4 * elements + " bytes (" + elements
          + " F32 elements), found " + Arrays.toString(offsets) + " spanning " + (offsets[1] - offsets[0]));
    }
    return new Entry(name, shape, offsets[0], offsets[1]);
  }

  private static long elementCount(String source, String name, long[] dims) {
    long elements = 1;
    try {
      for (long d : dims) {
        elements = Math.multiplyExact(elements, d);
      }
    } catch (ArithmeticException overflow) {
      elements = Long.MAX_VALUE;
    }
    if (elements > MAX_ELEMENTS) {
      String count = elements == Long.MAX_VALUE ? "more than 2^63" : Long.toString(elements);
      throw new InvalidInputException(source, fieldPlace(name, "shape"), "tensor '" + name + "' with shape "
          + Arrays.toString(dims) + " has " + count + " elements; expected at most " + MAX_ELEMENTS);
    }
    return elements;
  }

  /** Checks that the tensors, sorted by offsets, cover {@code [0, dataLength)} exactly. */
  private static void checkCoverage(String source, List<Entry> entries, long dataStart, long dataLength) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long covered = 0;
    Entry previous = null;
    for (Entry e : sorted) {
      String place = fieldPlace(e.name(), "data_offsets");
      if (e.begin() > covered) {
        String after = previous == null ? "the start of the data" : "tensor '" + previous.name() + "'";
        throw new InvalidInputException(source, place, "data bytes [" + covered + ", " + e.begin()
            + ") between " + after + " and tensor '" + e.name() + "' belong to no tensor; expected tensor '"
            + e.name() + "' to begin at " + covered);
      }
      if (e.begin() < covered) {
        throw new InvalidInputException(source, place, "tensor '" + e.name() + "' data_offsets ["
            + e.begin() + ", " + e.end() + "] overlap tensor '" + previous.name() + "' data_offsets ["
            + previous.begin() + ", " + previous.end() + "]; expected it to begin at " + covered);
      }
      if (e.end() > dataLength) {
        throw new InvalidInputException(source, place, "tensor '" + e.name() + "' ends at data byte " + e.end()
            + ", past the end of the data (" + dataLength + " bytes after the header)");
      }
      covered = e.end();
      previous = e;
    }
    if (covered < dataLength) {
      throw new InvalidInputException(source, "byte " + (dataStart + covered), (dataLength - covered)
          + " trailing bytes belong to no tensor; expected the file to end at byte " + (dataStart + covered));
    }
  }

  private static float[] readData(String source, Input in, long dataStart, Entry e) {
    float[] data = new float[e.elements()];
    ByteBuffer buffer = ByteBuffer.allocate(4 * Math.min(CHUNK_FLOATS, data.length)).order(ByteOrder.LITTLE_ENDIAN);
    long start = dataStart + e.begin();
    for (int done = 0; done < data.length; done += CHUNK_FLOATS) {
      int count = Math.min(CHUNK_FLOATS, data.length - done);
      buffer.clear().limit(4 * count);
      in.readFully(start + 4L * done, buffer);
      buffer.flip();
      buffer.asFloatBuffer().get(data, done, count);
    }
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        throw new InvalidInputException(source, "byte " + (start + 4L * i), "tensor '" + e.name() + "' element "
            + i + " is " + data[i] + "; expected a finite value");
      }
    }
    return data;
  }

  private static String fieldPlace(String tensor, String field) {
    return "header field '" + tensor + "." + field + "'";
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    } else if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Random access to the bytes of a file or array. */
  private interface Input {
    long size();

    /** Fills {@code into} from its position to its limit with the bytes starting at {@code position}. */
    void readFully(long position, ByteBuffer into);
  }

  private record ArrayInput(byte[] bytes) implements Input {
    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public void readFully(long position, ByteBuffer into) {
      into.put(bytes, (int) position, into.remaining());
    }
  }

  /** Reads a channel, turning failures (a file shrinking while read, say) into invalid input. */
  private record ChannelInput(String source, FileChannel channel, long size) implements Input {
    @Override
    public void readFully(long position, ByteBuffer into) {
      long at = position;
      try {
        while (into.hasRemaining()) {
          int n = channel.read(into, at);
          if (n < 0) {
            throw new EOFException("the file ended at byte " + at + " while reading; was it truncated?");
          }
          at += n;
        }
      } catch (IOException e) {
        throw new InvalidInputException(source, "byte " + at, "cannot read the file: " + reason(e), e);
      }
    }
  }
}
