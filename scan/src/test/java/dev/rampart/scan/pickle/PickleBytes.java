package dev.rampart.scan.pickle;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Assembles pickle streams opcode by opcode, for tests. */
final class PickleBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static PickleBytes proto(int n) {
    var p = new PickleBytes();
    p.op(0x80).raw(n);
    return p;
  }

  static PickleBytes bare() {
    return new PickleBytes();
  }

  PickleBytes op(int code) {
    out.write(code);
    return this;
  }

  PickleBytes raw(int b) {
    out.write(b);
    return this;
  }

  PickleBytes raw(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  PickleBytes line(String s) {
    out.writeBytes((s + "\n").getBytes(StandardCharsets.UTF_8));
    return this;
  }

  PickleBytes global(String module, String name) {
    return op('c').line(module).line(name);
  }

  PickleBytes shortUnicode(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return op(0x8c).raw(b.length).raw(b);
  }

  PickleBytes unicode(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return op('X').raw(le(b.length, 4)).raw(b);
  }

  PickleBytes stackGlobal(String module, String name) {
    return shortUnicode(module).shortUnicode(name).op(0x93);
  }

  PickleBytes callWithString(String arg) {
    return unicode(arg).op(0x85).op('R');
  }

  PickleBytes frame(long length) {
    return op(0x95).raw(le(length, 8));
  }

  PickleBytes stop() {
    return op('.');
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  int size() {
    return out.size();
  }

  static byte[] le(long v, int n) {
    var b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    return java.util.Arrays.copyOf(b, n);
  }
}
