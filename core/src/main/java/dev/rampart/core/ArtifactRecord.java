package dev.rampart.core;

import java.util.Objects;

/**
 * What happened to one file or container member: which format it was identified as and whether it was analysed.
 *
 * @param note why it was skipped or left incomplete; empty when scanned
 */
public record ArtifactRecord(String path, String format, long size, Status status, String note) {
  public enum Status {
    SCANNED,
    /** Not a model artifact or configuration (for example a README next to the model): nothing to analyse. */
    SKIPPED,
    /** A model artifact, or part of one, that could not be fully analysed. */
    INCOMPLETE
  }

  public ArtifactRecord {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(note, "note");
  }
}
