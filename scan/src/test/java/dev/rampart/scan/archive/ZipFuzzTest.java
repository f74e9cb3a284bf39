package dev.rampart.scan.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.ExitCode;
import dev.rampart.core.Severity;
import dev.rampart.scan.Fixtures;
import java.nio.file.Files;
import java.util.Optional;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The zip reader on damaged PyTorch archives: it never throws out of the scanner and never reads as clean. */
class ZipFuzzTest {
  private static final byte[] MALICIOUS = read("malicious/containers/zip_crc_mismatch_cve_2025_10156.pt");
  private static final byte[] BENIGN = read("benign/pytorch_state_dict.pt");
  private static final byte[] DECOY = read("malicious/containers/zip_end_record_points_at_decoy_directory.zip");

  private static byte[] read(String rel) {
    try {
      return Files.readAllBytes(Fixtures.path(rel));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Property(tries = 400)
  void flippedBytesInABenignArchiveNeverCrash(@ForAll @IntRange(min = 0, max = 100_000) int position, @ForAll byte value) {
    byte[] data = BENIGN.clone();
    data[position % data.length] = value;
    var report = Fixtures.scanBytes(data);
    assertThat(report.artifacts()).isNotEmpty();
  }

  @Property(tries = 200)
  void truncatedArchivesAreNeverClean(@ForAll @IntRange(min = 1, max = 100_000) int cut) {
    byte[] data = java.util.Arrays.copyOf(BENIGN, 1 + cut % (BENIGN.length - 1));
    var report = Fixtures.scanBytes(data);
    assertThat(ExitCode.of(report, Optional.of(Severity.HIGH))).isNotEqualTo(ExitCode.OK);
  }

  @Property(tries = 300)
  void damageOutsideThePayloadKeepsItVisible(@ForAll @IntRange(min = 0, max = 100_000) int position, @ForAll byte value) {
    byte[] data = MALICIOUS.clone();
    int p = position % data.length;
    data[p] = value;
    var report = Fixtures.scanBytes(data);
    // whatever was damaged, the result gates: the payload is seen, or the archive is reported incomplete
    assertThat(ExitCode.of(report, Optional.of(Severity.HIGH))).isNotEqualTo(ExitCode.OK);
  }

  @Property(tries = 300)
  void damageToATwoDirectoryZipNeverMakesItClean(@ForAll @IntRange(min = 0, max = 100_000) int position,
      @ForAll byte value) {
    byte[] data = DECOY.clone();
    data[position % data.length] = value;
    var report = Fixtures.scanBytes(data);
    assertThat(ExitCode.of(report, Optional.of(Severity.HIGH))).isNotEqualTo(ExitCode.OK);
  }

  /** Found by {@link #damageOutsideThePayloadKeepsItVisible}: byte 268 is the end record's total entry count. */
  @Example
  void anEndRecordCountingZeroEntriesDoesNotHideThePayload() {
    byte[] data = MALICIOUS.clone();
    data[268] = 0;
    var report = Fixtures.scanBytes(data);
    assertThat(report.findings()).extracting(f -> f.rule().id())
        .contains("ZIP-DIRECTORY-MISMATCH", "PKL-DENYLISTED-CALL");
  }

  /** Found by {@link #damageOutsideThePayloadKeepsItVisible}: a '[' over the zip magic once read as clean JSON. */
  @Example
  void aBinaryFileStartingLikeAJsonArrayIsNotReadAsJson() {
    byte[] data = MALICIOUS.clone();
    data[0] = '[';
    var report = Fixtures.scanBytes(data);
    assertThat(report.artifacts()).extracting(a -> a.format()).doesNotContain("json");
    assertThat(ExitCode.of(report, Optional.of(Severity.HIGH))).isNotEqualTo(ExitCode.OK);
  }

  @Property(tries = 200)
  void randomBytesAfterAZipMagicNeverCrash(@ForAll byte[] tail) {
    byte[] data = new byte[4 + tail.length];
    data[0] = 'P';
    data[1] = 'K';
    data[2] = 3;
    data[3] = 4;
    System.arraycopy(tail, 0, data, 4, tail.length);
    var report = Fixtures.scanBytes(data);
    assertThat(report.incomplete()).isTrue();
  }
}
