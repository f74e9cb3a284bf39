package dev.rampart.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.ArtifactRecord;
import dev.rampart.core.ExitCode;
import dev.rampart.core.Report;
import dev.rampart.core.Severity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.sevenz.SevenZOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Routing follows the loader, not a first-bytes guess: bytes a loader unpickles reach the pickle machine whatever
 * they start with, and what it cannot fully read is incomplete. Plain files that no loader would unpickle, and that
 * would fail before any import if one did, stay skipped.
 */
class LoaderRoutingTest {
  @TempDir Path dir;

  /** NEWTRUE, POP, then a protocol-2 call of os.system: CPython accepts it; a PROTO-header sniffer does not. */
  static byte[] newTruePopPayload() {
    var out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x88, '0', (byte) 0x80, 2});
    out.writeBytes("cos\nsystem\n(X".getBytes(StandardCharsets.ISO_8859_1));
    byte[] arg = "echo rampart-fixture".getBytes(StandardCharsets.UTF_8);
    out.writeBytes(new byte[] {(byte) arg.length, 0, 0, 0});
    out.writeBytes(arg);
    out.writeBytes("tR.".getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  private Report scan(String name, byte[] content) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, content);
    return Fixtures.scan(file);
  }

  private static ExitCode exit(Report r) {
    return ExitCode.of(r, Optional.of(Severity.HIGH));
  }

  @Test
  void multiMegabyteStringBeforeTheFirstGlobalIsStillReadToTheGlobal() throws IOException {
    int big = 5 * 1024 * 1024;
    var out = new ByteArrayOutputStream();
    out.write('X');
    out.writeBytes(new byte[] {(byte) big, (byte) (big >>> 8), (byte) (big >>> 16), (byte) (big >>> 24)});
    out.writeBytes("A".repeat(big).getBytes(StandardCharsets.US_ASCII));
    out.write('0');
    out.writeBytes(newTruePopPayload());
    var report = scan("weights.dat", out.toByteArray());
    assertThat(Fixtures.ruleIds(report)).contains("PKL-DENYLISTED-CALL");
  }

  @Test
  void plainTextNoLoaderWouldUnpickleIsSkippedNotIncomplete() throws IOException {
    var report = scan("README.md", "# Model card\n\ncat\ndog\nbird\n".getBytes(StandardCharsets.UTF_8));
    assertThat(report.artifacts()).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(ArtifactRecord.Status.SKIPPED));
    assertThat(report.findings()).isEmpty();
  }

  @Test
  void labelsFileStartingLikeAGlobalIsNotAPickle() throws IOException {
    // 'c' reads as GLOBAL 'at.dog', then BUILD underflows the stack: the unpickler raises there, before the INST
    // that follows could call anything
    var report = scan("labels.txt", "cat\ndog\nbird\nfish\n".getBytes(StandardCharsets.UTF_8));
    assertThat(report.findings()).isEmpty();
  }

  @Test
  void aPickleNamedMemberThatIsNotAPickleIsIncompleteNotText() throws IOException {
    var report = scan("model.pt", zip("archive/data.pkl", "hello, this is not a pickle\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(exit(report)).isNotEqualTo(ExitCode.OK);
    assertThat(report.artifacts()).anySatisfy(a -> {
      assertThat(a.path()).endsWith("archive/data.pkl");
      assertThat(a.status()).isEqualTo(ArtifactRecord.Status.INCOMPLETE);
    });
  }

  @Test
  void aTopLevelFileNamedAsAPickleThatIsNotOneIsIncomplete() throws IOException {
    var report = scan("classifier.pkl", "just some words\n".getBytes(StandardCharsets.UTF_8));
    assertThat(exit(report)).isEqualTo(ExitCode.INCOMPLETE);
  }

  @Test
  void textMembersOfAZipStaySkipped() throws IOException {
    var report = scan("bundle.zip", zip("notes/readme.txt", "release notes\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(exit(report)).isEqualTo(ExitCode.OK);
  }

  @ParameterizedTest
  @ValueSource(strings = {"model.pkl", "notes.bin", "pytorch_model.bin", "legacy/pickle"})
  void sevenZipMembersAreRoutedLikeAnyOther(String member) throws IOException {
    Path archive = dir.resolve("bundle.7z");
    try (var sevenZ = new SevenZOutputFile(archive.toFile())) {
      var entry = sevenZ.createArchiveEntry(dir.toFile(), member);
      entry.setDirectory(false);
      sevenZ.putArchiveEntry(entry);
      sevenZ.write(newTruePopPayload());
      sevenZ.closeArchiveEntry();
    }
    assertThat(Fixtures.ruleIds(Fixtures.scan(archive))).contains("PKL-DENYLISTED-CALL");
  }

  @Test
  void sevenZipSymbolicLinksAreReported() throws IOException {
    Path archive = dir.resolve("links.7z");
    try (var sevenZ = new SevenZOutputFile(archive.toFile())) {
      var entry = sevenZ.createArchiveEntry(dir.toFile(), "model.pkl");
      entry.setDirectory(false);
      // FILE_ATTRIBUTE_UNIX_EXTENSION with S_IFLNK | 0777 in the high half, as 7-Zip and py7zr write links
      entry.setHasWindowsAttributes(true);
      entry.setWindowsAttributes(0x8000 | (0xA1FF << 16));
      sevenZ.putArchiveEntry(entry);
      sevenZ.write("/home/user/.ssh/id_rsa".getBytes(StandardCharsets.UTF_8));
      sevenZ.closeArchiveEntry();
    }
    assertThat(Fixtures.ruleIds(Fixtures.scan(archive))).contains("ARCHIVE-LINK");
  }

  @Test
  void aZipMemberMarkedAsALinkIsStillReadAsPythonReadsIt() throws IOException {
    var buf = new ByteArrayOutputStream();
    try (var z = new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(buf)) {
      var entry = new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("archive/data.pkl");
      entry.setUnixMode(0120777); // S_IFLNK: unzip makes a link, zipfile and torch.load read the bytes
      z.putArchiveEntry(entry);
      z.write(newTruePopPayload());
      z.closeArchiveEntry();
    }
    var report = scan("model.pt", buf.toByteArray());
    assertThat(Fixtures.ruleIds(report)).contains("ARCHIVE-LINK", "PKL-DENYLISTED-CALL");
  }

  @Test
  void aPolyglotUnderAPickleNameIsAlsoReadAsAPickle() throws IOException {
    // "GGUF" then version 3: as a pickle, 'G' is BINFLOAT and swallows the next 8 bytes; what follows is the call
    var out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0, 0});
    out.writeBytes(newTruePopPayload());
    var report = scan("pytorch_model.bin", out.toByteArray());
    assertThat(report.findings()).anySatisfy(f -> {
      assertThat(f.rule().id()).isEqualTo("PKL-DENYLISTED-CALL");
      assertThat(f.location().path()).contains("<as pickle>");
    });
  }

  @Test
  void limitsHitBeforeTheFirstGlobalAreIncompleteWithTheLimitNamed() {
    for (String name : new String[] {"noop_run_past_opcode_limit.pkl.gz", "deep_mark_nesting_before_global.pkl.gz",
        "memo_flood_before_global.pkl.gz"}) {
      var report = Fixtures.scan(Fixtures.path("malicious/routing/" + name));
      assertThat(exit(report)).as(name).isEqualTo(ExitCode.INCOMPLETE);
      assertThat(report.findings()).as(name)
          .anySatisfy(f -> assertThat(f.evidence()).contains("limit reached"))
          .noneSatisfy(f -> assertThat(f.rule().id()).isEqualTo("ARCHIVE-BOMB"));
    }
  }

  @Test
  void gzipReadOnPastALaterMemberWhoseHeaderCrcJavaRejects() {
    var report = Fixtures.scan(Fixtures.path("malicious/routing/gzip_later_member_bad_header_crc.pkl.gz"));
    assertThat(Fixtures.ruleIds(report)).contains("PKL-DENYLISTED-CALL");
    assertThat(exit(report)).isEqualTo(ExitCode.FINDINGS);
  }

  private static byte[] zip(String name, byte[] content) throws IOException {
    var buf = new ByteArrayOutputStream();
    try (var z = new ZipOutputStream(buf)) {
      z.putNextEntry(new ZipEntry(name));
      z.write(content);
      z.closeEntry();
    }
    return buf.toByteArray();
  }
}
