package dev.rampart.data.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the bytes, reading ends in a table or a {@link DatasetReadException}, never anything else. */
class DatasetReaderFuzzTest {
  private static final DatasetReader READER = new DatasetReader(ReadLimits.defaults().withMaxFieldBytes(64 * 1024));

  @Property(tries = 150)
  void arbitraryBytesNeverEscapeAsOtherExceptions(@ForAll("tables") byte[] content, @ForAll("names") String name)
      throws IOException {
    Path dir = Files.createTempDirectory("fuzz");
    Path file = dir.resolve(name);
    try {
      Files.write(file, content);
      try {
        Dataset d = READER.read(file);
        if (d.rows() <= 0 || d.columns().isEmpty()) {
          throw new AssertionError("a table without rows or columns came back as data");
        }
      } catch (DatasetReadException expected) {
        // a clear refusal is a correct answer
      }
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.of("d.csv", "d.tsv", "d.jsonl", "d.parquet");
  }

  @Provide
  Arbitrary<byte[]> tables() {
    Arbitrary<String> cell = Arbitraries.oneOf(
        Arbitraries.strings().withChars("0123456789.-e").ofMaxLength(6),
        Arbitraries.strings().withChars("ab\"',\t{}[]:\n\\ ").ofMaxLength(5),
        Arbitraries.of("", "NaN", "true", "null", "\uFFFD", "1e400"));
    Arbitrary<String> row = cell.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join(",", l));
    Arbitrary<byte[]> text = row.list().ofMinSize(1).ofMaxSize(12)
        .map(l -> String.join("\n", l).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300);
    Arbitrary<byte[]> parquetish = raw.map(b -> {
      byte[] out = new byte[b.length + 8];
      System.arraycopy("PAR1".getBytes(), 0, out, 0, 4);
      System.arraycopy(b, 0, out, 4, b.length);
      System.arraycopy("PAR1".getBytes(), 0, out, out.length - 4, 4);
      return out;
    });
    return Arbitraries.oneOf(text, raw, parquetish);
  }
}
