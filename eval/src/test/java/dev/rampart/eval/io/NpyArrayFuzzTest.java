package dev.rampart.eval.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the bytes, reading ends in an array or an {@link IOException} that says why, never anything else. */
class NpyArrayFuzzTest {

  @Property(tries = 300)
  void mutatedArraysNeverEscapeAsOtherExceptions(@ForAll("arrays") byte[] content) throws IOException {
    Path file = Files.createTempFile("fuzz", ".npy");
    try {
      Files.write(file, content);
      try {
        var array = NpyArray.read(file, 1 << 20);
        long count = java.util.Arrays.stream(array.shape()).reduce(1, Math::multiplyExact);
        int length = switch (array) {
          case NpyArray.Numbers n -> n.values().length;
          case NpyArray.Texts t -> t.values().length;
        };
        if (count != length) {
          throw new AssertionError("shape " + java.util.Arrays.toString(array.shape()) + " but " + length + " values");
        }
      } catch (IOException expected) {
        if (expected.getMessage() == null || expected.getMessage().isBlank()) {
          throw new AssertionError("a refusal without a reason", expected);
        }
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Provide
  Arbitrary<byte[]> arrays() {
    Arbitrary<String> descr = Arbitraries.of("<f4", "<f8", ">i4", "|u1", "<U3", "|b1", "<f2", "|O", "<c16", "<U0",
        "[('a', '<f4')]", "<i8");
    Arbitrary<String> shape = Arbitraries.integers().between(-1, 9).list().ofMaxSize(4)
        .map(l -> "(" + String.join(", ", l.stream().map(String::valueOf).toList()) + (l.size() == 1 ? ",)" : ")"));
    Arbitrary<String> order = Arbitraries.of("False", "True", "maybe");
    Arbitrary<byte[]> body = Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
    Arbitrary<Integer> version = Arbitraries.of(1, 2, 3, 7);
    return net.jqwik.api.Combinators.combine(descr, shape, order, body, version).as((d, s, o, b, v) -> {
      String dict = "{'descr': " + (d.startsWith("[") ? d : "'" + d + "'") + ", 'fortran_order': " + o
          + ", 'shape': " + s + ", }";
      byte[] header = dict.getBytes(StandardCharsets.ISO_8859_1);
      int pre = v == 1 ? 10 : 12;
      byte[] out = new byte[pre + header.length + b.length];
      out[0] = (byte) 0x93;
      System.arraycopy("NUMPY".getBytes(StandardCharsets.ISO_8859_1), 0, out, 1, 5);
      out[6] = (byte) (int) v;
      out[8] = (byte) header.length;
      out[9] = (byte) (header.length >> 8);
      System.arraycopy(header, 0, out, pre, header.length);
      System.arraycopy(b, 0, out, pre + header.length, b.length);
      return out;
    });
  }
}
