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
 * most a torn record at the tail, which {@link #open} detects and removes; hashes are derived data and are rebuilt
 * from the entries when they lag behind. A record whose CRC fails before the tail, or entries that no longer match
 * the signed checkpoint, are tampering and are never repaired silently.
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

  /** Opens (or creates) the log in {@code dir}, repairing a torn tail left by a crash. */
  public static TransparencyLog open(Path dir, String origin) throws IOException, LogException {
    Files.createDirectories(dir);
    var keys = LogKeys.loadOrCreate(dir);
    var ch = FileChannel.open(dir.resolve("entries"), StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    var log = new TransparencyLog(dir, origin, ch, keys.getPrivate(), keys.getPublic());
    try {
      log.recover();
    } catch (IOException | LogException | RuntimeException e) {
      log.close();
      throw e;
    }
    return log;
  }

  private void recover() throws IOException, LogException {
    long size = entries.size();
    long pos = 0;
    var header = ByteBuffer.allocate(HEADER);
    while (pos < size) {
      header.clear();
      if (read(entries, header, pos) < HEADER) {
        truncateTail(pos, "incomplete record header");
        break;
      }
      header.flip();
      int len = header.getInt();
      int crc = header.getInt();
      if (len < 0 || pos + HEADER + len > size) {
        truncateTail(pos, "record runs past the end of the file");
        break;
      }
      var body = ByteBuffer.allocate(len);
      read(entries, body, pos + HEADER);
      var c = new CRC32C();
      c.update(body.array());
      if ((int) c.getValue() != crc) {
        if (pos + HEADER + len == size) {
          truncateTail(pos, "last record failed its checksum");
          break;
        }
        throw new LogException.Tampered(count, "entry " + count + " fails its checksum: the log file was altered");
      }
      addOffset(pos);
      pos += HEADER + len;
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
