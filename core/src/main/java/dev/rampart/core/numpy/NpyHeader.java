package dev.rampart.core.numpy;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The header dictionary of an {@code .npy} file, parsed as the restricted Python literal NumPy writes
 * ({@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }}); never evaluated.
 */
public record NpyHeader(String descr, boolean hasObjects, boolean fortranOrder, List<Long> shape, long itemsize) {
  /** Headers longer than this are refused: NumPy's own are a few hundred bytes. */
  public static final long MAX_HEADER_BYTES = 1_000_000;

  /** Where the header dictionary sits, from the magic string and version in the first 12 bytes. */
  public record Preamble(int major, int headerStart, long headerLength) {
    public Charset charset() {
      return major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
    }

    public long dataStart() {
      return headerStart + headerLength;
    }
  }

  public static Preamble preamble(byte[] first) throws IOException {
    if (first.length < 10) {
      throw new IOException("npy preamble truncated");
    }
    if ((first[0] & 0xff) != 0x93 || first[1] != 'N' || first[2] != 'U' || first[3] != 'M' || first[4] != 'P'
        || first[5] != 'Y') {
      throw new IOException("not an npy file (no \\x93NUMPY magic)");
    }
    int major = first[6] & 0xff;
    long length;
    int start;
    if (major == 1) {
      length = (first[8] & 0xff) | (first[9] & 0xff) << 8;
      start = 10;
    } else if (major == 2 || major == 3) {
      if (first.length < 12) {
        throw new IOException("npy preamble truncated");
      }
      length = (first[8] & 0xffL) | (first[9] & 0xffL) << 8 | (first[10] & 0xffL) << 16 | (first[11] & 0xffL) << 24;
      start = 12;
    } else {
      throw new IOException("unknown npy format version " + major);
    }
    if (length > MAX_HEADER_BYTES) {
      throw new IOException("npy header length " + length + " is over the limit");
    }
    return new Preamble(major, start, length);
  }

  public long byteCount() {
    if (itemsize < 0) {
      return -1;
    }
    long n = itemsize;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  public String shapeText() {
    return shape.toString().replace('[', '(').replace(']', ')');
  }

  public static NpyHeader parse(String header) {
    String h = header.strip();
    if (!h.startsWith("{") || !h.endsWith("}")) {
      throw new IllegalArgumentException("not a dictionary");
    }
    int d = h.indexOf("'descr'");
    int s = h.indexOf("'shape'");
    if (d < 0 || s < 0) {
      throw new IllegalArgumentException("descr or shape missing");
    }
    String descrValue = valueAfter(h, d + 7);
    boolean objects = false;
    String descr;
    long itemsize;
    if (descrValue.startsWith("'")) {
      descr = descrValue.substring(1, descrValue.indexOf('\'', 1));
      objects = descr.contains("O");
      itemsize = objects ? -1 : itemsize(descr);
    } else {
      // structured dtype: a list of (name, format[, shape]) tuples; any 'O' field means pickled objects
      descr = descrValue;
      objects = descrValue.matches("(?s).*'[<>|=]?O\\d*'.*");
      itemsize = -1;
    }
    String shapeValue = valueAfter(h, s + 7);
    if (!shapeValue.startsWith("(")) {
      throw new IllegalArgumentException("shape is not a tuple");
    }
    var shape = new ArrayList<Long>();
    for (String part : shapeValue.substring(1, shapeValue.indexOf(')')).split(",")) {
      String p = part.strip().replace("L", "");
      if (!p.isEmpty()) {
        long v = Long.parseLong(p);
        if (v < 0) {
          throw new IllegalArgumentException("negative dimension");
        }
        shape.add(v);
      }
    }
    int f = h.indexOf("'fortran_order'");
    boolean fortran = f >= 0 && valueAfter(h, f + 15).startsWith("True");
    return new NpyHeader(descr, objects, fortran, List.copyOf(shape), itemsize);
  }

  private static String valueAfter(String h, int from) {
    int colon = h.indexOf(':', from);
    if (colon < 0) {
      throw new IllegalArgumentException("missing ':'");
    }
    String rest = h.substring(colon + 1).strip();
    if (rest.startsWith("[")) {
      int depth = 0;
      for (int i = 0; i < rest.length(); i++) {
        if (rest.charAt(i) == '[') {
          depth++;
        } else if (rest.charAt(i) == ']' && --depth == 0) {
          return rest.substring(0, i + 1);
        }
      }
      throw new IllegalArgumentException("unterminated list");
    }
    return rest;
  }

  private static long itemsize(String descr) {
    String t = descr.replaceAll("^[<>|=]", "");
    if (t.isEmpty()) {
      return -1;
    }
    char kind = t.charAt(0);
    long n;
    try {
      n = Long.parseLong(t.substring(1).replaceAll("\\[.*", ""));
    } catch (NumberFormatException e) {
      return -1;
    }
    return kind == 'U' ? n * 4 : n;
  }
}
