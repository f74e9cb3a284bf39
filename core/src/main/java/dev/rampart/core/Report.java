package dev.rampart.core;

import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of one Rampart run: its findings (sorted worst first), the findings an ignore file suppressed, and what
 * happened to each artifact.
 *
 * @param kind what produced it, such as {@code scan}
 */
public record Report(
    String kind,
    String toolVersion,
    Instant createdAt,
    List<String> roots,
    List<Finding> findings,
    List<Suppressed> suppressed,
    List<ArtifactRecord> artifacts) {

  /** JSON schema version of the report; bumped on any incompatible change. */
  public static final String SCHEMA_VERSION = "1.0";

  public static final Comparator<Finding> WORST_FIRST =
      Comparator.comparing(Finding::severity)
          .thenComparing(f -> f.location().path())
          .thenComparingLong(f -> f.location().byteOffset())
          .thenComparing(f -> f.rule().id());

  /** A finding that an ignore entry accepted, with the entry's statement. */
  public record Suppressed(Finding finding, String justification) {
    public Suppressed {
      Objects.requireNonNull(finding, "finding");
      Objects.requireNonNull(justification, "justification");
    }
  }

  public Report {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(toolVersion, "toolVersion");
    Objects.requireNonNull(createdAt, "createdAt");
    roots = List.copyOf(roots);
    findings = findings.stream().sorted(WORST_FIRST).toList();
    suppressed = List.copyOf(suppressed);
    artifacts = List.copyOf(artifacts);
  }

  public Map<Severity, Integer> countsBySeverity() {
    var counts = new EnumMap<Severity, Integer>(Severity.class);
    for (Severity s : Severity.values()) {
      counts.put(s, 0);
    }
    findings.forEach(f -> counts.merge(f.severity(), 1, Integer::sum));
    return counts;
  }

  /** True when some part of the input could not be analysed, or nothing was analysed at all. */
  public boolean incomplete() {
    return findings.stream().anyMatch(Finding::incompleteness)
        || artifacts.stream().anyMatch(a -> a.status() == ArtifactRecord.Status.INCOMPLETE)
        || artifacts.stream().noneMatch(a -> a.status() == ArtifactRecord.Status.SCANNED);
  }

  public long scannedCount() {
    return artifacts.stream().filter(a -> a.status() == ArtifactRecord.Status.SCANNED).count();
  }

  /** Findings at or above the threshold that are not incompleteness notices; these decide exit code 1. */
  public List<Finding> failing(Severity threshold) {
    return findings.stream()
        .filter(f -> !f.incompleteness() && f.severity().atLeast(threshold))
        .toList();
  }

  /** Keeps only findings at the given severities, for display. Suppressions and artifacts are kept. */
  public Report onlySeverities(java.util.Set<Severity> shown) {
    return new Report(
        kind,
        toolVersion,
        createdAt,
        roots,
        findings.stream().filter(f -> shown.contains(f.severity())).toList(),
        suppressed,
        artifacts);
  }
}
