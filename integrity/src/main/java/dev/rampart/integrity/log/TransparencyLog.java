package dev.rampart.integrity.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An append-only Merkle-tree log on disk (RFC 9162 hashing, C2SP signed checkpoints).
 *
 * <p>Layout of the log folder: {@code entries} (records of length, CRC32C and bytes), {@code level-K} (hashes of the
 * complete subtrees of 2^K leaves; level 0 holds the leaf hashes), {@code checkpoint} (the latest signed checkpoint),
 * {@code log-key.pem} and {@code log-key.pub} (the Ed25519 checkpoint key).
 *
 * <p>An entry is acknowledged only after its record is on disk ({@code fsync}). A process killed mid-write leaves at
 * most a torn record at the tail: {@link #open} refuses such a log and only {@link #repair} removes the record, and
 * only if it was never acknowledged (no leaf hash was written for it and no checkpoint covers it); an acknowledged
 * record that fails its checksum was modified, wherever it is. Hashes are derived data and are rebuilt from the
 * entries when they lag behind. {@link #verifyReadOnly} changes nothing on disk.
 */
public final class TransparencyLog implements Merkle.Hashes, AutoCloseable {
  private static final int HEADER = 8;

  private final Path dir;
  private final String origin;
  private final FileChannel entries;
  private final List<FileChannel> levels = new ArrayList<>();
  private final long[][] offsets = new long[1][];
  private int count;
  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final List<String> repairs = new ArrayList<>();

  private TransparencyLog(Path dir, String origin, FileChannel entries, PrivateKey privateKey, PublicKey publicKey) {
    this.dir = dir;
    this.origin = origin;
    this.entries = entries;
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.offsets[0] = new long[1024];
  }

  /** Opens (or creates) the log in {@code dir}; a torn tail left by a crash is {@link LogException.TornTail}. */
  public static TransparencyLog open(Path dir, String origin) throws IOException, LogException {
    return open(dir, origin, false);
  }

  /**
   * Opens the log and removes a torn tail left by a crash, if there is one and it was never acknowledged; an
   * acknowledged tail record that fails its checksum was modified and is {@link LogException.Tampered}, never cut.
   */
  public static TransparencyLog repair(Path dir, String origin) throws IOException, LogException {
    return open(dir, origin, true);
  }

  private static TransparencyLog open(Path dir, String origin, boolean repairTail) throws IOException, LogException {
    Files.createDirectories(dir);
    var keys = LogKeys.loadOrCreate(dir);
    var ch = FileChannel.open(dir.resolve("entries"), StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    var log = new TransparencyLog(dir, origin, ch, keys.getPrivate(), keys.getPublic());
    try {
      log.recover(repairTail);
    } catch (IOException | LogException | RuntimeException e) {
      log.close();
      throw e;
    }
    return log;
  }

  private void recover(boolean repairTail) throws IOException, LogException {
    long acknowledged = acknowledgedEntries(dir, origin, publicKey);
    long size = entries.size();
    long pos = 0;
    var header = ByteBuffer.allocate(HEADER);
    while (pos < size) {
      header.clear();
      if (read(entries, header, pos) < HEADER) {
        tail(pos, "incomplete record header", repairTail, acknowledged);
        break;
      }
      header.flip();
      int len = header.getInt();
      int crc = header.getInt();
      if (len < 0 || pos + HEADER + len > size) {
        tail(pos, "record runs past the end of the file", repairTail, acknowledged);
        break;
      }
      var body = ByteBuffer.allocate(len);
      read(entries, body, pos + HEADER);
      var c = new CRC32C();
      c.update(body.array());
      if ((int) c.getValue() != crc) {
        if (pos + HEADER + len == size) {
          tail(pos, "last record failed its checksum", repairTail, acknowledged);
          break;
        }
        throw modified(count);
      }
      addOffset(pos);
      pos += HEADER + len;
    }
    if (count < acknowledged) {
      throw new LogException.Tampered(count, "the log holds " + count + " entries but " + acknowledged
          + " were acknowledged (leaf hashes or the signed checkpoint cover them): entries were removed");
    }
    // hashes are derived from the entries: cut torn tails, drop anything beyond the entries, rebuild what lags
    for (int level = 0; ; level++) {
      long expected = count >> level;
      Path f = dir.resolve("level-" + level);
      if (expected == 0 && level > 0) {
        Files.deleteIfExists(f);
        if (!Files.exists(dir.resolve("level-" + (level + 1)))) {
          break;
        }
        continue;
      }
      var ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      levels.add(ch);
      long have = ch.size() / Merkle.HASH_SIZE;
      if (ch.size() % Merkle.HASH_SIZE != 0 || have > expected) {
        ch.truncate(Math.min(have, expected) * Merkle.HASH_SIZE);
        repairs.add("level " + level + " trimmed to " + Math.min(have, expected) + " hashes");
        have = Math.min(have, expected);
      }
      for (long i = have; i < expected; i++) {
        byte[] h = level == 0 ? Merkle.leafHash(entry(i)) : Merkle.nodeHash(hashAt(level - 1, 2 * i), hashAt(level - 1, 2 * i + 1));
        ch.write(ByteBuffer.wrap(h), i * Merkle.HASH_SIZE);
      }
      if (have < expected) {
        repairs.add("level " + level + " rebuilt from entry " + (have << level));
        ch.force(false);
      }
    }
  }

  private static LogException.Tampered modified(long index) {
    return new LogException.Tampered(index, "entry " + index + " was modified: it fails its checksum");
  }

  /**
   * Entries known to have been acknowledged: those with a leaf hash (written after the entry's fsync) or covered by
   * the signed checkpoint. A bad record among them is a modification, never a torn write.
   */
  private static long acknowledgedEntries(Path dir, String origin, PublicKey key) throws IOException {
    long hashed = Files.exists(dir.resolve("level-0")) ? Files.size(dir.resolve("level-0")) / Merkle.HASH_SIZE : 0;
    long signed = 0;
    if (Files.exists(dir.resolve("checkpoint"))) {
      try {
        signed = Checkpoint.verify(Files.readString(dir.resolve("checkpoint")), origin, key).size();
      } catch (LogException e) {
        // a bad checkpoint is reported by verify; it proves nothing here
      }
    }
    return Math.max(hashed, signed);
  }

  private void tail(long pos, String why, boolean repairTail, long acknowledged) throws IOException, LogException {
    if (count < acknowledged) {
      throw modified(count);
    }
    if (!repairTail) {
      throw new LogException.TornTail("the last record (entry " + count + ", byte " + pos + ") is a torn write left by"
          + " a crash (" + why + "); it was never acknowledged: `rampart log repair` removes it");
    }
    truncateTail(pos, why);
  }

  private void truncateTail(long pos, String why) throws IOException {
    entries.truncate(pos);
    entries.force(true);
    repairs.add("torn write at byte " + pos + " removed (" + why + ")");
  }

  /** What {@link #open} had to repair after a crash; empty after a clean shutdown. */
  public List<String> repairs() {
    return List.copyOf(repairs);
  }

  private void addOffset(long pos) {
    if (count == offsets[0].length) {
      offsets[0] = Arrays.copyOf(offsets[0], count * 2);
    }
    offsets[0][count++] = pos;
  }

  /** Appends an entry; returns its index once the entry is durably on disk. */
  public synchronized long append(byte[] entry) throws IOException {
    long pos = entries.size();
    var rec = ByteBuffer.allocate(HEADER + entry.length);
    var c = new CRC32C();
    c.update(entry);
    rec.putInt(entry.length).putInt((int) c.getValue()).put(entry).flip();
    while (rec.hasRemaining()) {
      entries.write(rec, pos + rec.position());
    }
    entries.force(false);
    long index = count;
    addOffset(pos);
    byte[] h = Merkle.leafHash(entry);
    writeHash(0, index, h);
    long i = index;
    for (int level = 1; (i & 1) == 1; level++) {
      h = Merkle.nodeHash(hashAt(level - 1, i - 1), h);
      i >>= 1;
      writeHash(level, i, h);
    }
    for (FileChannel l : levels) {
      l.force(false);
    }
    return index;
  }

  private void writeHash(int level, long index, byte[] h) throws IOException {
    while (levels.size() <= level) {
      levels.add(FileChannel.open(dir.resolve("level-" + levels.size()), StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE));
    }
    levels.get(level).write(ByteBuffer.wrap(h), index * Merkle.HASH_SIZE);
  }

  private byte[] hashAt(int level, long index) {
    var buf = ByteBuffer.allocate(Merkle.HASH_SIZE);
    try {
      read(levels.get(level), buf, index * Merkle.HASH_SIZE);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return buf.array();
  }

  @Override
  public synchronized long size() {
    return count;
  }

  public synchronized byte[] entry(long index) throws IOException {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("no entry " + index + " in a log of " + count);
    }
    var header = ByteBuffer.allocate(HEADER);
    read(entries, header, offsets[0][(int) index]);
    header.flip();
    var body = ByteBuffer.allocate(header.getInt());
    read(entries, body, offsets[0][(int) index] + HEADER);
    return body.array();
  }

  public byte[] leafHash(long index) {
    return hashAt(0, index);
  }

  @Override
  public synchronized byte[] range(long from, long to) {
    return Merkle.range(from, to, this::hashAt);
  }

  public synchronized byte[] root() {
    return range(0, count);
  }

  public synchronized Checkpoint checkpoint() {
    return new Checkpoint(origin, count, root());
  }

  /** Signs the current checkpoint and stores it (atomically) as the log's latest. */
  public synchronized String publishCheckpoint() throws IOException {
    String note = checkpoint().sign(origin, privateKey, publicKey);
    Path tmp = dir.resolve("checkpoint.tmp");
    Files.writeString(tmp, note, StandardCharsets.UTF_8);
    try (var ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(tmp, dir.resolve("checkpoint"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve("checkpoint"), StandardCopyOption.REPLACE_EXISTING);
    }
    return note;
  }

  public List<byte[]> inclusionProof(long index, long size) {
    return Merkle.inclusionProof(this, index, size);
  }

  public List<byte[]> consistencyProof(long first, long second) {
    return Merkle.consistencyProof(this, first, second);
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  public String origin() {
    return origin;
  }

  /**
   * Recomputes every hash from the entries and checks the latest signed checkpoint against them. Any rewritten,
   * removed or reordered entry is {@link LogException.Tampered}.
   */
  public synchronized Checkpoint verify() throws IOException, LogException {
    var recomputed = new ArrayList<byte[]>(count);
    for (long i = 0; i < count; i++) {
      byte[] h = Merkle.leafHash(entry(i));
      if (!Arrays.equals(h, leafHash(i))) {
        throw new LogException.Tampered(i, "entry " + i + " does not match its recorded leaf hash");
      }
      recomputed.add(h);
    }
    var fresh = Merkle.inMemory(recomputed);
    Path cpFile = dir.resolve("checkpoint");
    if (!Files.exists(cpFile)) {
      return checkpoint();
    }
    var cp = Checkpoint.verify(Files.readString(cpFile), origin, publicKey);
    if (cp.size() > count) {
      throw new LogException.Tampered(count, "the signed checkpoint covers " + cp.size() + " entries but only " + count
          + " remain: entries were removed");
    }
    if (!Arrays.equals(fresh.range(0, cp.size()), cp.root())) {
      throw new LogException.Tampered(-1, "the first " + cp.size()
          + " entries no longer hash to the signed checkpoint: history was rewritten");
    }
    return cp;
  }

  /** What a read-only verification found: the entries checked, the signed checkpoint, and a torn tail if any. */
  public record Verified(long entries, Checkpoint checkpoint, java.util.Optional<String> tornTail, List<byte[]> leafHashes) {}

  /**
   * Verifies the log in {@code dir} without changing any file: every complete record against its checksum and its
   * recorded leaf hash, and the tree against the signed checkpoint. A modified entry is {@link LogException.Tampered}
   * with its index; a torn tail that was never acknowledged is reported in the result, not removed.
   */
  public static Verified verifyReadOnly(Path dir, String origin) throws IOException, LogException {
    PublicKey key = LogKeys.loadPublic(dir);
    long acknowledged = acknowledgedEntries(dir, origin, key);
    var leaves = new ArrayList<byte[]>();
    java.util.Optional<String> torn = java.util.Optional.empty();
    try (var ch = FileChannel.open(dir.resolve("entries"), StandardOpenOption.READ)) {
      long size = ch.size();
      long pos = 0;
      var header = ByteBuffer.allocate(HEADER);
      while (pos < size) {
        long index = leaves.size();
        header.clear();
        String why = null;
        int len = 0;
        if (read(ch, header, pos) < HEADER) {
          why = "incomplete record header";
        } else {
          header.flip();
          len = header.getInt();
          int crc = header.getInt();
          if (len < 0 || pos + HEADER + len > size) {
            why = "record runs past the end of the file";
          } else {
            var body = ByteBuffer.allocate(len);
            read(ch, body, pos + HEADER);
            var c = new CRC32C();
            c.update(body.array());
            if ((int) c.getValue() != crc) {
              if (pos + HEADER + len != size || index < acknowledged) {
                throw modified(index);
              }
              why = "last record failed its checksum";
            } else {
              leaves.add(Merkle.leafHash(body.array()));
            }
          }
        }
        if (why != null) {
          if (index < acknowledged) {
            throw modified(index);
          }
          torn = java.util.Optional.of("the last record (entry " + index + ", byte " + pos + ") is a torn write left by a"
              + " crash (" + why + "); it was never acknowledged: `rampart log repair` removes it");
          break;
        }
        pos += HEADER + len;
      }
    }
    long count = leaves.size();
    if (count < acknowledged) {
      throw new LogException.Tampered(count, "the log holds " + count + " entries but " + acknowledged
          + " were acknowledged (leaf hashes or the signed checkpoint cover them): entries were removed");
    }
    Path level0 = dir.resolve("level-0");
    if (Files.exists(level0)) {
      try (var ch = FileChannel.open(level0, StandardOpenOption.READ)) {
        long recorded = Math.min(count, ch.size() / Merkle.HASH_SIZE);
        for (long i = 0; i < recorded; i++) {
          var buf = ByteBuffer.allocate(Merkle.HASH_SIZE);
          read(ch, buf, i * Merkle.HASH_SIZE);
          if (!Arrays.equals(buf.array(), leaves.get((int) i))) {
            throw new LogException.Tampered(i, "entry " + i + " was modified: it does not match its recorded leaf hash");
          }
        }
      }
    }
    var fresh = Merkle.inMemory(leaves);
    Path cpFile = dir.resolve("checkpoint");
    Checkpoint cp = new Checkpoint(origin, count, fresh.range(0, count));
    if (Files.exists(cpFile)) {
      cp = Checkpoint.verify(Files.readString(cpFile), origin, key);
      if (!Arrays.equals(fresh.range(0, cp.size()), cp.root())) {
        throw new LogException.Tampered(-1, "the first " + cp.size()
            + " entries no longer hash to the signed checkpoint: history was rewritten");
      }
    }
    return new Verified(count, cp, torn, List.copyOf(leaves));
  }

  private static int read(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    int total = 0;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  @Override
  public void close() throws IOException {
    entries.close();
    for (FileChannel l : levels) {
      l.close();
    }
  }
}
