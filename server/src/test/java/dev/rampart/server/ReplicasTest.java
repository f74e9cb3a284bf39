package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three servers behind one load balancer share one PostgreSQL and one audit log key. Concurrent state changes and
 * admissions through all of them leave one log with dense indices and one checkpoint per size that every replica
 * serves and verifies; a token revoked on one is refused by the others on their next request; a console session
 * opened on one works on the others.
 */
class ReplicasTest {
  private static final int REPLICAS = 3;
  private static final String DIGEST = "ab".repeat(32);

  @TempDir Path tmp;
  EmbeddedPostgres postgres;
  final List<RampartServer> servers = new ArrayList<>();
  final List<Http> http = new ArrayList<>();
  String admin;

  @BeforeEach
  void startReplicas() throws Exception {
    postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "on").start();
    for (int i = 0; i < REPLICAS; i++) {
      Path data = tmp.resolve("replica-" + i);
      if (i > 0) {
        // replicas sign with one log key, as a mounted secret would give them
        Files.createDirectories(data.resolve("keys"));
        for (String f : new String[] {"log-key.pem", "log-key.pub"}) {
          Files.copy(tmp.resolve("replica-0/keys").resolve(f), data.resolve("keys").resolve(f));
        }
      }
      servers.add(start(data));
      http.add(new Http(servers.get(i).port()));
    }
    admin = servers.get(0).bootstrapToken().orElseThrow();
    assertThat(servers.get(1).bootstrapToken()).as("the administrator exists already").isEmpty();
  }

  private RampartServer start(Path data) throws Exception {
    return RampartServer.start(RampartServer.Config.embedded(data, 0)
        .withDatabase(postgres.getJdbcUrl("postgres", "postgres"), "postgres", null));
  }

  @AfterEach
  void stop() throws Exception {
    servers.forEach(RampartServer::close);
    postgres.close();
  }

  /** A service principal that may call admission for the project, with a fresh token issued through replica 0. */
  private String[] deployBot(String name) {
    var a = http.get(0);
    assertThat(a.post("/api/v1/principals", admin, Map.of("name", name, "kind", "service")).status()).isEqualTo(201);
    assertThat(http.get(1).put("/api/v1/projects/iris/members/" + name, admin, Map.of("role", "approver")).status())
        .isEqualTo(204);
    var t = http.get(2).post("/api/v1/tokens", admin, Map.of("principal", name, "scopes", "read,write", "ttlDays", 7));
    assertThat(t.status()).as(t.body()).isEqualTo(201);
    return new String[] {t.json().get("token").asText(), t.json().get("id").asText()};
  }

  private int admit(int replica, String token) {
    return http.get(replica).post("/api/v1/projects/iris/environments/production/admission", token,
        Map.of("digest", DIGEST)).status();
  }

  @Test
  void concurrentWritesThroughEveryReplicaMakeOneDenseLog() throws Exception {
    assertThat(http.get(0).post("/api/v1/projects", admin, Map.of("name", "iris")).status()).isEqualTo(201);
    String bot = deployBot("deploy-bot")[0];
    ExecutorService pool = Executors.newFixedThreadPool(2 * REPLICAS);
    var results = new ArrayList<Future<List<Integer>>>();
    for (int t = 0; t < 2 * REPLICAS; t++) {
      int replica = t % REPLICAS;
      int thread = t;
      results.add(pool.submit(() -> {
        var statuses = new ArrayList<Integer>();
        for (int i = 0; i < 6; i++) {
          statuses.add(http.get(replica).post("/api/v1/principals", admin,
              Map.of("name", "svc-" + thread + "-" + i, "kind", "service")).status());
          statuses.add(admit(replica, bot));
        }
        return statuses;
      }));
    }
    for (var f : results) {
      assertThat(f.get()).as("every state change (201) and admission (200) is acknowledged").containsOnly(201, 200);
    }
    pool.shutdown();

    try (var c = postgres.getPostgresDatabase().getConnection(); var s = c.createStatement();
        var rs = s.executeQuery("select count(*), min(idx), max(idx), count(distinct idx) from audit_entries")) {
      rs.next();
      long n = rs.getLong(1);
      assertThat(n).isGreaterThan(2L * REPLICAS * 6 * 2);
      assertThat(rs.getLong(2)).isZero();
      assertThat(rs.getLong(3)).as("indices are dense").isEqualTo(n - 1);
      assertThat(rs.getLong(4)).isEqualTo(n);
    }
    for (Http h : http) {
      var v = h.get("/api/v1/audit/verify", admin).json();
      assertThat(v.get("ok").asBoolean()).as(v.toString()).isTrue();
    }
    // batched admission entries are covered by a checkpoint a replica signs once its writer is idle (within about a
    // second): once that has happened, every replica serves the one latest checkpoint
    var served = new java.util.ArrayList<String>();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
    do {
      Thread.sleep(served.isEmpty() ? 0 : 250);
      served.clear();
      for (Http h : http) {
        served.add(h.get("/api/v1/audit/checkpoint", admin).body());
      }
    } while (served.stream().distinct().count() > 1 && System.nanoTime() < deadline);
    assertThat(served).as("every replica serves the same latest checkpoint").containsOnly(served.getFirst());
    for (Http h : http) {
      var proof = h.get("/api/v1/audit/consistency?first=3", admin);
      assertThat(proof.status()).as(proof.body()).isEqualTo(200);
    }
  }

  @Test
  void aTokenRevokedOnOneReplicaIsRefusedByTheOthersOnTheirNextRequest() {
    assertThat(http.get(0).post("/api/v1/projects", admin, Map.of("name", "iris")).status()).isEqualTo(201);
    String[] bot = deployBot("deploy-bot");
    for (int r = 0; r < REPLICAS; r++) {
      assertThat(admit(r, bot[0])).as("replica %d knows the token (and caches it)", r).isEqualTo(200);
    }
    assertThat(http.get(0).send("DELETE", "/api/v1/tokens/" + bot[1], admin, null).status()).isEqualTo(204);
    for (int r = 0; r < REPLICAS; r++) {
      assertThat(admit(r, bot[0])).as("replica %d refuses the revoked token at once", r).isEqualTo(401);
    }
  }

  @Test
  void aConsoleSessionOpenedOnOneReplicaWorksOnTheOthers() {
    var signIn = http.get(0).browser("POST", "/login", null, Map.of("token", admin, "next", "/"));
    assertThat(signIn.statusCode()).isEqualTo(303);
    String set = signIn.headers().firstValue("Set-Cookie").orElseThrow();
    String cookie = set.substring(set.indexOf('=') + 1, set.indexOf(';'));
    for (int r = 1; r < REPLICAS; r++) {
      var page = http.get(r).browser("GET", "/", cookie, null);
      assertThat(page.statusCode()).as("replica %d", r).isEqualTo(200);
      assertThat(page.body()).contains("admin");
    }
    var out = http.get(2).browser("POST", "/logout", cookie, Map.of("csrf", csrf(cookie)));
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(http.get(1).browser("GET", "/", cookie, null).statusCode()).as("signed out everywhere").isNotEqualTo(200);
  }

  /** The console's form token: HMAC-SHA256 of a fixed label under the cookie. */
  private static String csrf(String cookie) {
    try {
      var mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(cookie.getBytes(java.nio.charset.StandardCharsets.US_ASCII), "HmacSHA256"));
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
          mac.doFinal("rampart-console-csrf".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aReplicaWithAnotherLogKeyRefusesToExtendTheLog() throws Exception {
    assertThat(http.get(0).post("/api/v1/projects", admin, Map.of("name", "iris")).status()).isEqualTo(201);
    try (var stranger = start(tmp.resolve("stranger"))) {
      var r = new Http(stranger.port()).post("/api/v1/projects", admin, Map.of("name", "other"));
      assertThat(r.status()).as(r.body()).isGreaterThanOrEqualTo(500);
    }
    var v = http.get(0).get("/api/v1/audit/verify", admin).json();
    assertThat(v.get("ok").asBoolean()).as(v.toString()).isTrue();
    assertThat(http.get(1).post("/api/v1/projects", admin, Map.of("name", "still-fine")).status()).isEqualTo(201);
  }
}
