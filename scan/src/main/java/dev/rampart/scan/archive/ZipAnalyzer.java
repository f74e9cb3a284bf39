package dev.rampart.scan.archive;

import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Format;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.pickle.PickleSniffer;
import dev.rampart.scan.torch.TorchLayout;
import dev.rampart.scan.torch.TorchScriptCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Zip archives, including PyTorch checkpoints, NumPy {@code .npz}, Keras {@code .keras}, NeMo and TorchServe
 * archives. Every member is scanned by content; tensor storages are only sniffed for hidden pickles.
 */
public final class ZipAnalyzer implements Analyzer {
  private static final int EVASIVE_FLAGS = 0x1 | 0x20 | 0x40;
  private static final long SNIFF_BYTES = 64 * 1024;
  private static final long CRC_CHECK_LIMIT = 16L * 1024 * 1024;

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    var listing = ZipDirectory.read(blob, target.limits().maxEntries());
    if (!listing.consistent()) {
      target.report(ScanRules.ZIP_DIRECTORY_MISMATCH, directoryEvidence(listing));
    }
    List<ZipDirectory.Entry> entries = listing.entries();
    var layout = TorchLayout.of(entries.stream().map(ZipDirectory.Entry::name).toList());
    for (var entry : entries) {
      target.checkDeadline();
      var member = target.sub(entry.name());
      MemberNames.check(member, entry.name());
      if (!entry.localName().equals(entry.name())) {
        member.report(
            ScanRules.ZIP_NAME_MISMATCH,
            "central directory says '" + MemberNames.printable(entry.name()) + "', local header says '"
                + MemberNames.printable(entry.localName()) + "'");
        MemberNames.check(member, entry.localName());
      }
      if (!entry.unicodePath().isEmpty() && !entry.unicodePath().equals(entry.name())) {
        member.report(
            ScanRules.ZIP_NAME_MISMATCH,
            "the Info-ZIP Unicode Path field names '" + MemberNames.printable(entry.unicodePath()) + "' where the header says '"
                + MemberNames.printable(entry.name()) + "'; unzip and 7-Zip extract it under the first name, Python's "
                + "zipfile and PyTorch read the second");
        MemberNames.check(member, entry.unicodePath());
      }
      if (!entry.localHeaderAgrees()) {
        member.report(ScanRules.ZIP_LOCAL_HEADER_MISMATCH, "the local header of '" + MemberNames.printable(entry.name())
            + "' gives another compression method, size or CRC than the central directory; the member was read as "
            + "the central directory describes it, as PyTorch and Python do");
      }
      if (entry.symlink()) {
        // unzip restores a link, but Python's zipfile and PyTorch read the member's bytes like any other: scan them
        member.report(ScanRules.ARCHIVE_LINK, "member '" + MemberNames.printable(entry.name()) + "' is a symbolic link");
      }
      if (entry.directory()) {
        continue;
      }
      int evasive = (entry.flags() | entry.localFlags()) & EVASIVE_FLAGS;
      if (evasive != 0) {
        member.report(
            ScanRules.ZIP_FLAG_EVASION,
            String.format("general-purpose flags 0x%04x; the member was read as plain data, as PyTorch does", entry.flags()));
        member.incomplete("member is flagged as encrypted; if it really is, its content could not be analysed");
      }
      Blob data = open(member, blob, entry);
      if (data == null) {
        continue;
      }
      try (data) {
        var role = layout.role(entry.name());
        if (role == TorchLayout.Role.STORAGE) {
          long sniffLen = Math.min(data.size(), SNIFF_BYTES);
          if (!PickleSniffer.isPickle(data.slice(0, sniffLen))) {
            checkCrc(member, entry, data, false);
            continue;
          }
        }
        checkCrc(member, entry, data, true);
        switch (role) {
          case TORCHSCRIPT_CODE -> TorchScriptCheck.check(member, text(data));
          case PYTHON_SOURCE -> member.report(ScanRules.PYTHON_SOURCE, data.size() + " bytes of Python source");
          case STORAGE -> target.scanMemberAs(entry.name(), data, Format.PICKLE);
          case OTHER -> {
            if (unpickledUnderOtherName(entry)) {
              target.scanUnpickledMember(entry.name(), data);
            } else {
              target.scanMember(entry.name(), data);
            }
          }
        }
      }
    }
  }

  /** A member extracted under a name a loader unpickles, though the header names it otherwise. */
  private static boolean unpickledUnderOtherName(ZipDirectory.Entry entry) {
    return !entry.unicodePath().isEmpty() && Target.unpickledByLoaderName(entry.unicodePath())
        || !entry.localName().equals(entry.name()) && Target.unpickledByLoaderName(entry.localName());
  }

  private static String directoryEvidence(ZipDirectory.Listing listing) {
    var parts = new java.util.ArrayList<String>();
    if (listing.displacement() != 0) {
      parts.add(listing.directoriesRead() == 2
          ? "the end record places the central directory " + Math.abs(listing.displacement()) + " bytes "
              + (listing.displacement() > 0 ? "before" : "after") + " the one that precedes it, so Python's zipfile "
              + "and PyTorch read different directories; both were scanned"
          : "the zip starts " + listing.displacement() + " bytes into the file, after other content; Python's "
              + "zipfile (and so Keras) opens it anyway, and it was scanned that way");
    }
    if (listing.directoryEntries() != listing.declaredEntries() || listing.unreadBytes() > 0) {
      parts.add("end record declares " + listing.declaredEntries() + " entries; the central directory holds "
          + listing.directoryEntries()
          + (listing.unreadBytes() > 0 ? " and " + listing.unreadBytes() + " unreadable bytes" : ""));
    }
    return String.join("; ", parts);
  }

  private static Blob open(Target member, Blob zip, ZipDirectory.Entry entry) throws IOException {
    Blob raw = zip.slice(entry.dataOffset(), entry.compressedSize());
    return switch (entry.method()) {
      case 0 -> raw;
      case 8 -> Inflation.inflate(member, new InflaterInputStream(raw.openStream(), new Inflater(true), 64 * 1024),
          entry.compressedSize(), "zip member");
      case 12 -> Inflation.inflate(member,
          new org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream(raw.openStream()),
          entry.compressedSize(), "zip member");
      case 93 -> Inflation.inflate(member, new io.airlift.compress.zstd.ZstdInputStream(raw.openStream()),
          entry.compressedSize(), "zip member");
      case 95 -> Inflation.inflate(member,
          new org.apache.commons.compress.compressors.xz.XZCompressorInputStream(raw.openStream()),
          entry.compressedSize(), "zip member");
      case 9 -> Inflation.inflate(member,
          new org.apache.commons.compress.compressors.deflate64.Deflate64CompressorInputStream(raw.openStream()),
          entry.compressedSize(), "zip member");
      default -> {
        member.incomplete("zip compression method " + entry.method() + " is not supported");
        yield null;
      }
    };
  }

  /** PyTorch ignores CRC errors and many scanners abort on them; Rampart checks and reports instead. */
  private static void checkCrc(Target member, ZipDirectory.Entry entry, Blob data, boolean analysed) throws IOException {
    if (!analysed && data.size() > CRC_CHECK_LIMIT) {
      return;
    }
    var crc = new CRC32();
    try (InputStream in = data.openStream()) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        crc.update(buf, 0, n);
      }
    }
    if (crc.getValue() != entry.crc()) {
      member.report(
          ScanRules.ZIP_CRC_MISMATCH,
          String.format("stored CRC %08x, computed %08x", entry.crc(), crc.getValue()));
    }
  }

  private static String text(Blob data) throws IOException {
    return new String(data.readAll(16 * 1024 * 1024), StandardCharsets.UTF_8);
  }
}
