package dev.rampart.scan.archive;

import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.io.BlobChannel;
import dev.rampart.scan.io.LimitExceededException;
import java.io.IOException;
import org.apache.commons.compress.archivers.sevenz.SevenZArchiveEntry;
import org.apache.commons.compress.archivers.sevenz.SevenZFile;
import org.apache.commons.compress.PasswordRequiredException;

/** 7z archives: a known way to smuggle pickles past scanners that do not open them. */
public final class SevenZipAnalyzer implements Analyzer {
  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    int count = 0;
    try (var sevenZ = SevenZFile.builder().setSeekableByteChannel(new BlobChannel(blob)).get()) {
      SevenZArchiveEntry entry;
      while ((entry = sevenZ.getNextEntry()) != null) {
        target.checkDeadline();
        if (++count > target.limits().maxEntries()) {
          throw new LimitExceededException("7z entries", target.limits().maxEntries());
        }
        var member = target.sub(entry.getName());
        MemberNames.check(member, entry.getName());
        if (entry.isDirectory() || !entry.hasStream()) {
          continue;
        }
        Blob data;
        try {
          data = Inflation.inflate(member, sevenZ.getInputStream(entry), Math.max(1, blob.size()), "7z member");
        } catch (PasswordRequiredException e) {
          member.incomplete("7z member is encrypted");
          continue;
        }
        if (data == null) {
          continue;
        }
        try (data) {
          target.scanMember(entry.getName(), data);
        }
      }
    } catch (PasswordRequiredException e) {
      target.incomplete("7z archive is encrypted");
    }
  }
}
