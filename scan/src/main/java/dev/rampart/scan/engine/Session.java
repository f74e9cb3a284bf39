package dev.rampart.scan.engine;

import dev.rampart.core.ArtifactRecord;
import dev.rampart.core.Finding;
import dev.rampart.core.Location;
import dev.rampart.scan.ScanLimits;
import dev.rampart.scan.policy.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The state of scanning one top-level file: its findings, what happened to each member, and its budgets. */
public final class Session {
  private final ScanLimits limits;
  private final Policy policy;
  private final Dispatcher dispatcher;
  private final Instant deadline;
  private final List<Finding> findings = new ArrayList<>();
  private final Map<String, ArtifactRecord> records = new LinkedHashMap<>();
  private long inflatedBytes;
  private boolean pickleSeen;

  private final java.util.function.Supplier<String> fileSha256;

  private Session(
      ScanLimits limits, Policy policy, Dispatcher dispatcher, java.util.function.Supplier<String> fileSha256) {
    this.limits = limits;
    this.policy = policy;
    this.dispatcher = dispatcher;
    this.fileSha256 = fileSha256;
    this.deadline = Instant.now().plus(limits.perFileTimeout());
  }

  /**
   * Starts scanning one top-level file.
   *
   * @param fileSha256 computes the file's digest on demand; it is only needed for pinned allow entries and findings
   */
  public static Session open(
      ScanLimits limits, Policy policy, Dispatcher dispatcher, java.util.function.Supplier<String> fileSha256) {
    return new Session(limits, policy, dispatcher, fileSha256);
  }

  /** Analyses the top-level file. */
  public void scan(Location location, java.util.Optional<java.nio.file.Path> fsPath, dev.rampart.scan.io.Blob blob)
      throws java.io.IOException {
    dispatcher.dispatch(new Target(this, location, 0, fsPath), blob);
  }

  public String fileSha256() {
    return fileSha256.get();
  }

  public ScanLimits limits() {
    return limits;
  }

  public Policy policy() {
    return policy;
  }

  Dispatcher dispatcher() {
    return dispatcher;
  }

  void add(Finding finding) {
    findings.add(finding);
  }

  void record(Location location, String format, long size, ArtifactRecord.Status status, String note) {
    records.put(location.path(), new ArtifactRecord(location.path(), format, size, status, note));
  }

  void markIncomplete(Location location, String why) {
    var key = location.path();
    var existing = records.get(key);
    if (existing != null && existing.status() != ArtifactRecord.Status.INCOMPLETE) {
      records.put(
          key,
          new ArtifactRecord(key, existing.format(), existing.size(), ArtifactRecord.Status.INCOMPLETE, why));
    } else if (existing == null) {
      records.put(key, new ArtifactRecord(key, "unknown", -1, ArtifactRecord.Status.INCOMPLETE, why));
    }
  }

  /** Counts bytes inflated from archives and compressed streams against the per-file budget. */
  void chargeInflated(long bytes) throws dev.rampart.scan.io.LimitExceededException {
    inflatedBytes += bytes;
    if (inflatedBytes > limits.maxInflatedBytes()) {
      throw new dev.rampart.scan.io.LimitExceededException("total inflated bytes", limits.maxInflatedBytes());
    }
  }

  long inflatedBytes() {
    return inflatedBytes;
  }

  void checkDeadline() throws TimeoutException {
    if (Instant.now().isAfter(deadline)) {
      throw new TimeoutException(limits.perFileTimeout());
    }
  }

  void notePickle() {
    pickleSeen = true;
  }

  public boolean pickleSeen() {
    return pickleSeen;
  }

  public List<Finding> findings() {
    return findings;
  }

  public List<ArtifactRecord> records() {
    return List.copyOf(records.values());
  }

  /** The per-file wall-time budget ran out. */
  public static final class TimeoutException extends java.io.IOException {
    TimeoutException(java.time.Duration limit) {
      super("wall time per file exceeds the limit of " + limit.toSeconds() + " s");
    }
  }
}
