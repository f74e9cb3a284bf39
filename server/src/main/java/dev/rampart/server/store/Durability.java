package dev.rampart.server.store;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;

/** The checks and calls that make an acknowledged commit a durable one. */
final class Durability {
  private Durability() {}

  /**
   * fsync is a server setting a session cannot change; with it off a commit is never forced to disk, so the server
   * refuses to run on such a database instead of acknowledging writes it may lose.
   */
  static void requirePostgresFsync(DataSource ds) {
    try (var c = ds.getConnection(); var s = c.createStatement(); var rs = s.executeQuery("show fsync")) {
      rs.next();
      if (!"on".equalsIgnoreCase(rs.getString(1))) {
        throw new StoreException("PostgreSQL runs with fsync=" + rs.getString(1)
            + ": commits would not reach the disk; set fsync=on in postgresql.conf");
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read PostgreSQL's fsync setting: " + e.getMessage(), e);
    }
  }

  /** Writes H2's pending store to its file and forces the file to disk. */
  static void syncH2(Handle h) {
    h.execute("checkpoint sync");
  }
}
