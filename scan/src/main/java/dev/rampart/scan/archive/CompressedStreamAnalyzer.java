package dev.rampart.scan.archive;

import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Format;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.InflaterInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.apache.commons.compress.compressors.lzma.LZMACompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/** Single-member compression wrappers (gzip, bzip2, xz, lzma, zstd, lz4, zlib): inflate, then scan the content. */
public final class CompressedStreamAnalyzer implements Analyzer {
  private final Format format;

  public CompressedStreamAnalyzer(Format format) {
    this.format = format;
  }

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    if (format == Format.GZIP) {
      gzip(target, blob);
      return;
    }
    InputStream raw = blob.openStream();
    InputStream in =
        switch (format) {
          case BZIP2 -> new BZip2CompressorInputStream(raw, true);
          case XZ -> new XZCompressorInputStream(raw, true);
          case LZMA -> new LZMACompressorInputStream(raw);
          case ZSTD -> new io.airlift.compress.zstd.ZstdInputStream(raw);
          case LZ4 -> new FramedLZ4CompressorInputStream(raw, true);
          case ZLIB -> new InflaterInputStream(raw);
          default -> throw new IllegalArgumentException("not a compression format: " + format);
        };
    Blob inner = Inflation.inflate(target, in, blob.size(), format.label() + " content");
    if (inner == null) {
      return;
    }
    try (inner) {
      target.scanContent("<" + format.label() + ">", inner);
    }
  }

  /** gzip as Python reads it: every member, whatever Java's reader would stop at; see {@link PythonGzipStream}. */
  private static void gzip(Target target, Blob blob) throws IOException {
    var gz = new PythonGzipStream(blob);
    Blob inner = Inflation.inflate(target, gz, blob.size(), "gzip content");
    if (inner == null) {
      return;
    }
    try (inner) {
      target.scanContent("<gzip>", inner);
    }
    if (gz.problem() != null) {
      // Python raises here, but only after handing the loader every byte before: those were scanned above
      target.incomplete("gzip stream is malformed: " + gz.problem());
    }
  }
}
