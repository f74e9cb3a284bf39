package dev.rampart.scan.archive;

import dev.rampart.scan.io.Blob;
import dev.rampart.scan.io.LimitExceededException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a zip file's central directory the way PyTorch's reader does: names and sizes from the central directory,
 * data offsets from each local header, no refusal over flag bits or CRCs. Differences between the two headers are
 * kept so they can be reported.
 *
 * <p>The directory is walked by its byte size, as Python's zipfile does, not by the end record's entry count, which
 * PyTorch's reader trusts: an end record that under-counts would otherwise hide members from Rampart that Python
 * loaders still open. The two readings are both kept in the {@link Listing}.
 */
final class ZipDirectory {
  private static final int EOCD = 0x06054b50;
  private static final int ZIP64_LOCATOR = 0x07064b50;
  private static final int ZIP64_EOCD = 0x06064b50;
  private static final int CENTRAL = 0x02014b50;
  private static final int LOCAL = 0x04034b50;
  /** The directory is read whole: 64 MiB holds about 600,000 members with PyTorch's names, and fits small heaps. */
  private static final long MAX_DIRECTORY_BYTES = 64L * 1024 * 1024;

  record Entry(
      String name,
      String localName,
      int flags,
      int localFlags,
      int method,
      long compressedSize,
      long size,
      long crc,
      long localHeaderOffset,
      long dataOffset,
      int madeBy,
      long externalAttributes,
      boolean localHeaderAgrees,
      String unicodePath) {

    boolean directory() {
      return name.endsWith("/");
    }

    boolean symlink() {
      return (madeBy >>> 8) == 3 && ((externalAttributes >>> 16) & 0xF000) == 0xA000;
    }
  }

  /**
   * The members found, with what the end record claimed.
   *
   * @param entries the members of every directory read: both when the end record is displaced
   * @param declaredEntries the entry count in the end-of-central-directory record
   * @param directoryEntries the records found in the directory the end record points to (or, when that one is
   *     unreadable, in the one before the end record)
   * @param unreadBytes bytes of that directory after its last well-formed record
   * @param displacement how far the directory before the end record lies from the recorded one; 0 in a plain zip
   * @param directoriesRead 2 when both the recorded and the displaced directory were readable
   */
  record Listing(
      List<Entry> entries, long declaredEntries, long directoryEntries, long unreadBytes, long displacement,
      int directoriesRead) {
    boolean consistent() {
      return directoryEntries == declaredEntries && unreadBytes == 0 && displacement == 0;
    }
  }

  /** One reading of a central directory: its entries and the bytes after its last well-formed record. */
  private record Walk(List<Entry> entries, long unreadBytes) {}

  private ZipDirectory() {}

  /** Where the end record says the central directory is, and where Python's reading expects it to end. */
  private record EndRecord(long entries, long cdSize, long cdOffset, long directoryEnd) {}

  static Listing read(Blob blob, int maxEntries) throws IOException {
    EndRecord end = endRecord(blob);
    long entries = end.entries();
    long cdSize = end.cdSize();
    if (entries > maxEntries) {
      throw new LimitExceededException("zip entries (" + entries + ")", maxEntries);
    }
    if (cdSize < 0 || cdSize > end.directoryEnd()) {
      throw new IOException("zip central directory is larger than the bytes before its end record");
    }
    if (cdSize > MAX_DIRECTORY_BYTES) {
      throw new LimitExceededException("zip central directory size", MAX_DIRECTORY_BYTES);
    }
    // Python's zipfile reads the directory that ends where the end record begins, and shifts every offset by the
    // difference from the recorded one; readers like PyTorch's trust the recorded offset. When the two differ, each
    // sees a different directory, so both are read.
    long displacement = end.directoryEnd() - cdSize - end.cdOffset();
    Walk recorded = null;
    IOException recordedError = null;
    try {
      recorded = walk(blob, end.cdOffset(), cdSize, 0, entries, maxEntries);
    } catch (LimitExceededException e) {
      throw e;
    } catch (IOException e) {
      recordedError = e;
    }
    Walk adjacent = null;
    if (displacement != 0) {
      try {
        adjacent = walk(blob, end.cdOffset() + displacement, cdSize, displacement, entries, maxEntries);
      } catch (LimitExceededException e) {
        throw e;
      } catch (IOException e) {
        // the recorded reading stands alone, or neither does and its error is reported below
      }
    }
    if (recorded == null && adjacent == null) {
      throw recordedError;
    }
    var all = new ArrayList<Entry>();
    var seen = new java.util.HashSet<String>();
    for (Walk walk : new Walk[] {recorded, adjacent}) {
      if (walk != null) {
        for (Entry e : walk.entries()) {
          if (seen.add(e.dataOffset() + "/" + e.name())) {
            all.add(e);
          }
        }
      }
    }
    Walk primary = recorded != null ? recorded : adjacent;
    return new Listing(List.copyOf(all), entries, primary.entries().size(), primary.unreadBytes(), displacement,
        recorded != null && adjacent != null ? 2 : 1);
  }

  private static EndRecord endRecord(Blob blob) throws IOException {
    long size = blob.size();
    int tailLen = (int) Math.min(size, 65_557);
    byte[] tail = blob.readBytes(size - tailLen, tailLen);
    int eocd = -1;
    for (int i = tailLen - 22; i >= 0; i--) {
      if (le32(tail, i) == EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      throw new IOException("zip end-of-central-directory record not found (truncated or not a zip)");
    }
    long entries = le16(tail, eocd + 10);
    long cdSize = le32u(tail, eocd + 12);
    long cdOffset = le32u(tail, eocd + 16);
    long eocdPos = size - tailLen + eocd;
    long directoryEnd = eocdPos;
    // A zip64 locator just before the end record makes its record authoritative, saturated fields or not: PyTorch
    // writes one into every checkpoint. Python reads the record just before the locator, PyTorch the one the locator
    // names; they are the same in any honest file.
    if (eocdPos >= 20 + 56) {
      byte[] loc = blob.readBytes(eocdPos - 20, 20);
      if (loc.length == 20 && le32(loc, 0) == ZIP64_LOCATOR) {
        byte[] rec = blob.readBytes(eocdPos - 20 - 56, 56);
        if (rec.length < 56 || le32(rec, 0) != ZIP64_EOCD) {
          rec = blob.readBytes(le64(loc, 8), 56);
        }
        if (rec.length < 56 || le32(rec, 0) != ZIP64_EOCD) {
          throw new IOException("zip64 end-of-central-directory record is missing");
        }
        entries = le64(rec, 32);
        cdSize = le64(rec, 40);
        cdOffset = le64(rec, 48);
        directoryEnd = eocdPos - 20 - 56;
      }
    }
    if (directoryEnd == eocdPos && (entries == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL)) {
      throw new IOException("zip64 end-of-central-directory record is missing");
    }
    return new EndRecord(entries, cdSize, cdOffset, directoryEnd);
  }

  /**
   * Walks the directory of {@code cdSize} bytes at {@code cdStart} by its records, as Python's zipfile does, with
   * every local-header offset shifted by {@code shift}.
   */
  private static Walk walk(Blob blob, long cdStart, long cdSize, long shift, long declared, int maxEntries)
      throws IOException {
    long size = blob.size();
    if (cdStart < 0 || cdStart + cdSize > size) {
      throw new IOException("zip central directory lies outside the file");
    }
    byte[] cd = blob.readBytes(cdStart, (int) cdSize);
    var out = new ArrayList<Entry>();
    int p = 0;
    for (int n = 0; p + 46 <= cd.length && le32(cd, p) == CENTRAL; n++) {
      if (n >= maxEntries) {
        throw new LimitExceededException("zip entries (more than " + n + ")", maxEntries);
      }
      int madeBy = le16(cd, p + 4);
      int flags = le16(cd, p + 8);
      int method = le16(cd, p + 10);
      long crc = le32u(cd, p + 16);
      long csize = le32u(cd, p + 20);
      long usize = le32u(cd, p + 24);
      int nameLen = le16(cd, p + 28);
      int extraLen = le16(cd, p + 30);
      int commentLen = le16(cd, p + 32);
      long external = le32u(cd, p + 38);
      long localOffset = le32u(cd, p + 42);
      if (p + 46 + nameLen + extraLen + commentLen > cd.length) {
        throw new IOException("zip central directory entry " + n + " runs past the directory");
      }
      String name = decodeName(cd, p + 46, nameLen, flags);
      // zip64 extra field: the 0xFFFFFFFF fields follow in order usize, csize, offset
      int e = p + 46 + nameLen;
      int extraEnd = e + extraLen;
      String unicodePath = "";
      while (e + 4 <= extraEnd) {
        int id = le16(cd, e);
        int len = le16(cd, e + 2);
        if (id == 0x7075 && len >= 5 && e + 4 + len <= extraEnd && cd[e + 4] == 1) {
          // Info-ZIP Unicode Path: unzip and 7-Zip extract under this name; Python's zipfile and PyTorch ignore it
          unicodePath = new String(cd, e + 9, len - 5, java.nio.charset.StandardCharsets.UTF_8);
        }
        if (id == 0x0001) {
          int q = e + 4;
          if (usize == 0xFFFFFFFFL && q + 8 <= e + 4 + len) {
            usize = le64(cd, q);
            q += 8;
          }
          if (csize == 0xFFFFFFFFL && q + 8 <= e + 4 + len) {
            csize = le64(cd, q);
            q += 8;
          }
          if (localOffset == 0xFFFFFFFFL && q + 8 <= e + 4 + len) {
            localOffset = le64(cd, q);
          }
        }
        e += 4 + len;
      }
      p += 46 + nameLen + extraLen + commentLen;
      localOffset += shift;
      byte[] lh = blob.readBytes(localOffset, 30);
      if (lh.length < 30 || le32(lh, 0) != LOCAL) {
        throw new IOException("zip local header of '" + name + "' is missing at byte " + localOffset);
      }
      int localFlags = le16(lh, 6);
      int localNameLen = le16(lh, 26);
      int localExtraLen = le16(lh, 28);
      String localName = decodeName(blob.readBytes(localOffset + 30, localNameLen), 0, localNameLen, localFlags);
      long dataOffset = localOffset + 30 + localNameLen + localExtraLen;
      if (csize < 0 || dataOffset + csize > size) {
        throw new IOException("zip member '" + name + "' data runs past the end of the file");
      }
      out.add(new Entry(name, localName, flags, localFlags, method, csize, usize, crc, localOffset, dataOffset, madeBy,
          external, localAgrees(lh, method, csize, usize, crc), unicodePath));
    }
    if (out.isEmpty() && declared > 0) {
      throw new IOException("zip central directory holds no readable entry where " + declared + " are declared");
    }
    return new Walk(List.copyOf(out), cd.length - p);
  }

  /**
   * Whether the local header describes the member as the central directory does. Streaming readers know only the
   * local header, so a different method or size there makes them read other bytes. Sizes and CRC are compared only
   * where the local header carries them: not behind a data descriptor (flag 0x8), nor in zip64 form.
   */
  private static boolean localAgrees(byte[] lh, int method, long csize, long usize, long crc) {
    if (le16(lh, 8) != method) {
      return false;
    }
    if ((le16(lh, 6) & 0x8) != 0) {
      return true;
    }
    long localCrc = le32u(lh, 14);
    long localCsize = le32u(lh, 18);
    long localUsize = le32u(lh, 22);
    if (localCsize == 0xFFFFFFFFL || localUsize == 0xFFFFFFFFL) {
      return localCrc == crc;
    }
    return localCrc == crc && localCsize == csize && localUsize == usize;
  }

  private static String decodeName(byte[] b, int off, int len, int flags) {
    return new String(b, off, len, (flags & 0x800) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.UTF_8);
  }

  private static int le16(byte[] b, int i) {
    return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
  }

  private static int le32(byte[] b, int i) {
    return ByteBuffer.wrap(b, i, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  private static long le32u(byte[] b, int i) {
    return le32(b, i) & 0xFFFFFFFFL;
  }

  private static long le64(byte[] b, int i) {
    return ByteBuffer.wrap(b, i, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }
}
