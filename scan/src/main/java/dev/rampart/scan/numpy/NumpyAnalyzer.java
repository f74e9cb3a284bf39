package dev.rampart.scan.numpy;

import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Format;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * NumPy {@code .npy}: checks the header against the data, and hands object arrays (whose body is a pickle) to the
 * pickle analyser.
 */
public final class NumpyAnalyzer implements Analyzer {
  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    byte[] pre = blob.readBytes(0, 12);
    if (pre.length < 10) {
      throw new IOException("npy preamble truncated");
    }
    int major = pre[6] & 0xff;
    long headerLen;
    int headerStart;
    if (major == 1) {
      headerLen = (pre[8] & 0xff) | (pre[9] & 0xff) << 8;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      if (pre.length < 12) {
        throw new IOException("npy preamble truncated");
      }
      headerLen = (pre[8] & 0xffL) | (pre[9] & 0xffL) << 8 | (pre[10] & 0xffL) << 16 | (pre[11] & 0xffL) << 24;
      headerStart = 12;
    } else {
      throw new IOException("unknown npy format version " + major);
    }
    if (headerLen > 1_000_000 || headerStart + headerLen > blob.size()) {
      throw new IOException("npy header length " + headerLen + " runs past the file");
    }
    String header = new String(blob.readBytes(headerStart, (int) headerLen), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    NpyHeader parsed;
    try {
      parsed = NpyHeader.parse(header);
    } catch (IllegalArgumentException e) {
      target.report(ScanRules.NPY_HEADER_INVALID, "header is not a valid dictionary literal: " + e.getMessage());
      target.incomplete("npy header could not be parsed");
      return;
    }
    long dataStart = headerStart + headerLen;
    if (parsed.hasObjects()) {
      target.report(ScanRules.NPY_OBJECT_ARRAY, "dtype " + parsed.descr() + " holds Python objects");
      target.scanMemberAs("<object array>", blob.slice(dataStart, blob.size() - dataStart), Format.PICKLE);
      return;
    }
    long expected = parsed.byteCount();
    long actual = blob.size() - dataStart;
    if (expected >= 0 && expected != actual) {
      target.report(
          ScanRules.NPY_HEADER_INVALID,
          "header declares " + expected + " bytes of data (" + parsed.descr() + " " + parsed.shapeText() + ") but "
              + actual + " follow");
    }
  }
}
