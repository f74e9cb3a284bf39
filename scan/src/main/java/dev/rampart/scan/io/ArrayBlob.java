package dev.rampart.scan.io;

import java.nio.ByteBuffer;

/** A blob over bytes already in memory. */
public final class ArrayBlob implements Blob {
  private final byte[] bytes;

  public ArrayBlob(byte[] bytes) {
    this.bytes = bytes;
  }

  @Override
  public long size() {
    return bytes.length;
  }

  @Override
  public int read(long position, ByteBuffer dst) {
    if (position >= bytes.length) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), bytes.length - position);
    dst.put(bytes, (int) position, n);
    return n;
  }

  public byte[] bytes() {
    return bytes;
  }
}
