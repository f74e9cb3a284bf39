package dev.rampart.scan.archive;

import dev.rampart.scan.io.Blob;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A gzip file read member after member the way Python's {@code gzip} module reads it (and so {@code joblib.load},
 * {@code pandas.read_pickle}): the optional header CRC is skipped, not checked; NUL padding between members is
 * skipped; every later member is read. Java's {@code GZIPInputStream} instead checks the header CRC and, when a later
 * member's header does not verify, silently ends the stream, so a payload in that member would never be seen.
 *
 * <p>Where Python raises (bad magic, a CRC or length mismatch, a truncated member) this stream ends, as the loader's
 * reads do, and {@link #problem()} says why; the bytes delivered before are still the loader's input.
 */
final class PythonGzipStream extends InputStream {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final Blob blob;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private final byte[] in = new byte[64 * 1024];
  private long pos;
  private long inputEnd;
  private long memberSize;
  private boolean inMember;
  private boolean done;
  private int members;
  private String problem;

  PythonGzipStream(Blob blob) {
    this.blob = blob;
  }

  /** Why reading stopped before the end of the data, or null when every member read cleanly. */
  String problem() {
    return problem;
  }

  int members() {
    return members;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] out, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!done) {
      if (!inMember && !startMember()) {
        done = true;
        break;
      }
      try {
        if (inflater.needsInput()) {
          int n = (int) Math.min(in.length, blob.size() - pos);
          if (n <= 0) {
            return stop("member " + members + " ends before its end-of-stream marker");
          }
          System.arraycopy(blob.readBytes(pos, n), 0, in, 0, n);
          inputEnd = pos + n;
          pos += n;
          inflater.setInput(in, 0, n);
        }
        int got = inflater.inflate(out, off, len);
        if (got > 0) {
          crc.update(out, off, got);
          memberSize += got;
          return got;
        }
        if (inflater.finished()) {
          pos = inputEnd - inflater.getRemaining();
          if (!endMember()) {
            done = true;
          }
        } else if (inflater.needsDictionary()) {
          return stop("member " + members + " needs a preset dictionary");
        }
      } catch (DataFormatException e) {
        return stop("member " + members + " is not valid deflate data: " + e.getMessage());
      }
    }
    return -1;
  }

  private int stop(String why) {
    problem = why;
    done = true;
    return -1;
  }

  /** Reads a member header at {@code pos}; false at the end of the data or (with a problem) on a bad header. */
  private boolean startMember() throws IOException {
    if (pos >= blob.size()) {
      return false;
    }
    byte[] h = blob.readBytes(pos, 10);
    if (h.length < 2 || (h[0] & 0xff) != 0x1f || (h[1] & 0xff) != 0x8b) {
      problem = "bytes at " + pos + " after gzip member " + members + " are not a gzip member";
      return false;
    }
    if (h.length < 10) {
      problem = "gzip header at " + pos + " is truncated";
      return false;
    }
    if (h[2] != 8) {
      problem = "gzip member at " + pos + " uses unknown compression method " + (h[2] & 0xff);
      return false;
    }
    int flags = h[3] & 0xff;
    long p = pos + 10;
    if ((flags & FEXTRA) != 0) {
      byte[] x = blob.readBytes(p, 2);
      if (x.length < 2) {
        problem = "gzip header at " + pos + " is truncated";
        return false;
      }
      p += 2 + ((x[0] & 0xff) | (x[1] & 0xff) << 8);
    }
    if ((flags & FNAME) != 0) {
      p = skipZeroTerminated(p);
    }
    if ((flags & FCOMMENT) != 0) {
      p = skipZeroTerminated(p);
    }
    if ((flags & FHCRC) != 0) {
      p += 2; // Python reads and discards the header CRC
    }
    if (p > blob.size()) {
      problem = "gzip header at " + pos + " is truncated";
      return false;
    }
    pos = p;
    inflater.reset();
    crc.reset();
    memberSize = 0;
    inMember = true;
    members++;
    return true;
  }

  private long skipZeroTerminated(long p) throws IOException {
    while (p < blob.size()) {
      byte[] chunk = blob.readBytes(p, 4096);
      for (int i = 0; i < chunk.length; i++) {
        if (chunk[i] == 0) {
          return p + i + 1;
        }
      }
      p += chunk.length;
    }
    return p;
  }

  /** Checks the trailer and skips NUL padding; false when reading stops here. */
  private boolean endMember() throws IOException {
    inMember = false;
    byte[] t = blob.readBytes(pos, 8);
    if (t.length < 8) {
      problem = "gzip member " + members + " has no complete trailer";
      return false;
    }
    long storedCrc = (t[0] & 0xffL) | (t[1] & 0xffL) << 8 | (t[2] & 0xffL) << 16 | (t[3] & 0xffL) << 24;
    long storedSize = (t[4] & 0xffL) | (t[5] & 0xffL) << 8 | (t[6] & 0xffL) << 16 | (t[7] & 0xffL) << 24;
    if (storedCrc != crc.getValue()) {
      problem = String.format("gzip member %d: stored CRC %08x, computed %08x", members, storedCrc, crc.getValue());
      return false;
    }
    if (storedSize != (memberSize & 0xffffffffL)) {
      problem = "gzip member " + members + ": stored length " + storedSize + ", inflated " + memberSize;
      return false;
    }
    pos += 8;
    while (pos < blob.size() && blob.readBytes(pos, 1)[0] == 0) {
      pos++;
    }
    return true;
  }

  @Override
  public void close() {
    inflater.end();
  }
}
