package dev.rampart.data.report;

import dev.rampart.data.io.DatasetFormat;
import dev.rampart.integrity.hash.ModelHasher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Exactly which bytes were checked: the file's SHA-256 and its OMS digest (what a server registers a dataset version
 * under), plus how data rows map to text lines where they do one to one.
 *
 * @param firstDataLine the 1-based line of data row 0, or 0 when rows do not map to lines (binary, compressed, or
 *     quoted fields spanning lines)
 */
public record DatasetIdentity(String path, long size, String sha256, String omsDigest, int firstDataLine) {

  public static DatasetIdentity of(Path file, DatasetFormat format, int rows) throws IOException {
    var manifest = ModelHasher.hash(file, ModelHasher.Options.files());
    int first = 0;
    boolean text = format != DatasetFormat.PARQUET && !file.getFileName().toString().matches(".*\\.(gz|zst)$");
    if (text) {
      long lines = countLines(file);
      int header = format == DatasetFormat.JSONL ? 0 : 1;
      if (lines == rows + header) {
        first = header + 1;
      }
    }
    String sha256 = manifest.resources().get(0).digestHex();
    return new DatasetIdentity(file.toString(), Files.size(file), sha256, "sha256:" + manifest.rootDigest(), first);
  }

  /** Only the OMS digest, for callers that need no line mapping: one read of the file. */
  public static String omsDigest(Path file) throws IOException {
    return "sha256:" + ModelHasher.hash(file, ModelHasher.Options.files()).rootDigest();
  }

  /** The 1-based line of a data row, or 0 when unknown. */
  public int line(int row) {
    return firstDataLine == 0 ? 0 : firstDataLine + row;
  }

  /** Lines, counting a last line without a newline, ignoring a trailing empty line. */
  private static long countLines(Path file) throws IOException {
    long newlines = 0;
    int last = '\n';
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            newlines++;
          }
        }
        last = buffer[n - 1];
      }
    }
    return last == '\n' ? newlines : newlines + 1;
  }
}
