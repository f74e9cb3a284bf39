package dev.rampart.scan.numpy;

import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Format;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import java.io.IOException;
import dev.rampart.core.numpy.NpyHeader;

/**
 * NumPy {@code .npy}: checks the header against the data, and hands object arrays (whose body is a pickle) to the
 * pickle analyser.
 */
public final class NumpyAnalyzer implements Analyzer {
  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    var pre = NpyHeader.preamble(blob.readBytes(0, 12));
    if (pre.dataStart() > blob.size()) {
      throw new IOException("npy header length " + pre.headerLength() + " runs past the file");
    }
    String header = new String(blob.readBytes(pre.headerStart(), (int) pre.headerLength()), pre.charset());
    NpyHeader parsed;
    try {
      parsed = NpyHeader.parse(header);
    } catch (IllegalArgumentException e) {
      target.report(ScanRules.NPY_HEADER_INVALID, "header is not a valid dictionary literal: " + e.getMessage());
      target.incomplete("npy header could not be parsed");
      return;
    }
    long dataStart = pre.dataStart();
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
