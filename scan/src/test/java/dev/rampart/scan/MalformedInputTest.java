package dev.rampart.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.ArtifactRecord;
import dev.rampart.core.ExitCode;
import dev.rampart.core.Severity;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Malformed, truncated, unsupported or empty input gives a clear result, never a crash and never "clean". */
class MalformedInputTest {
  private static ExitCode exit(String rel) {
    return ExitCode.of(Fixtures.scan(Fixtures.path(rel)), Optional.of(Severity.HIGH));
  }

  @Test
  void truncatedPyTorchArchiveIsIncomplete() {
    var report = Fixtures.scan(Fixtures.path("malformed/pytorch_truncated.pt"));
    assertThat(report.incomplete()).isTrue();
    assertThat(report.findings()).anyMatch(f -> f.rule().id().equals("SCAN-INCOMPLETE")
        && f.evidence().contains("end-of-central-directory"));
  }

  @Test
  void truncatedPickleIsIncompleteWithTheReason() {
    var report = Fixtures.scan(Fixtures.path("malformed/pickle_truncated_mid_argument.pkl"));
    assertThat(exit("malformed/pickle_truncated_mid_argument.pkl")).isEqualTo(ExitCode.INCOMPLETE);
    assertThat(report.findings()).anyMatch(f -> f.evidence().contains("runs past the end"));
  }

  @Test
  void aTfliteFileWithoutTablesIsIncompleteWithTheReason() {
    var report = Fixtures.scan(Fixtures.path("malformed/tflite_unsupported.tflite"));
    assertThat(report.findings()).anyMatch(f -> f.rule().id().equals("SCAN-INCOMPLETE") && f.evidence().contains("tflite"));
    assertThat(exit("malformed/tflite_unsupported.tflite")).isEqualTo(ExitCode.INCOMPLETE);
  }

  @Test
  void aTfliteRootOffsetPastTheEndIsIncomplete() {
    var report = Fixtures.scan(Fixtures.path("malformed/tflite_root_offset_past_end.tflite"));
    assertThat(report.findings()).anyMatch(f -> f.rule().id().equals("SCAN-INCOMPLETE") && f.evidence().contains("outside"));
    assertThat(exit("malformed/tflite_root_offset_past_end.tflite")).isEqualTo(ExitCode.INCOMPLETE);
  }

  @Test
  void unsupportedModelFormatsAreNamedAndGate() {
    byte[] catboost = new byte[64];
    System.arraycopy("CBM1".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, catboost, 0, 4);
    var report = Fixtures.scanBytes(catboost);
    assertThat(report.findings()).anyMatch(f -> f.rule().id().equals("SCAN-UNSUPPORTED") && f.evidence().contains("CatBoost"));
    assertThat(ExitCode.of(report, java.util.Optional.of(dev.rampart.core.Severity.HIGH))).isEqualTo(ExitCode.INCOMPLETE);
  }

  @Test
  void anEmptyFileAloneMeansNothingWasScanned() {
    var report = Fixtures.scan(Fixtures.path("malformed/empty.bin"));
    assertThat(report.artifacts()).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(ArtifactRecord.Status.SKIPPED));
    assertThat(exit("malformed/empty.bin")).isEqualTo(ExitCode.INCOMPLETE);
  }

  @Test
  void trailingBytesAfterStopAreReported() {
    assertThat(Fixtures.ruleIds(Fixtures.scan(Fixtures.path("malformed/pickle_trailing_garbage.pkl")))).contains("PKL-STREAM-ANOMALY");
  }

  @Test
  void npyDataShorterThanItsHeaderIsReported() {
    assertThat(Fixtures.ruleIds(Fixtures.scan(Fixtures.path("malformed/npy_header_size_mismatch.npy")))).contains("NPY-HEADER-INVALID");
  }

  @Test
  void aMissingPathIsAnError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Scanner.builder().build().scan(java.util.List.of(java.nio.file.Path.of("/no/such/model.pt"))))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  @Test
  void aTinyOpcodeBudgetLeavesTheScanIncompleteNamingTheLimit() throws Exception {
    var limits = new ScanLimits(10, 10_000, 100_000, 5, 100_000, 100, 1L << 36, 1 << 26, 100_000_000L, java.time.Duration.ofSeconds(300));
    var report = Scanner.builder().limits(limits).build().scan(java.util.List.of(Fixtures.path("benign/sklearn_tree.joblib")));
    assertThat(report.incomplete()).isTrue();
    assertThat(report.findings()).anyMatch(f -> f.evidence().contains("opcodes"));
  }
}
