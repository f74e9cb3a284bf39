package dev.rampart.scan.pickle;

import dev.rampart.scan.io.Blob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Sequential reads over a blob with an absolute position; running past the end is {@link Truncated}. */
final class PickleReader {
  static final int MAX_LINE = 1 << 20;

  private final Blob blob;
  private final long end;
  private final ByteBuffer buf;
  private long bufStart;
  private long pos;

  PickleReader(Blob blob, long start, long end) {
    this.blob = blob;
    this.pos = start;
    this.bufStart = start;
    this.end = Math.min(end, blob.size());
    // small pickles are the common case in folder scans: do not allocate 64 KiB for each
    this.buf = ByteBuffer.allocate((int) Math.max(16, Math.min(64 * 1024, this.end - start))).flip();
  }

  long position() {
    return pos;
  }

  long end() {
    return end;
  }

  long remaining() {
    return end - pos;
  }

  boolean atEnd() {
    return pos >= end;
  }

  void seek(long position) {
    pos = position;
    long rel = pos - bufStart;
    if (rel >= 0 && rel <= buf.limit()) {
      buf.position((int) rel);
    } else {
      buf.clear().flip();
      bufStart = pos;
    }
  }

  private void fill() throws IOException {
    buf.clear();
    long want = Math.min(buf.capacity(), end - pos);
    buf.limit((int) want);
    bufStart = pos;
    while (buf.hasRemaining()) {
      int n = blob.read(pos + buf.position(), buf);
      if (n <= 0) {
        break;
      }
    }
    buf.flip();
  }

  int u8() throws IOException {
    if (!buf.hasRemaining()) {
      if (pos >= end) {
        throw new Truncated(pos);
      }
      fill();
      if (!buf.hasRemaining()) {
        throw new Truncated(pos);
      }
    }
    pos++;
    return buf.get() & 0xff;
  }

  /** Peeks at the next byte without consuming it; -1 at the end. */
  int peek() throws IOException {
    if (pos >= end) {
      return -1;
    }
    int b = u8();
    seek(pos - 1);
    return b;
  }

  long littleEndian(int n) throws IOException {
    long v = 0;
    for (int i = 0; i < n; i++) {
      v |= ((long) u8()) << (8 * i);
    }
    return v;
  }

  /** Reads {@code n} bytes, keeping at most {@code keep} of them; the rest is skipped without being loaded. */
  byte[] bytes(long n, int keep) throws IOException {
    if (n < 0 || n > end - pos) {
      throw new Truncated(pos, n);
    }
    int k = (int) Math.min(n, keep);
    byte[] out = new byte[k];
    for (int i = 0; i < k; i++) {
      out[i] = (byte) u8();
    }
    seek(pos + (n - k));
    return out;
  }

  String line() throws IOException {
    var sb = new java.io.ByteArrayOutputStream();
    int b;
    while ((b = u8()) != '\n') {
      if (sb.size() >= MAX_LINE) {
        throw new Truncated(pos, MAX_LINE);
      }
      sb.write(b);
    }
    return sb.toString(StandardCharsets.UTF_8);
  }

  /** The stream ended before an opcode or its argument was complete. */
  static final class Truncated extends IOException {
    final long offset;

    Truncated(long offset) {
      super("pickle data truncated at byte " + offset);
      this.offset = offset;
    }

    Truncated(long offset, long wanted) {
      super("argument of " + wanted + " bytes at byte " + offset + " runs past the end of the data");
      this.offset = offset;
    }
  }
}
