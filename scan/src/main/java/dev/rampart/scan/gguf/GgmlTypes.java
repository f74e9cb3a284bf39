package dev.rampart.scan.gguf;

/** Sizes of GGUF metadata value types and of ggml tensor types (block size and bytes per block). */
final class GgmlTypes {
  static final long UNKNOWN = -1;
  static final long INVALID = -2;

  private GgmlTypes() {}

  /** {block elements, bytes per block} indexed by ggml type id; {0, 0} where the id is unassigned. */
  private static final int[][] BLOCKS = {
    {1, 4}, {1, 2}, {32, 18}, {32, 20}, {0, 0}, {0, 0}, {32, 22}, {32, 24}, {32, 34}, {32, 36},
    {256, 84}, {256, 110}, {256, 144}, {256, 176}, {256, 210}, {256, 292}, {256, 66}, {256, 74}, {256, 98}, {256, 50},
    {32, 18}, {256, 110}, {256, 82}, {256, 136}, {1, 1}, {1, 2}, {1, 4}, {1, 8}, {1, 8}, {256, 56},
    {1, 2}, {0, 0}, {0, 0}, {0, 0}, {256, 54}, {256, 66}, {0, 0}, {0, 0}, {0, 0}, {32, 17}
  };

  static long byteSize(int type, long elements, long rowLength) {
    if (type < 0 || type >= BLOCKS.length || BLOCKS[type][0] == 0) {
      return UNKNOWN;
    }
    int block = BLOCKS[type][0];
    if (rowLength % block != 0 || elements % block != 0) {
      return INVALID;
    }
    try {
      return Math.multiplyExact(elements / block, (long) BLOCKS[type][1]);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  static int fixedValueSize(int type) {
    return switch (type) {
      case 0, 1, 7 -> 1;
      case 2, 3 -> 2;
      case 4, 5, 6 -> 4;
      case 10, 11, 12 -> 8;
      default -> -1;
    };
  }

  /** The smallest encoding of one value of this type; strings and arrays need at least their 8-byte length. */
  static long minValueSize(int type) {
    int fixed = fixedValueSize(type);
    if (fixed > 0) {
      return fixed;
    }
    return type == 8 || type == 9 ? 8 : -1;
  }
}
