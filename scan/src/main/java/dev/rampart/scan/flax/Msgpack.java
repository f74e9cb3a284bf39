package dev.rampart.scan.flax;

import dev.rampart.scan.io.Blob;
import dev.rampart.scan.io.LimitExceededException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bounded msgpack walker for Flax checkpoints over a blob: validates every value and every Flax array extension
 * without holding array buffers in memory (only their lengths are needed).
 */
final class Msgpack {
  interface Problems {
    void report(String path, String problem);
  }

  /** A bin value, known by its length only. */
  private record Bin(long length) {}

  private static final int MAX_DEPTH = 128;
  private static final long MAX_VALUES = 50_000_000;
  private static final int MAX_STRING = 1 << 20;
  private static final int MAX_REPORTED = 20;
  private static final Pattern DTYPE = Pattern.compile("^([<>|=]?)([biufcmM])(\\d+)$");
  /** NumPy and ml_dtypes names as {@code dtype.name} writes them, with their item sizes (int4: two per byte). */
  private static final Map<String, Integer> NAMED = Map.ofEntries(
      Map.entry("bool", 1), Map.entry("int8", 1), Map.entry("uint8", 1), Map.entry("int16", 2),
      Map.entry("uint16", 2), Map.entry("float16", 2), Map.entry("bfloat16", 2), Map.entry("int32", 4),
      Map.entry("uint32", 4), Map.entry("float32", 4), Map.entry("int64", 8), Map.entry("uint64", 8),
      Map.entry("float64", 8), Map.entry("complex64", 8), Map.entry("complex128", 16),
      Map.entry("float8_e4m3fn", 1), Map.entry("float8_e5m2", 1), Map.entry("float8_e4m3b11fnuz", 1),
      Map.entry("float8_e4m3fnuz", 1), Map.entry("float8_e5m2fnuz", 1), Map.entry("int4", 1), Map.entry("uint4", 1));

  private final Blob blob;
  private final long end;
  private long pos;
  private Problems problems = (p, q) -> {};
  private int reported;
  private long count;
  private boolean sawArray;

  private Msgpack(Blob blob, long start, long end) {
    this.blob = blob;
    this.pos = start;
    this.end = end;
  }

  /**
   * Whether the head of a file reads as the start of a Flax checkpoint: a msgpack map that parses without an invalid
   * byte up to the end of the head and reaches a Flax array extension there.
   */
  static boolean looksLikeFlax(Blob head) {
    var m = new Msgpack(head, 0, head.size());
    try {
      int first = m.u8();
      m.pos = 0;
      if (!(first >= 0x80 && first <= 0x8f) && first != 0xde && first != 0xdf) {
        return false;
      }
      m.value("", 0);
      return m.sawArray;
    } catch (Truncated t) {
      return m.sawArray;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  static void walk(Blob blob, Problems sink) throws IOException {
    var m = new Msgpack(blob, 0, blob.size());
    m.problems = sink;
    try {
      m.value("$", 0);
    } catch (Truncated t) {
      throw new IOException(t.getMessage());
    }
    if (m.pos < m.end) {
      m.problem("$", (m.end - m.pos) + " bytes after the msgpack value");
    }
  }

  /** The data ran out inside a value. */
  private static final class Truncated extends IOException {
    Truncated(String message) {
      super(message);
    }
  }

  private void problem(String path, String what) {
    if (reported++ < MAX_REPORTED) {
      problems.report(path, what);
    }
  }

  private void need(long n) throws Truncated {
    if (n < 0 || n > end - pos) {
      throw new Truncated("msgpack value of " + n + " bytes runs past the end at byte " + pos);
    }
  }

  private ByteBuffer read(int n) throws IOException {
    need(n);
    var b = ByteBuffer.wrap(blob.readBytes(pos, n));
    pos += n;
    return b;
  }

  private int u8() throws IOException {
    return read(1).get() & 0xff;
  }

  private long length(int bytes) throws IOException {
    var b = read(bytes);
    return switch (bytes) {
      case 1 -> b.get() & 0xffL;
      case 2 -> b.getShort() & 0xffffL;
      default -> b.getInt() & 0xffffffffL;
    };
  }

  private String string(long n) throws IOException {
    if (n > MAX_STRING) {
      throw new LimitExceededException("msgpack string length", MAX_STRING);
    }
    return StandardCharsets.UTF_8.decode(read((int) n)).toString();
  }

  private Bin bin(long n) throws IOException {
    need(n);
    pos += n;
    return new Bin(n);
  }

  /** Reads one value; returns strings, integers, short lists and bins, which array extensions are made of. */
  private Object value(String path, int depth) throws IOException {
    if (++count > MAX_VALUES) {
      throw new LimitExceededException("msgpack values", MAX_VALUES);
    }
    if (depth > MAX_DEPTH) {
      throw new LimitExceededException("msgpack nesting depth", MAX_DEPTH);
    }
    int m = u8();
    if (m <= 0x7f || m >= 0xe0) {
      return (long) (byte) m;
    }
    if (m <= 0x8f) {
      return map(path, m & 0x0f, depth);
    }
    if (m <= 0x9f) {
      return array(path, m & 0x0f, depth);
    }
    if (m <= 0xbf) {
      return string(m & 0x1f);
    }
    return switch (m) {
      case 0xc0, 0xc2, 0xc3 -> null;
      case 0xc4 -> bin(length(1));
      case 0xc5 -> bin(length(2));
      case 0xc6 -> bin(length(4));
      case 0xc7 -> ext(path, length(1), depth);
      case 0xc8 -> ext(path, length(2), depth);
      case 0xc9 -> ext(path, length(4), depth);
      case 0xca -> { read(4); yield null; }
      case 0xcb -> { read(8); yield null; }
      case 0xcc -> (long) (read(1).get() & 0xff);
      case 0xcd -> (long) (read(2).getShort() & 0xffff);
      case 0xce -> read(4).getInt() & 0xffffffffL;
      case 0xcf, 0xd3 -> read(8).getLong();
      case 0xd0 -> (long) read(1).get();
      case 0xd1 -> (long) read(2).getShort();
      case 0xd2 -> (long) read(4).getInt();
      case 0xd4 -> ext(path, 1, depth);
      case 0xd5 -> ext(path, 2, depth);
      case 0xd6 -> ext(path, 4, depth);
      case 0xd7 -> ext(path, 8, depth);
      case 0xd8 -> ext(path, 16, depth);
      case 0xd9 -> string(length(1));
      case 0xda -> string(length(2));
      case 0xdb -> string(length(4));
      case 0xdc -> array(path, length(2), depth);
      case 0xdd -> array(path, length(4), depth);
      case 0xde -> map(path, length(2), depth);
      case 0xdf -> map(path, length(4), depth);
      default -> throw new IOException("msgpack byte 0x" + Integer.toHexString(m) + " is not a valid type");
    };
  }

  private Object map(String path, long n, int depth) throws IOException {
    for (long i = 0; i < n; i++) {
      Object key = value(path, depth + 1);
      value(path + "." + (key instanceof String s ? s : String.valueOf(key)), depth + 1);
    }
    return null;
  }

  private Object array(String path, long n, int depth) throws IOException {
    var items = new ArrayList<Object>();
    for (long i = 0; i < n; i++) {
      Object v = value(path + "[" + i + "]", depth + 1);
      if (items.size() < 64) {
        items.add(v);
      }
    }
    return items;
  }

  private Object ext(String path, long n, int depth) throws IOException {
    int type = (byte) u8();
    sawArray |= type == 1;
    need(n);
    long start = pos;
    if (type == 1 || type == 3) {
      var inner = new Msgpack(blob, start, start + n);
      inner.problems = problems;
      inner.count = count;
      Object decoded = inner.value(path, depth + 1);
      count = inner.count;
      if (inner.pos < inner.end) {
        problem(path, "bytes after the array extension");
      }
      reported += inner.reported;
      if (type == 1) {
        checkArray(path, decoded);
      }
    }
    pos = start + n;
    return null;
  }

  private void checkArray(String path, Object decoded) {
    if (!(decoded instanceof List<?> parts) || parts.size() != 3 || !(parts.get(0) instanceof List<?> shape)
        || !(parts.get(1) instanceof String dtype) || !(parts.get(2) instanceof Bin buffer)) {
      problem(path, "array extension is not (shape, dtype, buffer)");
      return;
    }
    long itemSize = itemSize(dtype);
    if (itemSize <= 0) {
      problem(path, "array dtype '" + dtype.replaceAll("\\p{Cntrl}", "?") + "' is not a numeric NumPy dtype");
      return;
    }
    long elements = 1;
    for (Object d : shape) {
      if (!(d instanceof Long dim) || dim < 0) {
        problem(path, "array shape " + shape + " is not a list of sizes");
        return;
      }
      try {
        elements = Math.multiplyExact(elements, dim);
      } catch (ArithmeticException e) {
        problem(path, "array shape " + shape + " overflows");
        return;
      }
    }
    if (elements > Long.MAX_VALUE / 16) {
      problem(path, "array shape " + shape + " is too large");
      return;
    }
    long expected = dtype.equals("int4") || dtype.equals("uint4") ? (elements + 1) / 2 : elements * itemSize;
    if (expected != buffer.length()) {
      problem(path, "array of shape " + shape + " and dtype " + dtype + " needs " + expected
          + " bytes, the buffer holds " + buffer.length());
    }
  }

  private static long itemSize(String dtype) {
    Integer named = NAMED.get(dtype);
    if (named != null) {
      return named;
    }
    Matcher m = DTYPE.matcher(dtype);
    return m.matches() ? Long.parseLong(m.group(3)) : -1;
  }
}
