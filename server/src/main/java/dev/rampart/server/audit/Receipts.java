package dev.rampart.server.audit;

import dev.rampart.integrity.log.Receipt;

/** Receipts for committed audit entries: the entry, the latest published checkpoint and the entry's inclusion proof. */
public final class Receipts {
  private Receipts() {}

  /**
   * The receipt of a committed entry, against the server's own latest signed checkpoint (a witnessed one may lag
   * behind the entry). That checkpoint is durable in the database and beside the log key
   * and covers every committed entry, so the proof is against a tree the server can never sign differently.
   */
  public static Receipt of(AuditLog log, long index) {
    String note = log.signedCheckpoint();
    long size = Long.parseLong(note.lines().skip(1).findFirst().orElseThrow());
    if (index < 0 || index >= size) {
      throw new IllegalStateException("audit entry " + index + " is not in the published checkpoint of " + size + " entries");
    }
    String entry = log.entries(index, index + 1).getFirst();
    return new Receipt(index, entry, note, log.inclusionProof(index, size));
  }
}
