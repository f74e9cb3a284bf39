package dev.rampart.scan.io;

import java.io.IOException;
import java.nio.ByteBuffer;

final class SliceBlob implements Blob {
  private final Blob parent;
  private final long offset;
  private final long length;

  SliceBlob(Blob parent, long offset, long length) {
    this.parent = parent;
    this.offset = offset;
    this.length = length;
  }

  @Override
  public long size() {
    return length;
  }

  @Override
  public int read(long position, ByteBuffer dst) throws IOException {
    if (position >= length) {
      return -1;
    }
    long max = length - position;
    if (dst.remaining() > max) {
      var limited = dst.slice(dst.position(), (int) max);
      int n = parent.read(offset + position, limited);
      if (n > 0) {
        dst.position(dst.position() + n);
      }
      return n;
    }
    return parent.read(offset + position, dst);
  }
}
