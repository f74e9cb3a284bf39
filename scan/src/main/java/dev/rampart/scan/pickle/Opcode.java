package dev.rampart.scan.pickle;

/** The pickle machine's instruction set, protocols 0 to 5, as CPython's {@code _pickle} decodes it. */
enum Opcode {
  MARK('(', 0, Arg.NONE),
  STOP('.', 0, Arg.NONE),
  POP('0', 0, Arg.NONE),
  POP_MARK('1', 1, Arg.NONE),
  DUP('2', 0, Arg.NONE),
  FLOAT('F', 0, Arg.LINE),
  INT('I', 0, Arg.LINE),
  BININT('J', 1, Arg.FIXED4),
  BININT1('K', 1, Arg.FIXED1),
  LONG('L', 0, Arg.LINE),
  BININT2('M', 1, Arg.FIXED2),
  NONE('N', 0, Arg.NONE),
  PERSID('P', 0, Arg.LINE),
  BINPERSID('Q', 1, Arg.NONE),
  REDUCE('R', 0, Arg.NONE),
  STRING('S', 0, Arg.LINE),
  BINSTRING('T', 1, Arg.LEN4),
  SHORT_BINSTRING('U', 1, Arg.LEN1),
  UNICODE('V', 0, Arg.LINE),
  BINUNICODE('X', 1, Arg.LEN4),
  APPEND('a', 0, Arg.NONE),
  BUILD('b', 0, Arg.NONE),
  GLOBAL('c', 0, Arg.TWO_LINES),
  DICT('d', 0, Arg.NONE),
  EMPTY_DICT('}', 1, Arg.NONE),
  APPENDS('e', 1, Arg.NONE),
  GET('g', 0, Arg.LINE),
  BINGET('h', 1, Arg.FIXED1),
  INST('i', 0, Arg.TWO_LINES),
  LONG_BINGET('j', 1, Arg.FIXED4),
  LIST('l', 0, Arg.NONE),
  EMPTY_LIST(']', 1, Arg.NONE),
  OBJ('o', 1, Arg.NONE),
  PUT('p', 0, Arg.LINE),
  BINPUT('q', 1, Arg.FIXED1),
  LONG_BINPUT('r', 1, Arg.FIXED4),
  SETITEM('s', 0, Arg.NONE),
  TUPLE('t', 0, Arg.NONE),
  EMPTY_TUPLE(')', 1, Arg.NONE),
  SETITEMS('u', 1, Arg.NONE),
  BINFLOAT('G', 1, Arg.FIXED8),
  PROTO(0x80, 2, Arg.FIXED1),
  NEWOBJ(0x81, 2, Arg.NONE),
  EXT1(0x82, 2, Arg.FIXED1),
  EXT2(0x83, 2, Arg.FIXED2),
  EXT4(0x84, 2, Arg.FIXED4),
  TUPLE1(0x85, 2, Arg.NONE),
  TUPLE2(0x86, 2, Arg.NONE),
  TUPLE3(0x87, 2, Arg.NONE),
  NEWTRUE(0x88, 2, Arg.NONE),
  NEWFALSE(0x89, 2, Arg.NONE),
  LONG1(0x8a, 2, Arg.LEN1),
  LONG4(0x8b, 2, Arg.LEN4),
  BINBYTES('B', 3, Arg.LEN4),
  SHORT_BINBYTES('C', 3, Arg.LEN1),
  SHORT_BINUNICODE(0x8c, 4, Arg.LEN1),
  BINUNICODE8(0x8d, 4, Arg.LEN8),
  BINBYTES8(0x8e, 4, Arg.LEN8),
  EMPTY_SET(0x8f, 4, Arg.NONE),
  ADDITEMS(0x90, 4, Arg.NONE),
  FROZENSET(0x91, 4, Arg.NONE),
  NEWOBJ_EX(0x92, 4, Arg.NONE),
  STACK_GLOBAL(0x93, 4, Arg.NONE),
  MEMOIZE(0x94, 4, Arg.NONE),
  FRAME(0x95, 4, Arg.FIXED8),
  BYTEARRAY8(0x96, 5, Arg.LEN8),
  NEXT_BUFFER(0x97, 5, Arg.NONE),
  READONLY_BUFFER(0x98, 5, Arg.NONE);

  /** How an opcode's argument is encoded in the stream. */
  enum Arg {
    NONE,
    FIXED1,
    FIXED2,
    FIXED4,
    FIXED8,
    LINE,
    TWO_LINES,
    LEN1,
    LEN4,
    LEN8
  }

  private static final Opcode[] BY_BYTE = new Opcode[256];

  static {
    for (Opcode op : values()) {
      BY_BYTE[op.code] = op;
    }
  }

  final int code;
  final int protocol;
  final Arg arg;

  Opcode(int code, int protocol, Arg arg) {
    this.code = code;
    this.protocol = protocol;
    this.arg = arg;
  }

  static Opcode of(int b) {
    return BY_BYTE[b & 0xff];
  }

  boolean isCall() {
    return this == REDUCE || this == INST || this == OBJ || this == NEWOBJ || this == NEWOBJ_EX;
  }
}
