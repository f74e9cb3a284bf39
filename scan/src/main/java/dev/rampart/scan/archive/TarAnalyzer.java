package dev.rampart.scan.archive;

import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.io.LimitExceededException;
import dev.rampart.scan.io.Spool;
import java.io.IOException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Tar archives (legacy PyTorch checkpoints, NeMo, model bundles): every member is scanned by content. */
public final class TarAnalyzer implements Analyzer {
  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    int count = 0;
    try (var tar = new TarArchiveInputStream(blob.openStream())) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        target.checkDeadline();
        if (++count > target.limits().maxEntries()) {
          throw new LimitExceededException("tar entries", target.limits().maxEntries());
        }
        String name = entry.getName();
        var member = target.sub(name);
        MemberNames.check(member, name);
        if (entry.isSymbolicLink() || entry.isLink()) {
          member.report(
              ScanRules.ARCHIVE_LINK,
              "member '" + MemberNames.printable(name) + "' links to '" + MemberNames.printable(entry.getLinkName()) + "'");
          continue;
        }
        if (!entry.isFile()) {
          continue;
        }
        Blob data;
        try {
          data = Spool.of(tar, blob.size() + 1);
        } catch (LimitExceededException e) {
          throw new IOException("tar member '" + name + "' is larger than the archive");
        }
        target.chargeInflated(data.size());
        try (data) {
          target.scanMember(name, data);
        }
      }
    }
  }
}
