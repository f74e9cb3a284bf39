package dev.rampart.scan.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian sequential reads over a blob with bounds checks; every length is checked against what remains. */
public final class SequentialReader {
  private final Blob blob;
  private long pos;
  private final ByteBuffer buf;
  private long bufStart;

  public SequentialReader(Blob blob, long start) {
    this.blob = blob;
    this.pos = start;
    this.bufStart = start;
    this.buf = ByteBuffer.allocate((int) Math.max(16, Math.min(64 * 1024, blob.size() - start)))
        .order(ByteOrder.LITTLE_ENDIAN).flip();
  }

  public long position() {
    return pos;
  }

  public long remaining() {
    return blob.size() - pos;
  }

  private void ensure(int n) throws IOException {
    if (n > remaining()) {
      throw new EOFException("needs " + n + " bytes at byte " + pos + " but the data ends at " + blob.size());
    }
    if (buf.remaining() < n) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), remaining()));
      bufStart = pos;
      while (buf.hasRemaining() && blob.read(pos + buf.position(), buf) > 0) {
        // fill
      }
      buf.flip();
    }
  }

  public int u8() throws IOException {
    ensure(1);
    pos++;
    return buf.get() & 0xff;
  }

  public long u32() throws IOException {
    ensure(4);
    pos += 4;
    return buf.getInt() & 0xFFFFFFFFL;
  }

  public long u64() throws IOException {
    ensure(8);
    pos += 8;
    return buf.getLong();
  }

  public void skip(long n) throws IOException {
    if (n < 0 || n > remaining()) {
      throw new EOFException("skip of " + n + " bytes at byte " + pos + " runs past the end");
    }
    pos += n;
    long rel = pos - bufStart;
    if (rel >= 0 && rel <= buf.limit()) {
      buf.position((int) rel);
    } else {
      buf.clear().flip();
      bufStart = pos;
    }
  }

  public byte[] bytes(int n) throws IOException {
    if (n > remaining()) {
      throw new EOFException("needs " + n + " bytes at byte " + pos);
    }
    byte[] out = blob.readBytes(pos, n);
    skip(n);
    return out;
  }
}
