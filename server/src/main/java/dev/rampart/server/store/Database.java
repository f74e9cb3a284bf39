package dev.rampart.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The database: PostgreSQL (run embedded in the data folder by default, or an operator's server) or, on request,
 * embedded H2. One set of Flyway migrations serves all. Whatever the engine, a write transaction is durable (on disk,
 * fsync'd) once {@link #commitDurably} returns, so nothing is acknowledged that a crash or power cut could take back
 * (ADR 0015). JDBC URLs are never built from request input.
 */
public final class Database implements AutoCloseable {
  /** Where the data lives. */
  public enum Engine {
    /** PostgreSQL started by the server in {@code <data>/postgres}: the default. */
    EMBEDDED_POSTGRES,
    /** An operator's PostgreSQL server. */
    POSTGRES,
    /** Embedded H2 in {@code <data>/rampart.mv.db}; every commit is followed by a forced sync. */
    H2
  }

  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final Engine engine;
  private final AutoCloseable owned;

  private Database(HikariDataSource dataSource, Engine engine, AutoCloseable owned) {
    this.dataSource = dataSource;
    this.engine = engine;
    this.owned = owned;
    this.jdbi = Jdbi.create(dataSource);
  }

  /** PostgreSQL run by the server in {@code dataDir/postgres}, with fsync and synchronous commit on. */
  public static Database embeddedPostgres(Path dataDir) {
    var pg = EmbeddedPostgres.start(dataDir.resolve("postgres"));
    try {
      return open(pg.jdbcUrl(), "postgres", null, Engine.EMBEDDED_POSTGRES, pg);
    } catch (RuntimeException e) {
      pg.close();
      throw e;
    }
  }

  /** Embedded H2 in {@code dataDir}, PostgreSQL-compatible mode. */
  public static Database h2(Path dataDir) {
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("rampart").toString().replace('\\', '/')
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000;WRITE_DELAY=0";
    return open(url, null, null, Engine.H2, null);
  }

  /** PostgreSQL; credentials come from the URL or the environment, never from flags. */
  public static Database postgres(String url, String user, String password) {
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("--db-url must be a jdbc:postgresql:// URL");
    }
    return open(url, user, password, Engine.POSTGRES, null);
  }

  private static Database open(String url, String user, String password, Engine engine, AutoCloseable owned) {
    var cfg = new HikariConfig();
    cfg.setJdbcUrl(url);
    if (user != null) {
      cfg.setUsername(user);
    }
    if (password != null) {
      cfg.setPassword(password);
    }
    cfg.setMaximumPoolSize(engine == Engine.H2 ? 8 : 16);
    cfg.setPoolName("rampart");
    if (engine != Engine.H2) {
      // a server configured with synchronous_commit=off acknowledges commits it may lose; this session never does
      cfg.setConnectionInitSql("set synchronous_commit to on");
    }
    var ds = new HikariDataSource(cfg);
    try {
      if (engine != Engine.H2) {
        Durability.requirePostgresFsync(ds);
      }
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    return new Database(ds, engine, owned);
  }

  /**
   * Runs the work in one transaction and returns once its commit is on disk. PostgreSQL's commit already waits for
   * its WAL flush (synchronous_commit=on, fsync=on); H2 only writes its store lazily, so its store is written and
   * forced to disk ({@code CHECKPOINT SYNC}) before returning.
   */
  public <T> T commitDurably(Writes.Work<T> work) {
    return jdbi.withHandle(h -> {
      T result = h.inTransaction(work::run);
      if (engine == Engine.H2) {
        Durability.syncH2(h);
      }
      return result;
    });
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Engine engine() {
    return engine;
  }

  public boolean postgres() {
    return engine != Engine.H2;
  }

  public String describe() {
    return switch (engine) {
      case EMBEDDED_POSTGRES -> "embedded PostgreSQL " + dataSource.getJdbcUrl();
      case POSTGRES -> "PostgreSQL " + dataSource.getJdbcUrl().replaceAll("//[^@/]*@", "//");
      case H2 -> "embedded H2 " + dataSource.getJdbcUrl();
    };
  }

  @Override
  public void close() {
    dataSource.close();
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        throw new StoreException("the database did not stop cleanly: " + e.getMessage(), e);
      }
    }
  }
}
