package dev.rampart.scan.numpy;

import java.util.ArrayList;
import java.util.List;

/**
 * The header dictionary of an {@code .npy} file, parsed as the restricted Python literal NumPy writes
 * ({@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }}); never evaluated.
 */
record NpyHeader(String descr, boolean hasObjects, List<Long> shape, long itemsize) {

  long byteCount() {
    if (itemsize < 0) {
      return -1;
    }
    long n = itemsize;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  String shapeText() {
    return shape.toString().replace('[', '(').replace(']', ')');
  }

  static NpyHeader parse(String header) {
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
    return new NpyHeader(descr, objects, List.copyOf(shape), itemsize);
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
