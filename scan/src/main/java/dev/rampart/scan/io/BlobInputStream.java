package dev.rampart.scan.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** A buffered sequential view of part of a blob. */
public final class BlobInputStream extends InputStream {
  private final Blob blob;
  private final long end;
  private long position;
  private final ByteBuffer buffer;
  private long bufferStart;

  public BlobInputStream(Blob blob, long start, long length) {
    this.blob = blob;
    this.position = start;
    this.end = Math.min(blob.size(), start + length);
    this.bufferStart = start;
    this.buffer = ByteBuffer.allocate((int) Math.max(16, Math.min(64 * 1024, end - start))).flip();
  }

  private boolean fill() throws IOException {
    if (position >= end) {
      return false;
    }
    buffer.clear();
    long want = Math.min(buffer.capacity(), end - position);
    buffer.limit((int) want);
    bufferStart = position;
    int n = blob.read(position, buffer);
    buffer.flip();
    return n > 0;
  }

  @Override
  public int read() throws IOException {
    if (!buffer.hasRemaining() && !fill()) {
      return -1;
    }
    position++;
    return buffer.get() & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!buffer.hasRemaining() && !fill()) {
      return -1;
    }
    int n = Math.min(len, buffer.remaining());
    buffer.get(b, off, n);
    position += n;
    return n;
  }

  @Override
  public long skip(long n) {
    long step = Math.max(0, Math.min(n, end - position));
    position += step;
    long inBuffer = position - bufferStart;
    if (inBuffer >= 0 && inBuffer <= buffer.limit()) {
      buffer.position((int) inBuffer);
    } else {
      buffer.clear().flip();
    }
    return step;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, end - position);
  }

  public long position() {
    return position;
  }
}
