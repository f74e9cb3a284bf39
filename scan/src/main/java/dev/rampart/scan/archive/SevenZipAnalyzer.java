package dev.rampart.scan.archive;

import dev.rampart.scan.ScanRules;
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
  private static final int FILE_ATTRIBUTE_REPARSE_POINT = 0x400;
  private static final int FILE_ATTRIBUTE_UNIX_EXTENSION = 0x8000;
  private static final int S_IFMT = 0xF000;
  private static final int S_IFLNK = 0xA000;

  /** As py7zr decides: a Unix mode in the high 16 bits of the attributes, or a Windows reparse point. */
  static boolean isLink(SevenZArchiveEntry entry) {
    if (!entry.getHasWindowsAttributes()) {
      return false;
    }
    int attributes = entry.getWindowsAttributes();
    if ((attributes & FILE_ATTRIBUTE_UNIX_EXTENSION) != 0) {
      return ((attributes >>> 16) & S_IFMT) == S_IFLNK;
    }
    return (attributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
  }

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
        if (isLink(entry)) {
          // py7zr and 7-Zip restore these as links; what they point at is read from wherever they point
          member.report(ScanRules.ARCHIVE_LINK, "member '" + MemberNames.printable(entry.getName())
              + "' is a symbolic link or reparse point");
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
