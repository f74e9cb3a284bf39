package dev.rampart.core.report;

import dev.rampart.core.ArtifactRecord;
import dev.rampart.core.Report;

/**
 * The counts every report format prints, computed once so that the table line, the JSON summary and the SARIF
 * invocation can never disagree. Artifacts are top-level files and archive members alike, each counted by status.
 */
record Summary(long files, long members, long scanned, long skipped, long incomplete, long findings) {
  static Summary of(Report report) {
    long files = report.artifacts().stream().filter(a -> !a.path().contains("!")).count();
    return new Summary(
        files,
        report.artifacts().size() - files,
        count(report, ArtifactRecord.Status.SCANNED),
        count(report, ArtifactRecord.Status.SKIPPED),
        count(report, ArtifactRecord.Status.INCOMPLETE),
        report.findings().size());
  }

  private static long count(Report report, ArtifactRecord.Status status) {
    return report.artifacts().stream().filter(a -> a.status() == status).count();
  }
}
