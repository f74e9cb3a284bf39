package dev.rampart.scan.tensorflow;

import dev.rampart.scan.ScanRules;
import dev.rampart.scan.engine.Analyzer;
import dev.rampart.scan.engine.Target;
import dev.rampart.scan.io.Blob;
import dev.rampart.scan.io.LimitExceededException;
import dev.rampart.scan.protobuf.ProtoReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * TensorFlow checkpoint indexes ({@code <prefix>.index}, a LevelDB-format table of {@code BundleEntryProto}s). Each
 * entry names a data shard, an offset and a size that TensorFlow's reader trusts; they are checked against the
 * shard count and, for a checkpoint on disk, against the {@code .data-NNNNN-of-NNNNN} files beside it.
 */
public final class CheckpointIndexAnalyzer implements Analyzer {
  static final long MAGIC = 0xdb4775248b80fb57L;
  private static final int FOOTER = 48;
  private static final int MAX_BLOCK = 64 * 1024 * 1024;
  private static final long MAX_ENTRIES = 10_000_000;
  private static final int MAX_REPORTED = 20;

  /** Whether the blob ends with the table magic number. */
  public static boolean isIndex(Blob blob) throws IOException {
    return blob.size() >= FOOTER
        && ByteBuffer.wrap(blob.readBytes(blob.size() - 8, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong() == MAGIC;
  }

  private record Handle(long offset, long size) {}

  private final class Walk {
    final Target target;
    long shards = -1;
    long onlyShard = -1;
    long entries;
    int reported;

    Walk(Target target) {
      this.target = target;
    }

    void problem(String evidence) {
      if (reported++ < MAX_REPORTED) {
        target.report(ScanRules.MODEL_STRUCTURE, evidence);
      }
    }
  }

  @Override
  public void analyze(Target target, Blob blob) throws IOException {
    var prefix = target.fsPath().map(p -> p.toString()).filter(p -> p.endsWith(".index"))
        .map(p -> p.substring(0, p.length() - ".index".length()));
    walk(target, blob, prefix, -1);
  }

  /**
   * Checks a data shard scanned on its own against the index beside it: the entries that read from it must lie
   * inside it.
   */
  public static Analyzer shard() {
    return (target, blob) -> {
      var file = target.fsPath().orElseThrow(() -> new IOException("a checkpoint shard is only known on disk"));
      var m = java.util.regex.Pattern.compile("^(.*)\\.data-(\\d{5})-of-(\\d{5})$").matcher(file.toString());
      if (!m.matches()) {
        throw new IOException("not a checkpoint shard name");
      }
      try (var index = dev.rampart.scan.io.FileBlob.open(Path.of(m.group(1) + ".index"))) {
        new CheckpointIndexAnalyzer().walk(target, index, Optional.of(m.group(1)), Long.parseLong(m.group(2)));
      }
    };
  }

  private void walk(Target target, Blob blob, Optional<String> prefix, long onlyShard) throws IOException {
    if (!isIndex(blob)) {
      throw new IOException("no table footer");
    }
    var footer = ByteBuffer.wrap(blob.readBytes(blob.size() - FOOTER, FOOTER));
    handle(footer, blob); // metaindex: unused by TensorFlow's bundle reader
    Handle index = handle(footer, blob);
    var walk = new Walk(target);
    walk.onlyShard = onlyShard;
    for (byte[][] kv : entries(block(blob, index))) {
      var data = handle(ByteBuffer.wrap(kv[1]), blob);
      for (byte[][] entry : entries(block(blob, data))) {
        target.checkDeadline();
        if (++walk.entries > MAX_ENTRIES) {
          throw new LimitExceededException("checkpoint entries", MAX_ENTRIES);
        }
        entry(walk, new String(entry[0], java.nio.charset.StandardCharsets.UTF_8), entry[1], prefix);
      }
    }
  }

  private void entry(Walk walk, String key, byte[] value, Optional<String> prefix) throws IOException {
    var r = ProtoReader.of(new dev.rampart.scan.io.ArrayBlob(value));
    if (key.isEmpty()) {
      while (r.next()) {
        if (r.field() == 1 && r.wireType() == ProtoReader.VARINT) {
          walk.shards = r.varint();
        }
      }
      return;
    }
    long shard = 0;
    long offset = 0;
    long size = 0;
    while (r.next()) {
      if (r.wireType() != ProtoReader.VARINT) {
        continue;
      }
      switch (r.field()) {
        case 3 -> shard = r.varint();
        case 4 -> offset = r.varint();
        case 5 -> size = r.varint();
        default -> {}
      }
    }
    String name = key.replaceAll("\\p{Cntrl}", "?");
    if (walk.onlyShard >= 0 && shard != walk.onlyShard) {
      return;
    }
    if (shard < 0 || walk.shards >= 0 && shard >= walk.shards) {
      walk.problem("tensor '" + name + "' is in shard " + shard + " of " + walk.shards);
      return;
    }
    if (offset < 0 || size < 0) {
      walk.problem("tensor '" + name + "' has offset " + offset + " and size " + size);
      return;
    }
    if (prefix.isPresent() && walk.shards > 0) {
      Path file = Path.of(String.format("%s.data-%05d-of-%05d", prefix.get(), shard, walk.shards));
      if (Files.isRegularFile(file) && offset + size > Files.size(file)) {
        walk.problem("tensor '" + name + "' reads " + size + " bytes at offset " + offset + " of "
            + file.getFileName() + ", which holds " + Files.size(file));
      }
    }
  }

  private static Handle handle(ByteBuffer b, Blob blob) throws IOException {
    long offset = varint(b);
    long size = varint(b);
    if (offset < 0 || size < 0 || size > MAX_BLOCK || offset + size + 5 > blob.size()) {
      throw new IOException("table block at " + offset + " of " + size + " bytes lies outside the file");
    }
    return new Handle(offset, size);
  }

  private static long varint(ByteBuffer b) throws IOException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!b.hasRemaining()) {
        throw new IOException("truncated varint in the table");
      }
      int x = b.get() & 0xff;
      result |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        return result;
      }
    }
    throw new IOException("varint longer than 10 bytes in the table");
  }

  private static byte[] block(Blob blob, Handle h) throws IOException {
    byte[] raw = blob.readBytes(h.offset(), (int) h.size());
    int type = blob.readBytes(h.offset() + h.size(), 1)[0];
    return switch (type) {
      case 0 -> raw;
      case 1 -> {
        int length = io.airlift.compress.snappy.SnappyDecompressor.getUncompressedLength(raw, 0);
        if (length < 0 || length > MAX_BLOCK) {
          throw new LimitExceededException("table block size", MAX_BLOCK);
        }
        byte[] out = new byte[length];
        new io.airlift.compress.snappy.SnappyDecompressor().decompress(raw, 0, raw.length, out, 0, length);
        yield out;
      }
      default -> throw new IOException("table block compression type " + type + " is not supported");
    };
  }

  /** The key/value entries of one block, keys rebuilt from their shared prefixes. */
  private static java.util.List<byte[][]> entries(byte[] block) throws IOException {
    if (block.length < 4) {
      throw new IOException("table block of " + block.length + " bytes");
    }
    var b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
    long restarts = Integer.toUnsignedLong(b.getInt(block.length - 4));
    if (restarts > (block.length - 4) / 4) {
      throw new IOException("table block declares " + restarts + " restart points");
    }
    int end = (int) (block.length - 4 - 4 * restarts);
    var out = new java.util.ArrayList<byte[][]>();
    byte[] key = new byte[0];
    b.position(0).limit(end);
    while (b.hasRemaining()) {
      long shared = varint(b);
      long unshared = varint(b);
      long valueLength = varint(b);
      if (shared > key.length || unshared > b.remaining() || valueLength > b.remaining() - unshared) {
        throw new IOException("table entry lengths run past the block");
      }
      byte[] next = new byte[(int) (shared + unshared)];
      System.arraycopy(key, 0, next, 0, (int) shared);
      b.get(next, (int) shared, (int) unshared);
      byte[] value = new byte[(int) valueLength];
      b.get(value);
      key = next;
      out.add(new byte[][] {key, value});
    }
    return out;
  }
}
