package dev.rampart.server.artifacts;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Passes a stored blob through while hashing it, and fails its last read if the bytes do not hash to the digest they
 * are stored under: a blob changed in the object store behind the server's back is never read to the end as good.
 */
final class VerifyingInputStream extends FilterInputStream {
  private final String expected;
  private final MessageDigest digest = Digests.sha256();
  private boolean checked;

  VerifyingInputStream(InputStream in, String expected) {
    super(in);
    this.expected = expected;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      verify();
    } else {
      digest.update((byte) b);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n < 0) {
      verify();
    } else {
      digest.update(buf, off, n);
    }
    return n;
  }

  /** Skipped bytes are still hashed: the check covers the whole blob whatever the reader does. */
  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 0))];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int limit) {
    // unsupported: a reset would hash bytes twice
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  private void verify() throws IOException {
    if (checked) {
      return;
    }
    checked = true;
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(expected)) {
      throw new DigestMismatchException(expected, actual);
    }
  }
}
