package dev.rampart.scan.flax;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A bounded msgpack walker for Flax checkpoints: validates every value and every Flax array extension. */
final class Msgpack {
  interface Problems {
    void report(String path, String problem);
  }

  private static final int MAX_DEPTH = 128;
  private static final long MAX_VALUES = 50_000_000;
  private static final int MAX_REPORTED = 20;
  private static final Pattern DTYPE = Pattern.compile("^([<>|=]?)([biufcmMV])(\\d+)$");
  /** NumPy and ml_dtypes names as {@code dtype.name} writes them, with their item sizes (int4: two per byte). */
  private static final java.util.Map<String, Integer> NAMED = java.util.Map.ofEntries(
      java.util.Map.entry("bool", 1), java.util.Map.entry("int8", 1), java.util.Map.entry("uint8", 1),
      java.util.Map.entry("int16", 2), java.util.Map.entry("uint16", 2), java.util.Map.entry("float16", 2),
      java.util.Map.entry("bfloat16", 2), java.util.Map.entry("int32", 4), java.util.Map.entry("uint32", 4),
      java.util.Map.entry("float32", 4), java.util.Map.entry("int64", 8), java.util.Map.entry("uint64", 8),
      java.util.Map.entry("float64", 8), java.util.Map.entry("complex64", 8), java.util.Map.entry("complex128", 16),
      java.util.Map.entry("float8_e4m3fn", 1), java.util.Map.entry("float8_e5m2", 1),
      java.util.Map.entry("float8_e4m3b11fnuz", 1), java.util.Map.entry("float8_e4m3fnuz", 1),
      java.util.Map.entry("float8_e5m2fnuz", 1), java.util.Map.entry("int4", 1), java.util.Map.entry("uint4", 1));

  private final ByteBuffer buf;
  private long values;
  private int reported;
  private Problems problems;

  Msgpack(byte[] bytes) {
    this.buf = ByteBuffer.wrap(bytes);
  }

  /** Whether the bytes are exactly one msgpack map holding at least one Flax array: how Flax files are told apart. */
  static boolean isFlaxCheckpoint(byte[] bytes) {
    if (bytes.length == 0) {
      return false;
    }
    int first = bytes[0] & 0xff;
    if (!(first >= 0x80 && first <= 0x8f) && first != 0xde && first != 0xdf) {
      return false;
    }
    var m = new Msgpack(bytes);
    boolean[] arrays = {false};
    try {
      m.problems = (p, q) -> {};
      m.value("", 0, arrays);
      return !m.buf.hasRemaining() && arrays[0];
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  void walk(Problems sink) throws IOException {
    this.problems = sink;
    value("$", 0, new boolean[1]);
    if (buf.hasRemaining()) {
      problem("$", buf.remaining() + " bytes after the msgpack value");
    }
  }

  private void problem(String path, String what) {
    if (reported++ < MAX_REPORTED) {
      problems.report(path, what);
    }
  }

  private void need(long n) throws IOException {
    if (n < 0 || n > buf.remaining()) {
      throw new IOException("msgpack value of " + n + " bytes runs past the end at byte " + buf.position());
    }
  }

  private int u8() throws IOException {
    need(1);
    return buf.get() & 0xff;
  }

  private long length(int bytes) throws IOException {
    need(bytes);
    return switch (bytes) {
      case 1 -> buf.get() & 0xffL;
      case 2 -> buf.getShort() & 0xffffL;
      default -> buf.getInt() & 0xffffffffL;
    };
  }

  private byte[] raw(long n) throws IOException {
    need(n);
    byte[] b = new byte[(int) n];
    buf.get(b);
    return b;
  }

  /** Reads one value; returns it when it is a string (map keys, dtype names), else null. */
  private Object value(String path, int depth, boolean[] arrays) throws IOException {
    if (++values > MAX_VALUES) {
      throw new dev.rampart.scan.io.LimitExceededException("msgpack values", MAX_VALUES);
    }
    if (depth > MAX_DEPTH) {
      throw new dev.rampart.scan.io.LimitExceededException("msgpack nesting depth", MAX_DEPTH);
    }
    int m = u8();
    if (m <= 0x7f || m >= 0xe0) {
      return (long) (byte) m;
    }
    if (m >= 0x80 && m <= 0x8f) {
      return map(path, m & 0x0f, depth, arrays);
    }
    if (m >= 0x90 && m <= 0x9f) {
      return array(path, m & 0x0f, depth, arrays);
    }
    if (m >= 0xa0 && m <= 0xbf) {
      return new String(raw(m & 0x1f), StandardCharsets.UTF_8);
    }
    return switch (m) {
      case 0xc0, 0xc2, 0xc3 -> null;
      case 0xc4 -> raw(length(1));
      case 0xc5 -> raw(length(2));
      case 0xc6 -> raw(length(4));
      case 0xc7 -> ext(path, length(1), arrays);
      case 0xc8 -> ext(path, length(2), arrays);
      case 0xc9 -> ext(path, length(4), arrays);
      case 0xca -> { need(4); buf.getFloat(); yield null; }
      case 0xcb -> { need(8); buf.getDouble(); yield null; }
      case 0xcc, 0xd0 -> { need(1); yield (long) buf.get(); }
      case 0xcd, 0xd1 -> { need(2); yield (long) buf.getShort(); }
      case 0xce, 0xd2 -> { need(4); yield (long) buf.getInt(); }
      case 0xcf, 0xd3 -> { need(8); yield buf.getLong(); }
      case 0xd4 -> ext(path, 1, arrays);
      case 0xd5 -> ext(path, 2, arrays);
      case 0xd6 -> ext(path, 4, arrays);
      case 0xd7 -> ext(path, 8, arrays);
      case 0xd8 -> ext(path, 16, arrays);
      case 0xd9 -> new String(raw(length(1)), StandardCharsets.UTF_8);
      case 0xda -> new String(raw(length(2)), StandardCharsets.UTF_8);
      case 0xdb -> new String(raw(length(4)), StandardCharsets.UTF_8);
      case 0xdc -> array(path, length(2), depth, arrays);
      case 0xdd -> array(path, length(4), depth, arrays);
      case 0xde -> map(path, length(2), depth, arrays);
      case 0xdf -> map(path, length(4), depth, arrays);
      default -> throw new IOException("msgpack byte 0x" + Integer.toHexString(m) + " is not a valid type");
    };
  }

  private Object map(String path, long n, int depth, boolean[] arrays) throws IOException {
    for (long i = 0; i < n; i++) {
      Object key = value(path, depth + 1, arrays);
      value(path + "." + (key instanceof String s ? s : String.valueOf(key)), depth + 1, arrays);
    }
    return null;
  }

  private Object array(String path, long n, int depth, boolean[] arrays) throws IOException {
    var items = new java.util.ArrayList<Object>();
    for (long i = 0; i < n; i++) {
      Object v = value(path + "[" + i + "]", depth + 1, arrays);
      if (items.size() < 64) {
        items.add(v);
      }
    }
    return items;
  }

  private Object ext(String path, long n, boolean[] arrays) throws IOException {
    int type = (byte) u8();
    byte[] payload = raw(n);
    if (type == 1 || type == 3) {
      arrays[0] |= type == 1;
      var inner = new Msgpack(payload);
      inner.problems = problems;
      Object decoded = inner.value(path, 0, new boolean[1]);
      if (inner.buf.hasRemaining()) {
        problem(path, "bytes after the array extension");
      }
      if (type == 1) {
        checkArray(path, decoded);
      }
    }
    return null;
  }

  private void checkArray(String path, Object decoded) {
    if (!(decoded instanceof java.util.List<?> parts) || parts.size() != 3 || !(parts.get(0) instanceof java.util.List<?> shape)
        || !(parts.get(1) instanceof String dtype) || !(parts.get(2) instanceof byte[] buffer)) {
      problem(path, "array extension is not (shape, dtype, buffer)");
      return;
    }
    long itemSize = itemSize(dtype);
    if (itemSize <= 0) {
      problem(path, "array dtype '" + dtype + "' is not a numeric NumPy dtype");
      return;
    }
    long count = 1;
    for (Object d : shape) {
      if (!(d instanceof Long dim) || dim < 0) {
        problem(path, "array shape " + shape + " is not a list of sizes");
        return;
      }
      try {
        count = Math.multiplyExact(count, dim);
      } catch (ArithmeticException e) {
        problem(path, "array shape " + shape + " overflows");
        return;
      }
    }
    if (count > Long.MAX_VALUE / 16) {
      problem(path, "array shape " + shape + " is too large");
      return;
    }
    long expected = dtype.equals("int4") || dtype.equals("uint4") ? (count + 1) / 2 : count * itemSize;
    if (expected != buffer.length) {
      problem(path, "array of shape " + shape + " and dtype " + dtype + " needs " + expected + " bytes, the buffer holds "
          + buffer.length);
    }
  }

  private static long itemSize(String dtype) {
    Integer named = NAMED.get(dtype);
    if (named != null) {
      return named;
    }
    Matcher m = DTYPE.matcher(dtype);
    return m.matches() && !m.group(2).equals("V") ? Long.parseLong(m.group(3)) : -1;
  }
}
