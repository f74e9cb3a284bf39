package dev.rampart.scan.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A blob over a file, read with positional reads so several readers can share the channel. */
public final class FileBlob implements Blob {
  private final FileChannel channel;
  private final long size;
  private final Path deleteOnClose;

  private FileBlob(FileChannel channel, long size, Path deleteOnClose) {
    this.channel = channel;
    this.size = size;
    this.deleteOnClose = deleteOnClose;
  }

  public static FileBlob open(Path path) throws IOException {
    var ch = FileChannel.open(path, StandardOpenOption.READ);
    return new FileBlob(ch, ch.size(), null);
  }

  /** Opens a temporary spool file that is deleted when the blob is closed. */
  static FileBlob temporary(Path path) throws IOException {
    var ch = FileChannel.open(path, StandardOpenOption.READ);
    return new FileBlob(ch, ch.size(), path);
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public int read(long position, ByteBuffer dst) throws IOException {
    if (position >= size) {
      return -1;
    }
    return channel.read(dst, position);
  }

  @Override
  public void close() throws IOException {
    channel.close();
    if (deleteOnClose != null) {
      Files.deleteIfExists(deleteOnClose);
    }
  }
}
