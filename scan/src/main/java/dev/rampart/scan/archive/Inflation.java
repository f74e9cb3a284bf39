package dev.rampart.scan.archive;

import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.io.LimitExceededException;
import dev.rampart.scan.io.Spool;
import java.io.IOException;
import java.io.InputStream;

/** Inflates a compressed member within the ratio and total budgets. */
final class Inflation {
  private Inflation() {}

  /**
   * Inflates {@code in}; returns null (after reporting a bomb and an incomplete result) when the member expands
   * past {@code compressedSize × maxRatio}.
   */
  static Blob inflate(Target target, InputStream in, long compressedSize, String what) throws IOException {
    long ratioCap = Math.max(1, compressedSize) * target.limits().maxRatio();
    long cap = Math.max(ratioCap, 1024 * 1024);
    try (in) {
      Blob blob = Spool.of(in, cap);
      target.chargeInflated(blob.size());
      return blob;
    } catch (LimitExceededException e) {
      if (e.limit().equals("decompressed size")) {
        target.report(
            ScanRules.ARCHIVE_BOMB,
            what + " expands past " + target.limits().maxRatio() + "x its compressed size of " + compressedSize + " bytes");
        target.incomplete(what + " was not inflated past " + cap + " bytes");
        return null;
      }
      throw e;
    }
  }
}
