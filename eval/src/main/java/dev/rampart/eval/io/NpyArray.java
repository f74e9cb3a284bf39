package dev.rampart.eval.io;

import dev.rampart.core.numpy.NpyHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A NumPy {@code .npy} array read as data, never as pickle: numbers (floats, integers, booleans) become floats, fixed
 * width unicode becomes text; object arrays are refused. The header must account for every byte of the file, and the
 * file must fit the size limit, before anything is allocated.
 */
public sealed interface NpyArray {
  long DEFAULT_MAX_BYTES = 1L << 30;

  long[] shape();

  /** The file is not an array Rampart will read: malformed, truncated, oversized, or holding pickled objects. */
  final class Unreadable extends IOException {
    Unreadable(String message) {
      super(message);
    }
  }

  /** Numbers, row-major (C order) whatever the file's order. */
  record Numbers(long[] shape, float[] values) implements NpyArray {
    /** Rows of the first dimension, each flattened: the layout a model input takes. */
    public float[][] rows() {
      int n = shape.length == 0 ? 1 : (int) shape[0];
      int width = n == 0 ? 0 : values.length / n;
      float[][] out = new float[n][];
      for (int i = 0; i < n; i++) {
        out[i] = Arrays.copyOfRange(values, i * width, (i + 1) * width);
      }
      return out;
    }
  }

  record Texts(long[] shape, String[] values) implements NpyArray {}

  static NpyArray read(Path file, long maxBytes) throws IOException {
    long size = Files.size(file);
    if (size > maxBytes) {
      throw new Unreadable(file + ": " + size + " bytes is over the " + maxBytes + "-byte limit for evaluation data");
    }
    byte[] bytes = Files.readAllBytes(file);
    NpyHeader.Preamble pre;
    try {
      pre = NpyHeader.preamble(Arrays.copyOf(bytes, Math.min(12, bytes.length)));
    } catch (IOException e) {
      throw new Unreadable(file + ": " + e.getMessage());
    }
    if (pre.dataStart() > bytes.length) {
      throw new Unreadable(file + ": the npy header runs past the end of the file");
    }
    String text = new String(bytes, pre.headerStart(), (int) pre.headerLength(), pre.charset());
    NpyHeader header;
    try {
      header = NpyHeader.parse(text);
    } catch (IllegalArgumentException e) {
      throw new Unreadable(file + ": the npy header is not a valid dictionary literal (" + e.getMessage() + ")");
    }
    if (header.hasObjects()) {
      throw new Unreadable(file + ": the array holds pickled Python objects, which Rampart never loads; save it "
          + "with numpy.save(..., allow_pickle=False) as numbers or fixed-width text");
    }
    long expected;
    try {
      expected = header.itemsize() > 0 ? header.byteCount() : -1;
    } catch (ArithmeticException e) {
      expected = -1;
    }
    int offset = (int) pre.dataStart();
    if (expected < 0 || expected != bytes.length - offset) {
      throw new Unreadable(file + ": the header declares " + header.descr() + " " + header.shapeText() + " but "
          + (bytes.length - offset) + " bytes of data follow");
    }
    long[] shape = header.shape().stream().mapToLong(Long::longValue).toArray();
    var data = ByteBuffer.wrap(bytes, offset, bytes.length - offset).slice();
    data.order(header.descr().startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    String type = header.descr().replaceAll("^[<>|=]", "");
    int count = Math.toIntExact(expected / header.itemsize());
    NpyArray array = type.startsWith("U") ? texts(shape, data, count, (int) header.itemsize())
        : new Numbers(shape, numbers(file, type, data, count));
    return header.fortranOrder() && shape.length > 1 ? toRowMajor(array) : array;
  }

  private static float[] numbers(Path file, String type, ByteBuffer data, int count) throws IOException {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = switch (type) {
        case "f4" -> data.getFloat();
        case "f8" -> (float) data.getDouble();
        case "f2" -> Float.float16ToFloat(data.getShort());
        case "i1" -> data.get();
        case "u1", "b1" -> data.get() & 0xff;
        case "i2" -> data.getShort();
        case "u2" -> data.getShort() & 0xffff;
        case "i4" -> data.getInt();
        case "u4" -> data.getInt() & 0xffffffffL;
        case "i8", "u8" -> data.getLong();
        default -> throw new Unreadable(file + ": dtype " + type + " is not a number type Rampart reads "
            + "(f2, f4, f8, i1-i8, u1-u8, b1)");
      };
    }
    return out;
  }

  private static Texts texts(long[] shape, ByteBuffer data, int count, int itemsize) {
    String[] out = new String[count];
    byte[] item = new byte[itemsize];
    for (int i = 0; i < count; i++) {
      data.get(item);
      out[i] = new String(item, data.order() == ByteOrder.BIG_ENDIAN ? Charset32.BE : Charset32.LE)
          .replace("\0", "");
    }
    return new Texts(shape, out);
  }

  /** Fortran order stores the first index fastest; rows need the last index fastest. */
  private static NpyArray toRowMajor(NpyArray array) {
    long[] shape = array.shape();
    int total = (int) Arrays.stream(shape).reduce(1, Math::multiplyExact);
    int[] target = new int[total];
    int[] index = new int[shape.length];
    for (int f = 0; f < total; f++) {
      int c = 0;
      for (int d = 0; d < shape.length; d++) {
        c = c * (int) shape[d] + index[d];
      }
      target[f] = c;
      for (int d = 0; d < shape.length && ++index[d] == shape[d]; d++) {
        index[d] = 0;
      }
    }
    return switch (array) {
      case Numbers n -> {
        float[] out = new float[total];
        for (int f = 0; f < total; f++) {
          out[target[f]] = n.values()[f];
        }
        yield new Numbers(shape, out);
      }
      case Texts t -> {
        String[] out = new String[total];
        for (int f = 0; f < total; f++) {
          out[target[f]] = t.values()[f];
        }
        yield new Texts(shape, out);
      }
    };
  }

  /** NumPy's 'U' dtype is UTF-32 in the array's byte order. */
  final class Charset32 {
    static final java.nio.charset.Charset LE = java.nio.charset.Charset.forName("UTF-32LE");
    static final java.nio.charset.Charset BE = java.nio.charset.Charset.forName("UTF-32BE");

    private Charset32() {}
  }
}
