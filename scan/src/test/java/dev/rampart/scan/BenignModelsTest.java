package dev.rampart.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.ArtifactRecord;
import dev.rampart.core.Severity;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Real models written by PyTorch, scikit-learn, NumPy, h5py and onnx: nothing at HIGH or above, nothing unscanned. */
class BenignModelsTest {
  @TestFactory
  Stream<DynamicTest> benignModelsHaveNoHighFindings() {
    return Fixtures.files("benign").stream().map(p -> DynamicTest.dynamicTest(Fixtures.relative(p), () -> clean(p)));
  }

  private static void clean(Path p) {
    var report = Fixtures.scan(p);
    assertThat(Fixtures.atLeast(report, Severity.HIGH)).as("findings at HIGH+ in %s", p.getFileName()).isEmpty();
    assertThat(report.findings()).noneMatch(f -> f.incompleteness());
    assertThat(report.artifacts()).noneMatch(a -> a.status() == ArtifactRecord.Status.INCOMPLETE);
  }

  @Test
  void wholeBenignFolderIsCleanAndFullyAnalysed() {
    var report = Fixtures.scan(Fixtures.path("benign"));
    assertThat(report.incomplete()).isFalse();
    assertThat(report.failing(Severity.HIGH)).isEmpty();
    assertThat(report.scannedCount()).isGreaterThan(25);
  }

  @Test
  void torchscriptIsReportedAsCodeButNotAsMalicious() {
    var report = Fixtures.scan(Fixtures.path("benign/pytorch_torchscript.pt"));
    assertThat(Fixtures.ruleIds(report)).contains("TORCH-SCRIPT-CODE").doesNotContain("TORCH-SCRIPT-SUSPICIOUS");
  }

  @Test
  void joblibInlineArraysAreSkippedNotParsedAsOpcodes() {
    var report = Fixtures.scan(Fixtures.path("benign/sklearn_forest_compressed.joblib"));
    assertThat(Fixtures.ruleIds(report)).containsExactly("PKL-FORMAT");
  }
}
