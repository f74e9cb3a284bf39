package dev.rampart.cli;

import dev.rampart.server.RampartServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rampart server}: the control plane. */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = {"Runs the Rampart control plane: registry, lineage, policy gates, approvals, admission, rollback and audit.",
        "PostgreSQL run in the data folder by default (every acknowledged write is on disk); --db-url"
            + " jdbc:postgresql://... for an operator's server (credentials from RAMPART_DB_USER and RAMPART_DB_PASSWORD)."})
final class ServerCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", defaultValue = "${env:RAMPART_PORT:-8080}", description = "Port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind", defaultValue = "${env:RAMPART_BIND:-127.0.0.1}",
      description = "Address to listen on (default: ${DEFAULT-VALUE}; use 0.0.0.0 to serve other hosts, behind TLS).")
  String bind;

  @Option(names = "--data-dir", defaultValue = "${env:RAMPART_DATA_DIR:-rampart-data}",
      description = "Database, artifacts and keys (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--db-url", defaultValue = "${env:RAMPART_DB_URL}", description = "A jdbc:postgresql:// URL.")
  String dbUrl;

  @Option(names = "--trusted-proxy", split = ",", paramLabel = "ADDRESS",
      description = "Address of a reverse proxy that ends TLS; its X-Forwarded-Proto: https makes the console cookie Secure.")
  java.util.List<String> trustedProxies = new java.util.ArrayList<>();
  @Option(names = "--h2",
      description = "Embedded H2 in the data folder instead of the embedded PostgreSQL (evaluation only: not crash-durable).")
  boolean h2;

  @Option(names = "--artifacts", defaultValue = "${env:RAMPART_ARTIFACTS}", paramLabel = "s3://BUCKET/PREFIX",
      description = {"Keep model files in S3-compatible object storage instead of the data folder; credentials and"
          + " region from the AWS default chains (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_REGION, profile, role)."})
  String artifacts;

  @Option(names = "--s3-endpoint", defaultValue = "${env:RAMPART_S3_ENDPOINT}", paramLabel = "URL",
      description = "The S3 API's URL, for S3-compatible servers other than AWS.")
  java.net.URI s3Endpoint;

  @Option(names = "--s3-path-style", description = "Address buckets as URL paths (http://host/bucket/key), as many"
      + " S3-compatible servers require.")
  boolean s3PathStyle;

  @Option(names = "--telemetry-kafka", defaultValue = "${env:RAMPART_TELEMETRY_KAFKA}", paramLabel = "BOOTSTRAP",
      description = {"Also consume signed telemetry envelopes from Kafka (host:port,...) as a member of a consumer group;"
          + " offsets are kept in the database."})
  String telemetryKafka;

  @Option(names = "--telemetry-topic", defaultValue = "rampart-telemetry", paramLabel = "TOPIC",
      description = "Kafka topic of telemetry envelopes (default: ${DEFAULT-VALUE}).")
  String telemetryTopic;

  @Option(names = "--telemetry-group", defaultValue = "rampart-monitors", paramLabel = "GROUP",
      description = "Consumer group the replicas share (default: ${DEFAULT-VALUE}).")
  String telemetryGroup;

  @Option(names = "--max-upload", defaultValue = "4294967296", paramLabel = "BYTES", description = "Largest model upload.")
  long maxUpload;

  @Option(names = "--witness", paramLabel = "NAME=URL=VKEY",
      description = "A witness to publish each audit checkpoint to (C2SP tlog-witness; repeatable).")
  java.util.List<String> witnesses = new java.util.ArrayList<>();

  @Option(names = "--witness-quorum", defaultValue = "0", paramLabel = "K", description = {"Serve a checkpoint as"
      + " current only once K witnesses cosigned it (default: ${DEFAULT-VALUE}; writes never wait, the served checkpoint lags)."})
  int witnessQuorum;

  @Option(names = "--tls-cert", defaultValue = "${env:RAMPART_TLS_CERT}", paramLabel = "CHAIN.pem",
      description = "Serve HTTPS only, with this PEM certificate chain (server certificate first); needs --tls-key.")
  Path tlsCert;

  @Option(names = "--tls-key", defaultValue = "${env:RAMPART_TLS_KEY}", paramLabel = "KEY.pem",
      description = "The unencrypted PEM private key of --tls-cert (PKCS#8, EC or RSA).")
  Path tlsKey;

  @Option(names = "--admin-token-sha256", defaultValue = "${env:RAMPART_ADMIN_TOKEN_SHA256}", paramLabel = "HEX",
      description = {"On a fresh database, make the administrator's token the one with this SHA-256 instead of printing"
          + " a new one (for deployments whose secret store holds the hash: printf %s \"$TOKEN\" | sha256sum)."})
  String adminTokenSha256;

  @Option(names = "--new-admin-token",
      description = "Print a new administrator token and its SHA-256 for --admin-token-sha256 (or a Helm value), then exit.")
  boolean newAdminToken;

  @Option(names = "--demo", description = {"Start on a fresh embedded database in a temporary folder with a generated "
          + "workspace (a project with clean and poisoned data, benign and malicious models, approvals, a production "
          + "deployment, a rollback, a blocked promotion and a drift alert), and print sign-in tokens for the console."})
  boolean demo;

  @Override
  public Integer call() throws Exception {
    if (newAdminToken) {
      String token = dev.rampart.server.auth.Tokens.generate(dev.rampart.server.auth.Principal.Kind.USER);
      var out = spec.commandLine().getOut();
      out.println("token:  " + token + "   (keep it in your secret store; it is not kept anywhere else)");
      out.println("sha256: " + dev.rampart.server.auth.Tokens.hash(token) + "   (give this to --admin-token-sha256)");
      out.flush();
      return 0;
    }
    if (demo) {
      return runDemo();
    }
    var config = RampartServer.Config.embedded(dataDir, port).withHost(bind).withMaxUpload(maxUpload)
        .withTrustedProxies(trustedProxies);
    if (h2) {
      config = config.withH2();
    }
    if (dbUrl != null && !dbUrl.isBlank()) {
      config = config.withDatabase(dbUrl, System.getenv("RAMPART_DB_USER"), System.getenv("RAMPART_DB_PASSWORD"));
    }
    if (artifacts != null && !artifacts.isBlank()) {
      config = config.withObjectStore(dev.rampart.server.artifacts.S3Location.parse(artifacts,
          java.util.Optional.ofNullable(s3Endpoint), s3PathStyle));
    }
    var err = spec.commandLine().getErr();
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together: the certificate chain and its private key");
    }
    var witnessing = new dev.rampart.server.witness.Witnessing(
        witnesses.stream().map(dev.rampart.server.witness.WitnessEndpoint::parse).toList(), witnessQuorum);
    var startup = RampartServer.Startup.defaults().withWitnessing(witnessing);
    if (tlsCert != null) {
      startup = startup.withTls(new dev.rampart.server.tls.TlsConnector.PemFiles(tlsCert, tlsKey));
    }
    if (adminTokenSha256 != null && !adminTokenSha256.isBlank()) {
      startup = startup.withAdminTokenSha256(adminTokenSha256);
    }
    String scheme = tlsCert != null ? "https" : "http";
    var server = RampartServer.start(config, startup);
    String logVkey = dev.rampart.integrity.log.NoteKey.of(config.auditOrigin(), dev.rampart.integrity.log.NoteKey.ED25519,
        dev.rampart.integrity.log.LogKeys.loadPublic(config.dataDir().resolve("keys"))).vkey();
    err.println("rampart: audit log verifier key (for witnesses): " + logVkey);
    if (witnessing.any()) {
      err.println("rampart: publishing audit checkpoints through " + witnesses.size() + " witness(es), quorum "
          + witnessQuorum);
    }
    err.println("rampart: serving on " + scheme + "://" + bind + ":" + server.port() + "  (API at /api/v1, description at /api/v1/openapi.json)");
    err.println("rampart: database: " + server.database().describe());
    if (telemetryKafka != null && !telemetryKafka.isBlank()) {
      var worker = dev.rampart.server.stream.TelemetryConsumer.start(new dev.rampart.server.stream.TelemetryConsumer.Settings(
          telemetryKafka, telemetryTopic, telemetryGroup), server.api().services());
      Runtime.getRuntime().addShutdownHook(new Thread(worker::close));
      err.println("rampart: telemetry: Kafka " + telemetryKafka + ", topic " + telemetryTopic + ", group " + telemetryGroup);
    }
    err.println("rampart: artifacts: " + (artifacts != null && !artifacts.isBlank() ? artifacts : dataDir.resolve("artifacts")));
    if (!server.database().postgres()) {
      err.println("rampart: embedded H2 is for evaluation: it can lose acknowledged writes in a crash;"
          + " the default embedded PostgreSQL does not");
    }
    server.bootstrapToken().ifPresent(t -> {
      var out = spec.commandLine().getOut();
      out.println("First start: an administrator token was created. It is shown only now; store it safely:");
      out.println();
      out.println("  export RAMPART_URL=" + scheme + "://" + ("0.0.0.0".equals(bind) ? "127.0.0.1" : bind) + ":" + server.port());
      out.println("  export RAMPART_TOKEN=" + t);
      out.println("  export RAMPART_LOG_VKEY=" + logVkey);
      out.println();
      out.flush();
    });
    err.flush();
    awaitShutdown(server, null);
    return 0;
  }

  private int runDemo() throws Exception {
    if (dbUrl != null && !dbUrl.isBlank()) {
      throw new IllegalArgumentException("--demo runs on its own embedded database; leave out --db-url");
    }
    var err = spec.commandLine().getErr();
    Path dir = java.nio.file.Files.createTempDirectory("rampart-demo-");
    RampartServer server;
    try {
      server = RampartServer.start(RampartServer.Config.embedded(dir.resolve("data"), port).withHost(bind)
          .withMaxUpload(maxUpload));
    } catch (RuntimeException | java.io.IOException e) {
      deleteTree(dir);
      throw e;
    }
    String host = "0.0.0.0".equals(bind) ? "127.0.0.1" : bind;
    String url = "http://" + host + ":" + server.port();
    err.println("rampart: building the demo workspace (scans, signatures, data checks, gates, telemetry)...");
    err.flush();
    DemoWorkspace.Tokens tokens;
    try {
      tokens = DemoWorkspace.populate(url, server.bootstrapToken().orElseThrow(), dir.resolve("work"));
    } catch (Exception e) {
      server.close();
      deleteTree(dir);
      throw e;
    }
    var out = spec.commandLine().getOut();
    out.println("Rampart demo is running. Open " + url + "/ and sign in with one of these tokens:");
    out.println();
    out.println("  administrator  " + tokens.admin());
    out.println("  approver (bob) " + tokens.approver());
    out.println("  viewer         " + tokens.viewer());
    out.println();
    out.println("The workspace is in " + dir + " and is deleted when you stop the server (Ctrl-C).");
    out.println("For the API: export RAMPART_URL=" + url + " RAMPART_TOKEN=" + tokens.admin());
    out.flush();
    awaitShutdown(server, dir);
    return 0;
  }

  private static void awaitShutdown(RampartServer server, Path deleteAfter) throws InterruptedException {
    var stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      if (deleteAfter != null) {
        deleteTree(deleteAfter);
      }
      stop.countDown();
    }));
    stop.await();
  }

  private static void deleteTree(Path dir) {
    try (var files = java.nio.file.Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException ignored) {
      // a temporary folder; the system cleans it up eventually
    }
  }
}
