package dev.rampart.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The database: embedded H2 in the data folder (zero setup) or PostgreSQL. One set of Flyway migrations serves both.
 * JDBC URLs are never built from request input.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final boolean postgres;

  private Database(HikariDataSource dataSource, boolean postgres) {
    this.dataSource = dataSource;
    this.postgres = postgres;
    this.jdbi = Jdbi.create(dataSource);
  }

  /** Embedded H2 in {@code dataDir}, PostgreSQL-compatible mode. */
  public static Database h2(Path dataDir) {
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("rampart").toString().replace('\\', '/')
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000";
    return open(url, null, null, false);
  }

  /** PostgreSQL; credentials come from the URL or the environment, never from flags. */
  public static Database postgres(String url, String user, String password) {
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("--db-url must be a jdbc:postgresql:// URL");
    }
    return open(url, user, password, true);
  }

  private static Database open(String url, String user, String password, boolean postgres) {
    var cfg = new HikariConfig();
    cfg.setJdbcUrl(url);
    if (user != null) {
      cfg.setUsername(user);
    }
    if (password != null) {
      cfg.setPassword(password);
    }
    cfg.setMaximumPoolSize(postgres ? 16 : 8);
    cfg.setPoolName("rampart");
    var ds = new HikariDataSource(cfg);
    try {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    return new Database(ds, postgres);
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public boolean postgres() {
    return postgres;
  }

  public String describe() {
    return postgres ? "PostgreSQL " + dataSource.getJdbcUrl().replaceAll("//[^@/]*@", "//") : "embedded H2 " + dataSource.getJdbcUrl();
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
