package dev.rampart.server.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code log_head} row: the lock that serialises audited writes across every server on one database, and the
 * generation that tells each server's read caches that some server changed state.
 */
final class LogHead {
  private LogHead() {}

  /** Waits for, then holds until the transaction ends, the right to append to the audit log. */
  static void lock(Handle h) {
    h.createQuery("select generation from log_head where id = 1 for update").mapTo(Long.class).one();
  }

  /** Within the locked transaction: every server's caches are stale once it commits. */
  static void advance(Handle h) {
    h.execute("update log_head set generation = generation + 1 where id = 1");
  }

  static long generation(Jdbi jdbi) {
    return jdbi.withHandle(h -> h.createQuery("select generation from log_head where id = 1").mapTo(Long.class).one());
  }
}
