package dev.rampart.scan.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/** A read-only channel over a blob, for libraries that want random access (HDF5, 7z). */
public final class BlobChannel implements SeekableByteChannel {
  private final Blob blob;
  private long position;
  private boolean open = true;

  public BlobChannel(Blob blob) {
    this.blob = blob;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    int n = blob.read(position, dst);
    if (n > 0) {
      position += n;
    }
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) {
    position = newPosition;
    return this;
  }

  @Override
  public long size() {
    return blob.size();
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
  }
}
