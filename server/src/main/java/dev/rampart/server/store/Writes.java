package dev.rampart.server.store;

import dev.rampart.server.audit.AuditLog;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Every state change runs here: one transaction that also appends its audit entry, serialized by one lock so audit
 * indices are dense and ordered. A failure rolls back the change and its audit entry together: nothing is stored
 * half-way.
 */
public final class Writes {
  /** Work done inside a write transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Handle h);
  }

  private final Jdbi jdbi;
  private final AuditLog audit;
  private final ReentrantLock lock = new ReentrantLock(true);

  public Writes(Jdbi jdbi, AuditLog audit) {
    this.jdbi = jdbi;
    this.audit = audit;
  }

  public <T> T run(Work<T> work) {
    lock.lock();
    try {
      T result;
      try {
        result = jdbi.inTransaction(work::run);
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
