package dev.rampart.scan.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.ExitCode;
import dev.rampart.core.Severity;
import dev.rampart.scan.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Zips that PyTorch's reader and Python's zipfile read differently: Rampart reads both ways. */
class ZipReadersDisagreeTest {
  @Test
  void aDecoyDirectoryDoesNotHideTheOneBeforeTheEndRecord() {
    var report = Fixtures.scan(Fixtures.path("malicious/containers/zip_end_record_points_at_decoy_directory.zip"));
    assertThat(report.findings()).extracting(f -> f.rule().id())
        .contains("ZIP-DIRECTORY-MISMATCH", "PKL-DENYLISTED-CALL");
    assertThat(report.findings()).filteredOn(f -> f.rule().id().equals("ZIP-DIRECTORY-MISMATCH")).singleElement()
        .satisfies(f -> assertThat(f.evidence()).contains("both were scanned"));
  }

  @Test
  void aZipAfterAPrefixIsReadTheWayPythonReadsItAndFlagged() throws Exception {
    byte[] zip = Files.readAllBytes(Fixtures.path("malicious/containers/zip_crc_mismatch_cve_2025_10156.pt"));
    var polyglot = new ByteArrayOutputStream();
    polyglot.write("#!/bin/sh\necho a script that carries a model\nexit 0\n".getBytes());
    polyglot.write(zip);
    var report = Fixtures.scanBytes(polyglot.toByteArray());
    assertThat(report.findings()).extracting(f -> f.rule().id())
        .contains("ZIP-DIRECTORY-MISMATCH", "PKL-DENYLISTED-CALL");
    assertThat(report.findings()).filteredOn(f -> f.rule().id().equals("ZIP-DIRECTORY-MISMATCH")).singleElement()
        .satisfies(f -> assertThat(f.evidence()).contains("starts 52 bytes into the file"));
    assertThat(report.artifacts().get(0).format()).isEqualTo("zip");
    assertThat(ExitCode.of(report, Optional.of(Severity.HIGH))).isEqualTo(ExitCode.FINDINGS);
  }

  @Test
  void aPlainZipReadsOneDirectoryAndRaisesNothingAboutIt() {
    var report = Fixtures.scan(Fixtures.path("benign/pytorch_state_dict.pt"));
    assertThat(report.findings()).extracting(f -> f.rule().id()).doesNotContain("ZIP-DIRECTORY-MISMATCH");
  }
}
