package dev.backprop.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One protobuf message, written field by field in the wire format: a tag (field number and wire type) and
 * then a varint (type 0), four little-endian bytes (type 5) or a length-prefixed payload (type 2). Nested
 * messages are written whole first and then embedded as payloads, which costs a copy but needs no sizes in
 * advance. This is all of protobuf that the ONNX subset we emit needs.
 */
final class ProtoWriter {
  private static final int VARINT = 0;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** An int32, int64 or enum field. Negative values take ten bytes, as protobuf writes them. */
  ProtoWriter varint(int field, long value) {
    tag(field, VARINT);
    rawVarint(value);
    return this;
  }

  /** A float field (protobuf's {@code float} is fixed32). */
  ProtoWriter float32(int field, float value) {
    tag(field, FIXED32);
    int bits = Float.floatToRawIntBits(value);
    for (int shift = 0; shift < 32; shift += 8) {
      out.write(bits >>> shift);
    }
    return this;
  }

  /** A bytes field. */
  ProtoWriter bytes(int field, byte[] value) {
    tag(field, LENGTH_DELIMITED);
    rawVarint(value.length);
    out.writeBytes(value);
    return this;
  }

  /** A string field, UTF-8 encoded. */
  ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** An embedded message field. */
  ProtoWriter message(int field, ProtoWriter message) {
    return bytes(field, message.toBytes());
  }

  /** The bytes written so far. */
  byte[] toBytes() {
    return out.toByteArray();
  }

  private void tag(int field, int wireType) {
    rawVarint(((long) field << 3) | wireType);
  }

  /** Seven bits per byte, least significant first, the high bit set on every byte but the last. */
  private void rawVarint(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
