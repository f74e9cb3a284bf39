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
      long externalAttributes) {

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
   * @param declaredEntries the entry count in the end-of-central-directory record
   * @param unreadBytes bytes of the central directory after the last well-formed record
   */
  record Listing(List<Entry> entries, long declaredEntries, long unreadBytes) {
    boolean consistent() {
      return entries.size() == declaredEntries && unreadBytes == 0;
    }
  }

  private ZipDirectory() {}

  static Listing read(Blob blob, int maxEntries) throws IOException {
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
    if (entries == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
      long locatorPos = eocdPos - 20;
      byte[] loc = blob.readBytes(locatorPos, 20);
      if (loc.length == 20 && le32(loc, 0) == ZIP64_LOCATOR) {
        long recPos = le64(loc, 8);
        byte[] rec = blob.readBytes(recPos, 56);
        if (rec.length < 56 || le32(rec, 0) != ZIP64_EOCD) {
          throw new IOException("zip64 end-of-central-directory record is missing");
        }
        entries = le64(rec, 32);
        cdSize = le64(rec, 40);
        cdOffset = le64(rec, 48);
      }
    }
    if (entries > maxEntries) {
      throw new LimitExceededException("zip entries (" + entries + ")", maxEntries);
    }
    if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > size) {
      throw new IOException("zip central directory lies outside the file");
    }
    if (cdSize > 512L * 1024 * 1024) {
      throw new LimitExceededException("zip central directory size", 512L * 1024 * 1024);
    }
    byte[] cd = blob.readBytes(cdOffset, (int) cdSize);
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
      while (e + 4 <= extraEnd) {
        int id = le16(cd, e);
        int len = le16(cd, e + 2);
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
      out.add(new Entry(name, localName, flags, localFlags, method, csize, usize, crc, localOffset, dataOffset, madeBy, external));
    }
    if (out.isEmpty() && entries > 0) {
      throw new IOException("zip central directory holds no readable entry where " + entries + " are declared");
    }
    return new Listing(List.copyOf(out), entries, cd.length - p);
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
