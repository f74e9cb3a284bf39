package dev.rampart.eval.grad;

import java.nio.charset.StandardCharsets;

/**
 * The protobuf wire format over a byte array region, enough to read an ONNX graph. Every length is checked against its
 * message; malformed input is an {@link UnsupportedGraph}, never a crash.
 */
final class Wire {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;

  private final byte[] bytes;
  private final int end;
  private int pos;
  int field;
  int type;
  long varint;
  int start;
  int stop;

  Wire(byte[] bytes, int start, int end) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  Wire(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  /** Advances to the next field; false at the end of the region. */
  boolean next() throws UnsupportedGraph {
    if (pos >= end) {
      return false;
    }
    long key = readVarint();
    field = (int) (key >>> 3);
    type = (int) (key & 7);
    if (field <= 0) {
      throw new UnsupportedGraph("malformed protobuf: field number 0 at byte " + pos);
    }
    switch (type) {
      case VARINT -> {
        start = pos;
        varint = readVarint();
        stop = pos;
      }
      case FIXED64 -> skip(8);
      case FIXED32 -> skip(4);
      case LEN -> {
        long len = readVarint();
        if (len < 0 || len > end - pos) {
          throw new UnsupportedGraph("malformed protobuf: length " + len + " at byte " + pos + " runs past its message");
        }
        skip((int) len);
      }
      default -> throw new UnsupportedGraph("malformed protobuf: wire type " + type + " at byte " + pos);
    }
    return true;
  }

  private void skip(int n) throws UnsupportedGraph {
    if (n > end - pos) {
      throw new UnsupportedGraph("malformed protobuf: field runs past its message at byte " + pos);
    }
    start = pos;
    stop = pos + n;
    pos = stop;
  }

  private long readVarint() throws UnsupportedGraph {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw new UnsupportedGraph("malformed protobuf: truncated varint");
      }
      byte b = bytes[pos++];
      v |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return v;
      }
    }
    throw new UnsupportedGraph("malformed protobuf: varint longer than 10 bytes");
  }

  /** The current length-delimited field as a message of its own. */
  Wire message() throws UnsupportedGraph {
    expect(LEN);
    return new Wire(bytes, start, stop);
  }

  String string() throws UnsupportedGraph {
    expect(LEN);
    return new String(bytes, start, stop - start, StandardCharsets.UTF_8);
  }

  float fixed32Float() throws UnsupportedGraph {
    expect(FIXED32);
    return Float.intBitsToFloat(littleInt(start));
  }

  int length() {
    return stop - start;
  }

  int littleInt(int at) {
    return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16 | (bytes[at + 3] & 0xff) << 24;
  }

  long littleLong(int at) {
    return (littleInt(at) & 0xffffffffL) | (long) littleInt(at + 4) << 32;
  }

  /** The varints of a packed repeated field, or the one varint of an unpacked one. */
  long[] varints() throws UnsupportedGraph {
    if (type == VARINT) {
      return new long[] {varint};
    }
    expect(LEN);
    var inner = new Wire(bytes, start, stop);
    long[] out = new long[Math.max(0, stop - start)];
    int n = 0;
    while (inner.pos < inner.end) {
      out[n++] = inner.readVarint();
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /** The floats of a packed repeated field, or the one float of an unpacked one. */
  float[] floats() throws UnsupportedGraph {
    if (type == FIXED32) {
      return new float[] {fixed32Float()};
    }
    expect(LEN);
    if ((stop - start) % 4 != 0) {
      throw new UnsupportedGraph("malformed protobuf: packed floats of " + (stop - start) + " bytes");
    }
    float[] out = new float[(stop - start) / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = Float.intBitsToFloat(littleInt(start + 4 * i));
    }
    return out;
  }

  byte[] bytes() {
    return bytes;
  }

  private void expect(int wanted) throws UnsupportedGraph {
    if (type != wanted) {
      throw new UnsupportedGraph("malformed protobuf: field " + field + " has wire type " + type);
    }
  }
}
