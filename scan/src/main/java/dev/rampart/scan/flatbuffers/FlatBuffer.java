package dev.rampart.scan.flatbuffers;

import dev.rampart.scan.io.Blob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked reader of FlatBuffers tables (TFLite, ORT) over a blob. Every offset is checked against the
 * buffer before it is followed, vectors and strings have length limits, and the number of tables visited is capped,
 * so hostile offsets give a {@link MalformedFlatBufferException}, never an out-of-bounds read or a runaway walk.
 */
public final class FlatBuffer {
  private final Blob blob;
  private final long size;
  private final int maxVector;
  private long budget;

  private FlatBuffer(Blob blob, int maxVector, long tableBudget) {
    this.blob = blob;
    this.size = blob.size();
    this.maxVector = maxVector;
    this.budget = tableBudget;
  }

  /** The root table of a buffer, after checking its file identifier (4 bytes at offset 4). */
  public static Table root(Blob blob, String identifier, int maxVector, long tableBudget) throws IOException {
    var fb = new FlatBuffer(blob, maxVector, tableBudget);
    if (fb.size < 8) {
      throw new MalformedFlatBufferException("buffer of " + fb.size + " bytes is too short");
    }
    String id = new String(blob.readBytes(4, 4), StandardCharsets.ISO_8859_1);
    if (!id.equals(identifier)) {
      throw new MalformedFlatBufferException("file identifier '" + id + "' is not '" + identifier + "'");
    }
    return fb.table(fb.u32(0), "root");
  }

  private long u32(long at) throws IOException {
    return Integer.toUnsignedLong(i32(at));
  }

  private int i32(long at) throws IOException {
    check(at, 4, "int");
    return ByteBuffer.wrap(blob.readBytes(at, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  private int u16(long at) throws IOException {
    check(at, 2, "vtable entry");
    return ByteBuffer.wrap(blob.readBytes(at, 2)).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
  }

  private void check(long at, long length, String what) throws MalformedFlatBufferException {
    if (at < 0 || length < 0 || at > size || length > size - at) {
      throw new MalformedFlatBufferException(what + " at " + at + " (" + length + " bytes) lies outside the "
          + size + "-byte buffer");
    }
  }

  private Table table(long at, String what) throws IOException {
    if (--budget < 0) {
      throw new MalformedFlatBufferException("more tables than the limit allows");
    }
    check(at, 4, what + " table");
    long vtable = at - i32(at);
    check(vtable, 4, what + " vtable");
    int vtableSize = u16(vtable);
    int tableSize = u16(vtable + 2);
    if (vtableSize < 4 || (vtableSize & 1) != 0) {
      throw new MalformedFlatBufferException(what + " vtable size " + vtableSize + " is invalid");
    }
    check(vtable, vtableSize, what + " vtable");
    check(at, tableSize, what + " table");
    return new Table(at, vtable, vtableSize, tableSize, what);
  }

  /** One table: fields by their index in the schema. */
  public final class Table {
    private final long at;
    private final long vtable;
    private final int vtableSize;
    private final int tableSize;
    private final String what;

    private Table(long at, long vtable, int vtableSize, int tableSize, String what) {
      this.at = at;
      this.vtable = vtable;
      this.vtableSize = vtableSize;
      this.tableSize = tableSize;
      this.what = what;
    }

    /** The field's position, or -1 when absent; fields must lie inside the table's declared size. */
    private long field(int index, int width) throws IOException {
      int entry = 4 + 2 * index;
      if (entry + 2 > vtableSize) {
        return -1;
      }
      int offset = u16(vtable + entry);
      if (offset == 0) {
        return -1;
      }
      if (offset + width > tableSize) {
        throw new MalformedFlatBufferException(what + " field " + index + " lies outside its table");
      }
      return at + offset;
    }

    public boolean has(int index) throws IOException {
      return field(index, 0) >= 0;
    }

    public long int32(int index, long otherwise) throws IOException {
      long p = field(index, 4);
      return p < 0 ? otherwise : i32(p);
    }

    public long int64(int index, long otherwise) throws IOException {
      long p = field(index, 8);
      if (p < 0) {
        return otherwise;
      }
      check(p, 8, "long");
      return ByteBuffer.wrap(blob.readBytes(p, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    public int int8(int index, int otherwise) throws IOException {
      long p = field(index, 1);
      if (p < 0) {
        return otherwise;
      }
      check(p, 1, "byte");
      return blob.readBytes(p, 1)[0];
    }

    private long target(int index) throws IOException {
      long p = field(index, 4);
      return p < 0 ? -1 : p + u32(p);
    }

    public Table table(int index, String name) throws IOException {
      long t = target(index);
      return t < 0 ? null : FlatBuffer.this.table(t, name);
    }

    public String string(int index, int limit) throws IOException {
      long t = target(index);
      return t < 0 ? null : FlatBuffer.this.string(t, limit);
    }

    /** Number of elements of a vector field; 0 when absent. */
    public int vectorLength(int index) throws IOException {
      long t = target(index);
      return t < 0 ? 0 : vectorLengthAt(t, 1);
    }

    public Table tableAt(int index, int element, String name) throws IOException {
      long t = target(index);
      long slot = t + 4 + 4L * element;
      check(slot, 4, name + " vector slot");
      return FlatBuffer.this.table(slot + u32(slot), name);
    }

    public String stringAt(int index, int element, int limit) throws IOException {
      long t = target(index);
      long slot = t + 4 + 4L * element;
      check(slot, 4, "string vector slot");
      return FlatBuffer.this.string(slot + u32(slot), limit);
    }

    /** Checks that a vector of fixed-size elements lies inside the buffer; its length. */
    public int checkedVector(int index, int elementSize) throws IOException {
      long t = target(index);
      return t < 0 ? 0 : vectorLengthAt(t, elementSize);
    }
  }

  private int vectorLengthAt(long at, int elementSize) throws IOException {
    long n = u32(at);
    if (n > maxVector) {
      throw new MalformedFlatBufferException("vector of " + n + " elements exceeds the limit of " + maxVector);
    }
    check(at + 4, n * elementSize, "vector");
    return (int) n;
  }

  private String string(long at, int limit) throws IOException {
    long n = u32(at);
    if (n > limit) {
      throw new MalformedFlatBufferException("string of " + n + " bytes exceeds the limit of " + limit);
    }
    check(at + 4, n, "string");
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(blob.readBytes(at + 4, (int) n)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedFlatBufferException("string at " + at + " is not UTF-8");
    }
  }
}
