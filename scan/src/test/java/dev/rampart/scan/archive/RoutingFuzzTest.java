package dev.rampart.scan.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.ExitCode;
import dev.rampart.core.Report;
import dev.rampart.core.Severity;
import dev.rampart.scan.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Generated pickles that CPython accepts (random prefixes of opcodes it runs without effect, then a call of
 * os.system), placed in random loader-shaped containers (bare, gzip with extra members and header CRCs Java rejects,
 * torch zip, zip in zip, tar): none may ever read as clean. Damaged multi-member gzip files never crash the scanner.
 * Short, seeded runs in the default build; long runs with {@code -Plong}.
 */
class RoutingFuzzTest {
  private static final byte[] CALL = callOfOsSystem();

  @Property(tries = 40, seed = "1402")
  void loaderAcceptedPicklesInLoaderShapedContainersAreNeverClean(@ForAll long seed) {
    assertCaught(seed);
  }

  @Property(tries = 40, seed = "1403")
  void damagedMultiMemberGzipNeverCrashes(@ForAll long seed) {
    assertDamagedGzipHandled(seed);
  }

  @Test
  @EnabledIfSystemProperty(named = "rampart.long", matches = "true")
  void longRun() {
    var seeds = new Random(14);
    for (int i = 0; i < 5_000; i++) {
      assertCaught(seeds.nextLong());
      assertDamagedGzipHandled(seeds.nextLong());
    }
  }

  private static void assertCaught(long seed) {
    var r = new Random(seed);
    byte[] pickle = concat(prefix(r), CALL);
    int shape = r.nextInt(6);
    byte[] file = switch (shape) {
      case 0 -> pickle;
      case 1 -> gzipMembers(r, pickle);
      case 2 -> zip("archive/data.pkl", pickle);
      case 3 -> zip("inner/model.zip", zip("model.pkl", pickle));
      case 4 -> tar(r.nextBoolean() ? "pytorch_model.bin" : "blob", pickle);
      default -> zip("archive/data.pkl", gzipMembers(r, pickle));
    };
    Report report = Fixtures.scanBytes(file);
    assertThat(ExitCode.of(report, Optional.of(Severity.HIGH)))
        .as("seed %d, shape %d", seed, shape)
        .isNotEqualTo(ExitCode.OK);
  }

  private static void assertDamagedGzipHandled(long seed) {
    var r = new Random(seed);
    byte[] file = gzipMembers(r, concat(prefix(r), CALL));
    int flips = 1 + r.nextInt(3);
    for (int i = 0; i < flips; i++) {
      file[r.nextInt(file.length)] = (byte) r.nextInt(256);
    }
    Report report = Fixtures.scanBytes(file);
    assertThat(report.artifacts()).as("seed %d", seed).isNotEmpty();
  }

  /** Opcode sequences CPython runs without leaving anything behind, so the stream goes on to the call. */
  private static byte[] prefix(Random r) {
    var out = new ByteArrayOutputStream();
    int n = r.nextInt(r.nextInt(20) == 0 ? 100_000 : 40);
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(8)) {
        case 0 -> out.writeBytes(new byte[] {(byte) 0x88, '0'}); // NEWTRUE POP
        case 1 -> out.writeBytes(new byte[] {(byte) 0x8f, '0'}); // EMPTY_SET POP
        case 2 -> out.writeBytes(new byte[] {(byte) 0x8a, 1, (byte) r.nextInt(256), '0'}); // LONG1 POP
        case 3 -> out.writeBytes(new byte[] {'(', '1'}); // MARK POP_MARK
        case 4 -> out.writeBytes(new byte[] {'N', 'q', (byte) r.nextInt(256), '0'}); // NONE BINPUT POP
        case 5 -> out.writeBytes(("I" + r.nextInt(1000) + "\n0").getBytes(StandardCharsets.US_ASCII)); // INT POP
        case 6 -> out.writeBytes(new byte[] {(byte) 0x80, (byte) r.nextInt(6)}); // another PROTO
        default -> out.writeBytes(("N" + "p" + indexSpelling(r) + "\n0").getBytes(StandardCharsets.US_ASCII));
      }
    }
    return out.toByteArray();
  }

  private static String indexSpelling(Random r) {
    int v = r.nextInt(100);
    return switch (r.nextInt(5)) {
      case 0 -> " " + v + " ";
      case 1 -> "+" + v;
      case 2 -> "00" + v;
      case 3 -> v >= 10 ? (v / 10) + "_" + (v % 10) : Integer.toString(v);
      default -> Integer.toString(v);
    };
  }

  private static byte[] callOfOsSystem() {
    var out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x80, 2});
    out.writeBytes("cos\nsystem\n(X".getBytes(StandardCharsets.US_ASCII));
    byte[] arg = "echo rampart-fixture".getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(new byte[] {(byte) arg.length, 0, 0, 0});
    out.writeBytes(arg);
    out.writeBytes("tR.".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /**
   * The data split over 1 to 4 gzip members, some with FHCRC and a wrong header CRC (Java's reader stops there,
   * Python's reads on), some with NUL padding between them, and empty members mixed in.
   */
  private static byte[] gzipMembers(Random r, byte[] data) {
    var out = new ByteArrayOutputStream();
    int parts = 1 + r.nextInt(4);
    int from = 0;
    for (int i = 0; i < parts; i++) {
      int to = i == parts - 1 ? data.length : from + r.nextInt(data.length - from + 1);
      byte[] part = java.util.Arrays.copyOfRange(data, from, to);
      out.writeBytes(r.nextInt(3) == 0 ? memberWithBadHeaderCrc(part) : plainMember(part));
      if (r.nextInt(4) == 0) {
        out.writeBytes(new byte[r.nextInt(8)]);
      }
      from = to;
    }
    return out.toByteArray();
  }

  private static byte[] plainMember(byte[] data) {
    try {
      var buf = new ByteArrayOutputStream();
      try (var gz = new GZIPOutputStream(buf)) {
        gz.write(data);
      }
      return buf.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] memberWithBadHeaderCrc(byte[] data) {
    var out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 2, 0, 0, 0, 0, 0, (byte) 0xff});
    out.writeBytes(new byte[] {0x12, 0x34}); // not the CRC-16 of the header
    var deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(data);
    deflater.finish();
    byte[] buf = new byte[data.length + 64];
    while (!deflater.finished()) {
      int n = deflater.deflate(buf);
      out.write(buf, 0, n);
    }
    deflater.end();
    var crc = new CRC32();
    crc.update(data);
    long c = crc.getValue();
    out.writeBytes(new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24)});
    int n = data.length;
    out.writeBytes(new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
    return out.toByteArray();
  }

  private static byte[] zip(String name, byte[] content) {
    try {
      var buf = new ByteArrayOutputStream();
      try (var z = new ZipOutputStream(buf)) {
        z.putNextEntry(new ZipEntry(name));
        z.write(content);
        z.closeEntry();
      }
      return buf.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] tar(String name, byte[] content) {
    try {
      var buf = new ByteArrayOutputStream();
      try (var t = new TarArchiveOutputStream(buf)) {
        var entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        t.putArchiveEntry(entry);
        t.write(content);
        t.closeArchiveEntry();
      }
      return buf.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
