package dev.rampart.scan.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns a decompressing stream into a blob: in memory while small, in a private temporary file beyond that. The
 * caller gives the most it is willing to inflate; going past it is a {@link LimitExceededException}.
 */
public final class Spool {
  private static final int IN_MEMORY_LIMIT = 32 * 1024 * 1024;

  private Spool() {}

  public static Blob of(InputStream in, long maxBytes) throws IOException {
    var memory = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    OutputStream out = memory;
    Path tmp = null;
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw new LimitExceededException("decompressed size", maxBytes);
        }
        if (tmp == null && total > IN_MEMORY_LIMIT) {
          tmp = Files.createTempFile("rampart-spool", ".bin");
          tmp.toFile().deleteOnExit();
          out = Files.newOutputStream(tmp);
          memory.writeTo(out);
          memory = null;
        }
        out.write(buf, 0, n);
      }
      if (tmp == null) {
        return new ArrayBlob(memory.toByteArray());
      }
      out.close();
      return FileBlob.temporary(tmp);
    } catch (IOException | RuntimeException e) {
      if (tmp != null) {
        out.close();
        Files.deleteIfExists(tmp);
      }
      throw e;
    }
  }
}
