package dev.rampart.server;

import dev.rampart.server.admission.Admission;
import dev.rampart.server.api.Api;
import dev.rampart.server.artifacts.ArtifactStore;
import dev.rampart.server.artifacts.FileArtifactStore;
import dev.rampart.server.artifacts.S3ArtifactStore;
import dev.rampart.server.artifacts.S3Location;
import dev.rampart.server.audit.AuditLog;
import dev.rampart.server.auth.AuthService;
import dev.rampart.server.auth.Principal;
import dev.rampart.server.auth.Scope;
import dev.rampart.server.gate.PolicyEngine;
import dev.rampart.server.promotion.Promotions;
import dev.rampart.server.registry.ModelVersions;
import dev.rampart.server.registry.Registry;
import dev.rampart.server.store.Database;
import dev.rampart.server.store.Generation;
import dev.rampart.server.store.GroupCommit;
import dev.rampart.server.store.Writes;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;

/**
 * The Rampart control plane: registry, lineage, gates, approvals, admission, rollback and audit over one database
 * and one artifact store. Stateless apart from those, so instances can share a PostgreSQL database.
 *
 * <pre>{@code
 * try (var server = RampartServer.start(RampartServer.Config.embedded(Path.of("data"), 8080))) { ... }
 * }</pre>
 */
public final class RampartServer implements AutoCloseable {
  /**
   * Server settings.
   *
   * @param dbUrl a jdbc:postgresql URL, or empty for the embedded database in {@code dataDir}
   * @param embeddedH2 with no {@code dbUrl}: embedded H2 instead of the default embedded PostgreSQL
   * @param trustedProxies addresses of reverse proxies whose X-Forwarded-Proto is believed (TLS ends there)
   */
  public record Config(Path dataDir, String host, int port, Optional<String> dbUrl, Optional<String> dbUser,
      Optional<String> dbPassword, boolean embeddedH2, long maxUploadBytes, String auditOrigin,
      java.util.Set<String> trustedProxies, Optional<S3Location> objectStore) {
    public Config {
      trustedProxies = java.util.Set.copyOf(trustedProxies);
    }

    public Config withTrustedProxies(java.util.Collection<String> proxies) {
      return new Config(dataDir, host, port, dbUrl, dbUser, dbPassword, embeddedH2, maxUploadBytes, auditOrigin,
          java.util.Set.copyOf(proxies), objectStore);
    }

    /** Embedded PostgreSQL in {@code dataDir}, listening on loopback only until told otherwise. */
    public static Config embedded(Path dataDir, int port) {
      return new Config(dataDir, "127.0.0.1", port, Optional.empty(), Optional.empty(), Optional.empty(), false,
          4L << 30, "rampart.local/audit", java.util.Set.of(), Optional.empty());
    }

    public Config withDatabase(String url, String user, String password) {
      return new Config(dataDir, host, port, Optional.of(url), Optional.ofNullable(user), Optional.ofNullable(password),
          embeddedH2, maxUploadBytes, auditOrigin, trustedProxies, objectStore);
    }

    /** Embedded H2 in {@code dataDir} instead of embedded PostgreSQL. */
    public Config withH2() {
      return new Config(dataDir, host, port, dbUrl, dbUser, dbPassword, true, maxUploadBytes, auditOrigin, trustedProxies,
          objectStore);
    }

    public Config withMaxUpload(long bytes) {
      return new Config(dataDir, host, port, dbUrl, dbUser, dbPassword, embeddedH2, bytes, auditOrigin, trustedProxies,
          objectStore);
    }

    public Config withHost(String bind) {
      return new Config(dataDir, bind, port, dbUrl, dbUser, dbPassword, embeddedH2, maxUploadBytes, auditOrigin,
          trustedProxies, objectStore);
    }

    /** Artifacts in S3-compatible object storage instead of {@code dataDir/artifacts}. */
    public Config withObjectStore(S3Location location) {
      return new Config(dataDir, host, port, dbUrl, dbUser, dbPassword, embeddedH2, maxUploadBytes, auditOrigin,
          trustedProxies, Optional.of(location));
    }

    ArtifactStore openArtifactStore() throws IOException {
      return objectStore.isPresent() ? S3ArtifactStore.open(objectStore.get())
          : new FileArtifactStore(dataDir.resolve("artifacts"));
    }

    Database openDatabase() {
      if (dbUrl.isPresent()) {
        return Database.postgres(dbUrl.get(), dbUser.orElse(null), dbPassword.orElse(null));
      }
      return embeddedH2 ? Database.h2(dataDir) : Database.embeddedPostgres(dataDir);
    }
  }

  private final Database db;
  private final Javalin app;
  private final Api api;
  private final Optional<String> bootstrapToken;

  private final GroupCommit commits;
  private dev.rampart.server.witness.CheckpointPublisher witnesses;

  private RampartServer(Database db, Javalin app, Api api, Optional<String> bootstrapToken, GroupCommit commits) {
    this.commits = commits;
    this.db = db;
    this.app = app;
    this.api = api;
    this.bootstrapToken = bootstrapToken;
  }

  /**
   * How a server is deployed, beside its {@link Config}: HTTPS with a PEM certificate chain and key (then nothing is
   * served in plain HTTP), and an administrator token chosen outside the server, given by its SHA-256 only (a
   * Kubernetes Secret holds the hash; the token itself never reaches the cluster), adopted at the first start.
   */
  public record Startup(Optional<dev.rampart.server.tls.TlsConnector.PemFiles> tls, Optional<String> adminTokenSha256,
      dev.rampart.server.witness.Witnessing witnessing) {
    public static Startup defaults() {
      return new Startup(Optional.empty(), Optional.empty(), dev.rampart.server.witness.Witnessing.none());
    }

    public Startup withTls(dev.rampart.server.tls.TlsConnector.PemFiles files) {
      return new Startup(Optional.of(files), adminTokenSha256, witnessing);
    }

    public Startup withAdminTokenSha256(String hex) {
      return new Startup(tls, Optional.of(dev.rampart.server.auth.PresetToken.checkHash(hex)), witnessing);
    }

    /** Publishes the audit checkpoints through these witnesses. */
    public Startup withWitnessing(dev.rampart.server.witness.Witnessing w) {
      return new Startup(tls, adminTokenSha256, w);
    }
  }

  /** Publishes the audit log's checkpoints through witnesses (wired here so the witness package never needs the log's). */
  private static dev.rampart.server.witness.CheckpointPublisher witnessPublisher(dev.rampart.server.witness.Witnessing witnessing,
      AuditLog audit, java.nio.file.Path keyDir) {
    var logKey = dev.rampart.integrity.log.NoteKey.of(audit.origin(), dev.rampart.integrity.log.NoteKey.ED25519, audit.publicKey());
    return new dev.rampart.server.witness.CheckpointPublisher(witnessing.witnesses(), witnessing.quorum(), logKey,
        new dev.rampart.server.witness.CheckpointPublisher.Tree() {
          @Override
          public long size() {
            return audit.size();
          }

          @Override
          public byte[] root(long size) {
            return audit.root(size);
          }

          @Override
          public java.util.List<byte[]> consistencyProof(long first, long second) {
            return audit.consistencyProof(first, second);
          }
        }, keyDir);
  }

  public static RampartServer start(Config config) throws IOException {
    return start(config, Startup.defaults());
  }

  /** Starts the server, publishing its audit checkpoints through witnesses. */
  public static RampartServer start(Config config, dev.rampart.server.witness.Witnessing witnessing) throws IOException {
    return start(config, Startup.defaults().withWitnessing(witnessing));
  }

  public static RampartServer start(Config config, Startup startup) throws IOException {
    var https = startup.tls().map(files -> dev.rampart.server.tls.TlsConnector.load(files, config.host(), config.port()));
    var witnessing = startup.witnessing();
    Files.createDirectories(config.dataDir());
    Database db = config.openDatabase();
    try {
      var clock = Clock.systemUTC();
      var audit = new AuditLog(db.jdbi(), config.dataDir().resolve("keys"), config.auditOrigin(), clock);
      // servers sharing an operator's PostgreSQL see each other's changes through the database's generation
      var generation = db.engine() == Database.Engine.POSTGRES ? Generation.sharedThrough(db.jdbi()) : new Generation();
      var writes = new Writes(db, audit, generation);
      var auth = new AuthService(db.jdbi(), clock, generation);
      var registry = new Registry(db.jdbi(), writes, audit, clock);
      var store = config.openArtifactStore();
      var attestations = new dev.rampart.server.facts.Attestations(db.jdbi(), writes, audit, clock);
      var poison = new dev.rampart.server.facts.Poison(writes, audit, clock);
      var models = new ModelVersions(registry, writes, audit, store, config.dataDir().resolve("tmp"), config.maxUploadBytes(),
          attestations);
      var promotions = new Promotions(db.jdbi(), writes, audit, registry, new PolicyEngine());
      if (audit.states().size() == 0 && audit.divergence().isEmpty() && audit.states().untrusted().isEmpty()) {
        writes.run(audit::adoptState); // a registry from before state binding: its rows are bound once, in the log
      }
      var commits = new GroupCommit(writes);
      var admission = new Admission(db.jdbi(), commits, audit, registry, generation, promotions);
      var monitoring = new dev.rampart.server.monitor.Monitoring(db.jdbi(), writes, audit, registry, promotions);
      var api = new Api(new Api.Services(auth, registry, models, promotions, admission, monitoring, audit, writes,
          generation, attestations, poison),
          config.maxUploadBytes(), config.trustedProxies());
      Optional<String> bootstrap = Optional.empty();
      if (!auth.anyPrincipal() && startup.adminTokenSha256().isPresent()) {
        writes.run(h -> dev.rampart.server.auth.PresetToken.adopt(h, audit, startup.adminTokenSha256().get(), clock));
      } else if (!auth.anyPrincipal()) {
        bootstrap = Optional.of(writes.run(h -> {
          long id = auth.createPrincipal(h, "admin", Principal.Kind.USER, true);
          var t = auth.issue(h, id, EnumSet.of(Scope.ADMIN), Duration.ofDays(30));
          audit.append(h, "principal.bootstrapped", "rampart", Map.of("principal", "admin"));
          return t.token();
        }));
      }
      dev.rampart.server.witness.CheckpointPublisher publisher = null;
      if (witnessing.any()) {
        publisher = witnessPublisher(witnessing, audit, config.dataDir().resolve("keys"));
        audit.publishThrough(publisher);
      }
      var metrics = new dev.rampart.server.metrics.Metrics(db.jdbi(), audit);
      Javalin app = api.app(javalin -> {
        https.ifPresent(t -> javalin.jetty.addConnector(t::connector));
        metrics.register(javalin);
      }).start(config.host(), config.port());
      var server = new RampartServer(db, app, api, bootstrap, commits);
      server.witnesses = publisher;
      return server;
    } catch (IOException | RuntimeException e) {
      db.close();
      throw e;
    }
  }

  public int port() {
    return app.port();
  }

  /** The administrator token created at first start; printed once and never stored. */
  public Optional<String> bootstrapToken() {
    return bootstrapToken;
  }

  public Database database() {
    return db;
  }

  public Api api() {
    return api;
  }

  @Override
  public void close() {
    if (witnesses != null) {
      witnesses.close();
    }
    app.stop();
    commits.close();
    db.close();
  }
}
