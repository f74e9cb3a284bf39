package dev.rampart.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ExitCodeTest {
  @Test
  void findingsBeatIncompleteWhichBeatsOk() {
    assertThat(ExitCode.of(SampleReports.full(), Optional.of(Severity.HIGH))).isEqualTo(ExitCode.FINDINGS);
    assertThat(ExitCode.of(SampleReports.full(), Optional.empty())).isEqualTo(ExitCode.INCOMPLETE);
    assertThat(ExitCode.of(SampleReports.clean(), Optional.of(Severity.INFO))).isEqualTo(ExitCode.OK);
  }

  @Test
  void incompletenessNoticesNeverCountAsFindings() {
    var r = new Report("scan", "x", java.time.Instant.EPOCH, List.of(), List.of(SampleReports.incomplete()), List.of(),
        List.of(new ArtifactRecord("a", "pickle", 1, ArtifactRecord.Status.INCOMPLETE, "")));
    assertThat(ExitCode.of(r, Optional.of(Severity.INFO))).isEqualTo(ExitCode.INCOMPLETE);
  }

  @Test
  void nothingScannedIsIncomplete() {
    var r = new Report("scan", "x", java.time.Instant.EPOCH, List.of(), List.of(), List.of(),
        List.of(new ArtifactRecord("README", "text", 1, ArtifactRecord.Status.SKIPPED, "")));
    assertThat(ExitCode.of(r, Optional.of(Severity.HIGH))).isEqualTo(ExitCode.INCOMPLETE);
  }

  @Property
  void severityOrderIsTotalAndAtLeastIsConsistent(@ForAll Severity a, @ForAll Severity b) {
    assertThat(a.atLeast(b) || b.atLeast(a)).isTrue();
    assertThat(a.atLeast(b) && b.atLeast(a)).isEqualTo(a == b);
    assertThat(a.atLeast(b)).isEqualTo(a.securityScore() >= b.securityScore() && (a == b || a.securityScore() != b.securityScore()));
  }

  @Property
  void severityParsesItsOwnName(@ForAll Severity s) {
    assertThat(Severity.parse(s.name().toLowerCase(java.util.Locale.ROOT))).isEqualTo(s);
  }

  @Test
  void fingerprintIgnoresTheOuterPathButNotTheContent() {
    var f = SampleReports.critical();
    var moved = new Finding(f.rule(), f.severity(), f.title(), f.evidence(),
        new Location("elsewhere/renamed.pt", f.location().members(), 28), f.technique(), f.phase(), f.fileSha256());
    assertThat(moved.fingerprint()).isEqualTo(f.fingerprint());
    assertThat(f.withFileSha256("cd".repeat(32)).fingerprint()).isNotEqualTo(f.fingerprint());
  }
}
