package dev.rampart.core.numpy;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

  /**
   * Parses the header dictionary strictly, as NumPy's reader does: exactly the keys {@code descr},
   * {@code fortran_order} and {@code shape}, with values of the right types. A header NumPy would refuse is refused,
   * and a dtype Rampart cannot classify is refused too, so no header reads as plain numbers unless it is.
   */
  public static NpyHeader parse(String header) {
    if (!(PythonLiteral.parse(header) instanceof Map<?, ?> dict)) {
      throw new IllegalArgumentException("not a dictionary");
    }
    if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
      throw new IllegalArgumentException("the keys are " + dict.keySet() + ", not descr, fortran_order and shape");
    }
    if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
      throw new IllegalArgumentException("fortran_order is not True or False");
    }
    if (!(dict.get("shape") instanceof PythonLiteral.Tuple tuple)) {
      throw new IllegalArgumentException("shape is not a tuple");
    }
    var shape = new ArrayList<Long>();
    for (Object d : tuple.items()) {
      if (!(d instanceof Long v) || v < 0) {
        throw new IllegalArgumentException("shape holds " + d + ", not a non-negative integer");
      }
      shape.add(v);
    }
    Object descr = dict.get("descr");
    boolean objects;
    long itemsize = -1;
    String text;
    if (descr instanceof String simple) {
      objects = holdsObjects(simple);
      itemsize = objects ? -1 : itemsize(simple);
      text = simple;
    } else if (descr instanceof List<?> fields) {
      objects = structuredHoldsObjects(fields, 0);
      text = String.valueOf(fields);
    } else {
      throw new IllegalArgumentException("descr is neither a dtype string nor a list of fields");
    }
    return new NpyHeader(text, objects, fortran, List.copyOf(shape), itemsize);
  }

  /**
   * Whether a dtype string holds Python objects, which NumPy stores as a pickle: kind {@code O} (or {@code T},
   * NumPy 2's string dtype, also pickled) after any byte order and subarray shape, in any field of a comma-separated
   * list, or the names {@code object} and {@code object_}.
   */
  public static boolean holdsObjects(String dtype) {
    List<String> parts = topLevelFields(dtype);
    if (parts.size() > 1) {
      boolean any = false;
      for (String part : parts) {
        any |= holdsObjects(part);
      }
      return any;
    }
    String t = dtype.replaceFirst("^[<>|=]", "").replaceFirst("^(\\([\\d,\\s]*\\)|\\d+)", "")
        .replaceFirst("^[<>|=]", "");
    if (t.matches("[OT]\\d*") || t.equals("object") || t.equals("object_")) {
      return true;
    }
    // NumPy's other type codes (NumPy 2.4 accepts exactly these letters); anything else it refuses, and so do we
    if (t.matches("[?BDFGHILMNPQSUVabcdefghilmnpqu]\\d*(\\[\\w+\\])?")) {
      return false;
    }
    throw new IllegalArgumentException("dtype '" + dtype + "' is not one Rampart can classify");
  }

  /** The comma-separated fields of a dtype string, commas inside a subarray shape such as {@code (2,3)} excluded. */
  private static List<String> topLevelFields(String dtype) {
    var out = new ArrayList<String>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < dtype.length(); i++) {
      char c = dtype.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(dtype.substring(start, i));
        start = i + 1;
      }
    }
    out.add(dtype.substring(start));
    return out;
  }

  /** A structured dtype: fields of (name, format[, shape]); a format is a dtype string or a nested field list. */
  private static boolean structuredHoldsObjects(List<?> fields, int depth) {
    if (depth > 16) {
      throw new IllegalArgumentException("structured dtype nested too deeply");
    }
    boolean any = false;
    for (Object field : fields) {
      List<?> parts = field instanceof PythonLiteral.Tuple t ? t.items() : field instanceof List<?> l ? l : null;
      if (parts == null || parts.size() < 2 || parts.size() > 3) {
        throw new IllegalArgumentException("a field of the structured dtype is not (name, format[, shape])");
      }
      Object format = parts.get(1);
      if (format instanceof String f) {
        any |= holdsObjects(f);
      } else if (format instanceof List<?> nested) {
        any |= structuredHoldsObjects(nested, depth + 1);
      } else {
        throw new IllegalArgumentException("a field's format is neither a dtype string nor a field list");
      }
    }
    return any;
  }

  private static long itemsize(String descr) {
    if (!descr.matches("[<>|=]?[A-Za-z?]\\d+")) {
      return -1;
    }
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
