package dev.rampart.scan.protobuf;

import dev.rampart.scan.io.Blob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A protobuf wire-format reader over a region of a blob. Length-delimited fields are exposed as regions, so large
 * tensors are skipped, never loaded. Malformed input is a {@link MalformedProtoException}.
 */
public final class ProtoReader {
  public static final int VARINT = 0;
  public static final int FIXED64 = 1;
  public static final int LEN = 2;
  public static final int FIXED32 = 5;

  private final Blob blob;
  private final long end;
  private long pos;
  private final ByteBuffer buf = ByteBuffer.allocate(8192).flip();
  private long bufStart;

  private int field;
  private int wireType;
  private long valueStart;
  private long valueEnd;
  private long varintValue;

  public ProtoReader(Blob blob, long start, long end) {
    this.blob = blob;
    this.pos = start;
    this.bufStart = start;
    this.end = Math.min(end, blob.size());
  }

  public static ProtoReader of(Blob blob) {
    return new ProtoReader(blob, 0, blob.size());
  }

  /** Advances to the next field; false at the end of the region. */
  public boolean next() throws IOException {
    if (pos >= end) {
      return false;
    }
    long key = readVarint();
    field = (int) (key >>> 3);
    wireType = (int) (key & 7);
    if (field <= 0) {
      throw new MalformedProtoException("field number 0 at byte " + pos);
    }
    switch (wireType) {
      case VARINT -> {
        valueStart = pos;
        varintValue = readVarint();
        valueEnd = pos;
      }
      case FIXED64 -> skipTo(pos + 8);
      case FIXED32 -> skipTo(pos + 4);
      case LEN -> {
        long len = readVarint();
        if (len < 0 || len > end - pos) {
          throw new MalformedProtoException("length " + len + " at byte " + pos + " runs past its message");
        }
        skipTo(pos + len);
      }
      default -> throw new MalformedProtoException("wire type " + wireType + " at byte " + pos);
    }
    return true;
  }

  private void skipTo(long target) throws MalformedProtoException {
    if (target > end) {
      throw new MalformedProtoException("field runs past its message at byte " + pos);
    }
    valueStart = pos;
    valueEnd = target;
    seek(target);
  }

  private void seek(long p) {
    pos = p;
    long rel = p - bufStart;
    if (rel >= 0 && rel <= buf.limit()) {
      buf.position((int) rel);
    } else {
      buf.clear().flip();
      bufStart = p;
    }
  }

  private int u8() throws IOException {
    if (!buf.hasRemaining()) {
      if (pos >= end) {
        throw new MalformedProtoException("truncated at byte " + pos);
      }
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), end - pos));
      bufStart = pos;
      while (buf.hasRemaining() && blob.read(pos + buf.position(), buf) > 0) {
        // fill
      }
      buf.flip();
      if (!buf.hasRemaining()) {
        throw new MalformedProtoException("truncated at byte " + pos);
      }
    }
    pos++;
    return buf.get() & 0xff;
  }

  private long readVarint() throws IOException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = u8();
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new MalformedProtoException("varint longer than 10 bytes at byte " + pos);
  }

  public int field() {
    return field;
  }

  public int wireType() {
    return wireType;
  }

  public long varint() {
    return varintValue;
  }

  public long length() {
    return valueEnd - valueStart;
  }

  public long valueOffset() {
    return valueStart;
  }

  /** The current length-delimited field as a nested message. */
  public ProtoReader message() {
    return new ProtoReader(blob, valueStart, valueEnd);
  }

  public byte[] bytes(int limit) throws IOException {
    if (length() > limit) {
      throw new MalformedProtoException("field of " + length() + " bytes exceeds " + limit);
    }
    return blob.readBytes(valueStart, (int) length());
  }

  public String string(int limit) throws IOException {
    return new String(bytes(limit), StandardCharsets.UTF_8);
  }

  /** The packed or single varints of a repeated integer field. */
  public long[] varints() throws IOException {
    if (wireType == VARINT) {
      return new long[] {varintValue};
    }
    if (wireType != LEN) {
      return new long[0];
    }
    var sub = new ProtoReader(blob, valueStart, valueEnd);
    var out = new java.util.ArrayList<Long>();
    while (sub.pos < sub.end) {
      out.add(sub.readVarint());
      if (out.size() > 64) {
        throw new MalformedProtoException("more than 64 dimensions");
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  public Blob blob() {
    return blob;
  }

  public long position() {
    return pos;
  }

  public long end() {
    return end;
  }
}
