package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.integrity.log.Merkle;
import dev.rampart.server.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Someone with write access to a stopped server's database cuts or rewrites the newest audit history. The server
 * remembers the latest checkpoint it signed beside its key, so on restart it refuses writes (signing on would fork the
 * log) and says why, and verification names the problem.
 */
class LogTamperTest {
  private static EmbeddedPostgres postgres;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  @TempDir Path tmp;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "on").start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  private RampartServer.Config config(String store) throws Exception {
    var config = RampartServer.Config.embedded(tmp.resolve("data"), 0);
    if (store.equals("h2")) {
      return config.withH2();
    }
    String db = "tamper_" + DATABASES.incrementAndGet();
    try (var c = postgres.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
      s.execute("create database " + db);
    }
    return config.withDatabase(postgres.getJdbcUrl("postgres", db), "postgres", null);
  }

  private static Database open(RampartServer.Config config) {
    return config.dbUrl().isPresent() ? Database.postgres(config.dbUrl().get(), "postgres", null)
        : Database.h2(config.dataDir());
  }

  /** Starts a server, makes a few audited changes, stops it, and returns the audit log's size. */
  private static String populate(RampartServer.Config config) throws Exception {
    try (var server = RampartServer.start(config)) {
      var http = new Http(server.port());
      String admin = server.bootstrapToken().orElseThrow();
      for (int i = 0; i < 4; i++) {
        assertThat(http.post("/api/v1/projects", admin, Map.of("name", "p" + i)).status()).isEqualTo(201);
      }
      return admin;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void truncatedHistoryIsDetectedAndWritesAreRefused(String store) throws Exception {
    var config = config(store);
    String admin = populate(config);
    long kept;
    try (var db = open(config)) {
      kept = db.jdbi().withHandle(h -> {
        long size = h.createQuery("select count(*) from audit_entries").mapTo(Long.class).one();
        h.execute("delete from audit_entries where idx >= ?", size - 2);
        h.execute("delete from audit_checkpoints where tree_size > ?", size - 2);
        return size - 2;
      });
    }
    try (var server = RampartServer.start(config)) {
      var http = new Http(server.port());
      var refused = http.post("/api/v1/projects", admin, Map.of("name", "after"));
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.code()).isEqualTo("log_diverged");
      assertThat(refused.json().at("/error/message").asText())
          .contains("holds " + kept + " audit entries but this server signed a checkpoint of " + (kept + 2));
      var verify = http.get("/api/v1/audit/verify", admin).json();
      assertThat(verify.get("ok").asBoolean()).isFalse();
      assertThat(verify.get("detail").asText()).contains("were removed");
      // what it already has is still readable
      assertThat(http.get("/api/v1/projects", admin).status()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void rewrittenHistoryWithItsCheckpointsDroppedIsDetected(String store) throws Exception {
    var config = config(store);
    String admin = populate(config);
    try (var db = open(config)) {
      db.jdbi().useHandle(h -> {
        long last = h.createQuery("select max(idx) from audit_entries").mapTo(Long.class).one();
        String forged = "{\"actor\":\"rampart\",\"type\":\"nothing.happened\"}";
        h.execute("update audit_entries set entry = ?, leaf_hash = ? where idx = ?", forged,
            HexFormat.of().formatHex(Merkle.leafHash(forged.getBytes(StandardCharsets.UTF_8))), last);
        h.execute("delete from audit_checkpoints where tree_size > ?", last);
      });
    }
    try (var server = RampartServer.start(config)) {
      var http = new Http(server.port());
      var refused = http.post("/api/v1/projects", admin, Map.of("name", "after"));
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.json().at("/error/message").asText()).contains("history was rewritten");
      assertThat(http.get("/api/v1/audit/verify", admin).json().get("ok").asBoolean()).isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void anUntouchedDatabaseRestartsAndExtendsTheSameLog(String store) throws Exception {
    var config = config(store);
    String admin = populate(config);
    try (var server = RampartServer.start(config)) {
      var http = new Http(server.port());
      String before = http.get("/api/v1/audit/checkpoint", admin).body();
      assertThat(http.post("/api/v1/projects", admin, Map.of("name", "after")).status()).isEqualTo(201);
      String after = http.get("/api/v1/audit/checkpoint", admin).body();
      assertThat(Long.parseLong(after.split("\n")[1])).isGreaterThan(Long.parseLong(before.split("\n")[1]));
      assertThat(http.get("/api/v1/audit/verify", admin).json().get("ok").asBoolean()).isTrue();
    }
  }
}
