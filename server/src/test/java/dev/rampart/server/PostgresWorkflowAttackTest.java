package dev.rampart.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The workflow attacks on PostgreSQL (embedded binaries from Maven); a fresh database per test. */
class PostgresWorkflowAttackTest extends WorkflowAttackSuite {
  static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "on").start(); // the server refuses fsync=off
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @Override
  RampartServer.Config config(Path dataDir) {
    String db = "attacks_" + PostgresServerTest.DATABASES.incrementAndGet();
    try (var c = postgres.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
      s.execute("create database " + db);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return RampartServer.Config.embedded(dataDir, 0).withDatabase(postgres.getJdbcUrl("postgres", db), "postgres", null);
  }
}
