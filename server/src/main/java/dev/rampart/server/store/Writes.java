package dev.rampart.server.store;

import dev.rampart.server.audit.AuditLog;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;

/**
 * Every state change runs here: one transaction that also appends its audit entry, serialized by this process's lock
 * and by the database's log head row (so servers sharing one database append in turn) so audit indices are dense and
 * ordered, and durable on disk before it returns. A failure rolls back the change and its audit entry together: nothing is stored
 * half-way.
 */
public final class Writes {
  /** Work done inside a write transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Handle h);
  }

  private final Database db;
  private final AuditLog audit;
  private final ReentrantLock lock = new ReentrantLock(true);
  private final Generation generation;

  public Writes(Database db, AuditLog audit, Generation generation) {
    this.db = db;
    this.audit = audit;
    this.generation = generation;
  }

  /** Runs the work in one transaction with its audit entries and their checkpoint. */
  public <T> T run(Work<T> work) {
    T result = transaction(work, true, true);
    generation.advance();
    return result;
  }

  /** For writes that only add records (admission calls, their audit entries): read caches stay valid. */
  public <T> T append(Work<T> work) {
    return transaction(work, false, true);
  }

  /**
   * Like {@link #append}, but without signing a checkpoint: the records and their audit entries are durable when this
   * returns, and the next signed checkpoint covers them (no checkpoint is ever signed for a size twice, so deferring
   * one cannot fork the log). Saves the signature, its row and the fsyncs of the signer's head per call.
   */
  public <T> T appendUnsigned(Work<T> work) {
    return transaction(work, false, false);
  }

  /**
   * Brings this server's view of the audit log up to what every server sharing the database has committed, so the
   * checkpoint and proofs it serves are the database's latest.
   */
  public void refreshAudit() {
    lock.lock();
    try {
      db.jdbi().useHandle(audit::catchUp);
    } finally {
      lock.unlock();
    }
  }

  private <T> T transaction(Work<T> work, boolean stateChange, boolean sign) {
    lock.lock();
    try {
      audit.requireIntact();
      T result;
      try {
        result = db.commitDurably(h -> {
          // the in-process lock orders this server's writes; the log head row orders them with other servers' writes
          // (an H2 file is opened by one process only, and its durability rests on as few writes per commit as possible)
          if (db.postgres()) {
            LogHead.lock(h);
          }
          audit.catchUp(h);
          if (stateChange && db.postgres()) {
            LogHead.advance(h);
          }
          T r = work.run(h);
          if (sign) {
            audit.checkpoint(h);
          }
          return r;
        });
      } catch (RuntimeException e) {
        audit.rolledBack();
        throw e;
      }
      audit.committed();
      return result;
    } finally {
      lock.unlock();
    }
  }
}
