package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission latency with replicas (three by default) on one PostgreSQL under an open-loop load: requests are
 * started on a fixed schedule whatever the answers' speed, and each latency is counted from its scheduled start, so a stall shows in the
 * tail instead of slowing the load. Every admission call writes its audited record through the shared log head.
 * Run with {@code -Drampart.long=true -Drampart.load.replicas=3 -Drampart.load.rate=500 -Drampart.load.seconds=20}.
 */
@EnabledIfSystemProperty(named = "rampart.long", matches = "true")
class ReplicasLoadTest {
  @TempDir Path tmp;

  @Test
  void admissionLatencyWithReplicas() throws Exception {
    int rate = Integer.getInteger("rampart.load.rate", 500);
    int seconds = Integer.getInteger("rampart.load.seconds", 20);
    int replicas = Integer.getInteger("rampart.load.replicas", 3);
    try (var postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "on").start()) {
      var servers = new ArrayList<RampartServer>();
      try {
        for (int i = 0; i < replicas; i++) {
          Path data = tmp.resolve("replica-" + i);
          if (i > 0) {
            Files.createDirectories(data.resolve("keys"));
            for (String f : new String[] {"log-key.pem", "log-key.pub"}) {
              Files.copy(tmp.resolve("replica-0/keys").resolve(f), data.resolve("keys").resolve(f));
            }
          }
          servers.add(RampartServer.start(RampartServer.Config.embedded(data, 0)
              .withDatabase(postgres.getJdbcUrl("postgres", "postgres"), "postgres", null)));
        }
        var http = servers.stream().map(s -> new Http(s.port())).toList();
        String admin = servers.get(0).bootstrapToken().orElseThrow();
        assertThat(http.get(0).post("/api/v1/projects", admin, Map.of("name", "iris")).status()).isEqualTo(201);
        assertThat(http.get(0).post("/api/v1/principals", admin, Map.of("name", "deploy-bot", "kind", "service")).status())
            .isEqualTo(201);
        assertThat(http.get(0).put("/api/v1/projects/iris/members/deploy-bot", admin, Map.of("role", "approver")).status())
            .isEqualTo(204);
        String bot = http.get(0).post("/api/v1/tokens", admin, Map.of("principal", "deploy-bot", "scopes", "read,write",
            "ttlDays", 7)).json().get("token").asText();
        String path = "/api/v1/projects/iris/environments/production/admission";
        Map<String, String> body = Map.of("digest", "ab".repeat(32));
        for (int i = 0; i < 300; i++) {
          http.get(i % replicas).post(path, bot, body);
        }
        int n = rate * seconds;
        long[] latencies = new long[n];
        var errors = new AtomicInteger();
        var done = new CountDownLatch(n);
        long start = System.nanoTime() + 50_000_000L;
        long interval = 1_000_000_000L / rate;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
          for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            int k = i;
            pool.submit(() -> {
              int status = http.get(k % replicas).post(path, bot, body).status();
              latencies[k] = System.nanoTime() - due;
              if (status != 200) {
                errors.incrementAndGet();
              }
              done.countDown();
            });
          }
          done.await();
        }
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        String result = String.format(java.util.Locale.ROOT,
            "replicas=%d rate=%d/s seconds=%d requests=%d errors=%d p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms",
            replicas, rate, seconds, n, errors.get(), sorted[n / 2] / 1e6, sorted[(int) (n * 0.9)] / 1e6,
            sorted[(int) (n * 0.99)] / 1e6, sorted[n - 1] / 1e6);
        System.out.println(result);
        Files.writeString(Path.of("target", "replicas-load.txt"), result + System.lineSeparator());
        assertThat(errors.get()).isZero();
        try (var c = postgres.getPostgresDatabase().getConnection(); var s = c.createStatement();
            var rs = s.executeQuery("select count(*), max(idx) from audit_entries")) {
          rs.next();
          assertThat(rs.getLong(2)).as("dense under load").isEqualTo(rs.getLong(1) - 1);
        }
        List<Boolean> verified = http.stream().map(h -> h.get("/api/v1/audit/verify", admin).json().get("ok").asBoolean()).toList();
        assertThat(verified).containsOnly(true);
      } finally {
        servers.forEach(RampartServer::close);
      }
    }
  }
}
