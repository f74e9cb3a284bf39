package dev.rampart.scan.archive;

import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Format;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
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
    InputStream raw = blob.openStream();
    InputStream in =
        switch (format) {
          case GZIP -> new GZIPInputStream(raw, 64 * 1024);
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
      target.scanMember("<" + format.label() + ">", inner);
    }
  }
}
