package dev.rampart.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Durable monitor state on PostgreSQL: one database per test, kept across the test's restart. */
class PostgresMonitorStateTest extends MonitorStateSuite {
  static EmbeddedPostgres postgres;
  static final Map<Path, String> DATABASES = new HashMap<>();

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "on").start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @Override
  RampartServer.Config config(Path dataDir) {
    String db = DATABASES.computeIfAbsent(dataDir, d -> {
      String name = "monitor_" + DATABASES.size();
      try (var c = postgres.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
        s.execute("create database " + name);
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
      return name;
    });
    return RampartServer.Config.embedded(dataDir, 0).withDatabase(postgres.getJdbcUrl("postgres", db), "postgres", null);
  }
}
