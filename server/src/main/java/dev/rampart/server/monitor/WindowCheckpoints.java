package dev.rampart.server.monitor;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The {@code monitor_windows} rows: one watcher snapshot per deployment, with a version every write moves on. */
final class WindowCheckpoints {
  private WindowCheckpoints() {}

  record Row(long version, byte[] state) {}

  static Optional<Row> read(Handle h, long deployment) {
    return h.createQuery("select version, state from monitor_windows where deployment_id = :d").bind("d", deployment)
        .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2).getBytes(StandardCharsets.UTF_8))).findOne();
  }

  /**
   * Writes the state over version {@code expected} (0: no row yet) and returns the new version; throws
   * {@link java.util.ConcurrentModificationException} when the row is at another version (another process, or an
   * abandoned watcher of this one, wrote it since it was read), which rolls back the caller's transaction.
   */
  static long write(Handle h, long deployment, long expected, long events, byte[] state, OffsetDateTime now) {
    String json = new String(state, StandardCharsets.UTF_8);
    int written = expected == 0
        ? h.createUpdate("""
                insert into monitor_windows(deployment_id, version, events, state, updated_at)
                select :d, 1, :e, :s, :t where not exists (select 1 from monitor_windows where deployment_id = :d)""")
            .bind("d", deployment).bind("e", events).bind("s", json).bind("t", now).execute()
        : h.createUpdate("""
                update monitor_windows set version = version + 1, events = :e, state = :s, updated_at = :t
                where deployment_id = :d and version = :v""")
            .bind("d", deployment).bind("v", expected).bind("e", events).bind("s", json).bind("t", now).execute();
    if (written != 1) {
      throw new java.util.ConcurrentModificationException(
          "the window state of deployment " + deployment + " was written elsewhere since it was read");
    }
    return expected + 1;
  }

  static void delete(Handle h, long deployment) {
    h.createUpdate("delete from monitor_windows where deployment_id = :d").bind("d", deployment).execute();
  }
}
