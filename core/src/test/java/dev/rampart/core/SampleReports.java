package dev.rampart.core;

import java.time.Instant;
import java.util.List;

/** Reports with every kind of content, for writer tests. */
public final class SampleReports {
  private SampleReports() {}

  public static final Rule CALL = Rule.of("PKL-DENYLISTED-CALL", Severity.CRITICAL, "Dangerous callable",
      "Do not load the file.", Atlas.UNSAFE_AI_ARTIFACTS, Phase.PRODUCTION);
  public static final Rule IMPORT = Rule.of("PKL-IMPORT-NOT-ALLOWLISTED", Severity.MEDIUM, "Global outside the allow list",
      "Review it.", Atlas.UNSAFE_AI_ARTIFACTS, Phase.PRODUCTION);
  public static final Rule INCOMPLETE = Rule.incompleteness("SCAN-INCOMPLETE", "Not analysed", "Fix the file.",
      Atlas.UNSAFE_AI_ARTIFACTS, Phase.PRODUCTION);

  public static Finding critical() {
    return Finding.of(CALL, "os.system is called (REDUCE at byte 28)",
            new Location("models/model pt.pt", List.of("archive/data.pkl"), 28))
        .withFileSha256("ab".repeat(32));
  }

  public static Finding medium() {
    return Finding.of(IMPORT, "foo.Bar is imported", Location.of("models/other.pkl"));
  }

  public static Finding incomplete() {
    return Finding.of(INCOMPLETE, "pickle stream is malformed: truncated", Location.of("models/broken.pkl").at(5));
  }

  public static Report full() {
    return new Report("scan", "0.1.0", Instant.parse("2026-11-21T10:00:00Z"), List.of("models"),
        List.of(medium(), critical(), incomplete()),
        List.of(new Report.Suppressed(medium(), "reviewed in SEC-1")),
        List.of(new ArtifactRecord("models/model pt.pt", "zip", 100, ArtifactRecord.Status.SCANNED, ""),
            new ArtifactRecord("models/model pt.pt!archive/data.pkl", "pickle", 40, ArtifactRecord.Status.SCANNED, ""),
            new ArtifactRecord("models/broken.pkl", "pickle", 9, ArtifactRecord.Status.INCOMPLETE, "truncated"),
            new ArtifactRecord("models/README.md", "text", 9, ArtifactRecord.Status.SKIPPED, "text")));
  }

  public static Report clean() {
    return new Report("scan", "0.1.0", Instant.parse("2026-11-21T10:00:00Z"), List.of("m.safetensors"), List.of(), List.of(),
        List.of(new ArtifactRecord("m.safetensors", "safetensors", 100, ArtifactRecord.Status.SCANNED, "")));
  }
}
