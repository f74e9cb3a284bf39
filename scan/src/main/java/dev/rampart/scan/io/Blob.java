package dev.rampart.scan.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Read-only random access to the bytes of a file or of a member inside one. Analysers read what they need by
 * position, so a multi-gigabyte tensor payload is never pulled onto the heap.
 */
public interface Blob extends AutoCloseable {

  long size();

  /** Reads up to {@code dst.remaining()} bytes at {@code position}; returns the count, or -1 at the end. */
  int read(long position, ByteBuffer dst) throws IOException;

  /** The bytes {@code [offset, offset + length)} as a view; no copy. */
  default Blob slice(long offset, long length) {
    if (offset < 0 || length < 0 || offset + length > size()) {
      throw new IndexOutOfBoundsException("slice " + offset + "+" + length + " of " + size());
    }
    return new SliceBlob(this, offset, length);
  }

  /** Reads exactly {@code length} bytes at {@code position}, or fewer if the blob ends first. */
  default byte[] readBytes(long position, int length) throws IOException {
    long available = Math.max(0, size() - position);
    int n = (int) Math.min(length, available);
    var buf = ByteBuffer.allocate(n);
    while (buf.hasRemaining()) {
      int r = read(position + buf.position(), buf);
      if (r < 0) {
        break;
      }
    }
    return buf.position() == n ? buf.array() : java.util.Arrays.copyOf(buf.array(), buf.position());
  }

  /** All bytes; only for blobs already known to be small. */
  default byte[] readAll(int limit) throws IOException {
    if (size() > limit) {
      throw new IOException("refusing to load " + size() + " bytes into memory (limit " + limit + ")");
    }
    return readBytes(0, (int) size());
  }

  default InputStream openStream() {
    return new BlobInputStream(this, 0, size());
  }

  @Override
  default void close() throws IOException {}
}
