package dev.rampart.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.integrity.hash.ModelHasher;
import dev.rampart.integrity.sign.Curve;
import dev.rampart.integrity.sign.ModelSigner;
import dev.rampart.integrity.sign.Pem;
import dev.rampart.integrity.sign.SigningKey;
import dev.rampart.server.RampartServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load on loopback: admission checks at a fixed arrival rate (open loop, so slow answers cannot hide queueing) and
 * promotions back to back, on the default embedded PostgreSQL, on H2 and on a PostgreSQL server given by URL; throughput
 * and p50/p99 latency. Every answer waits until its audit record is durable (fsync'd).
 */
public final class ServerBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ServerBenchmark() {}

  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "all";
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    System.out.printf("java %s, %d cores; admission at %d requests/s for %d s%n", Runtime.version(),
        Runtime.getRuntime().availableProcessors(), rate, seconds);
    System.out.println("| Database | Operation | Requests | Achieved/s | p50 (ms) | p99 (ms) | max (ms) | Errors |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    Path work = Files.createTempDirectory("rampart-server-bench");
    if (which.equals("both") || which.equals("all") || which.equals("embedded")) {
      try (var server = RampartServer.start(RampartServer.Config.embedded(work.resolve("embedded"), 0))) {
        run("PostgreSQL 14 (embedded, default)", server, rate, seconds, work);
      }
    }
    if (which.equals("all") || which.equals("h2")) {
      try (var server = RampartServer.start(RampartServer.Config.embedded(work.resolve("h2"), 0).withH2())) {
        run("H2 (embedded, --h2)", server, rate, seconds, work);
      }
    }
    if (which.equals("both") || which.equals("all") || which.equals("postgres")) {
      try (var pg = EmbeddedPostgres.builder().setServerConfig("fsync", "on").start();
          var server = RampartServer.start(RampartServer.Config.embedded(work.resolve("pg"), 0)
              .withDatabase(pg.getJdbcUrl("postgres", "postgres"), "postgres", null))) {
        run("PostgreSQL 14 (--db-url)", server, rate, seconds, work);
      }
    }
  }

  private static void run(String db, RampartServer server, int rate, int seconds, Path work) throws Exception {
    String base = "http://127.0.0.1:" + server.port();
    String token = server.bootstrapToken().orElseThrow();
    var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    call(http, base, token, "POST", "/api/v1/projects", Map.of("name", "bench"));
    var key = SigningKey.generate(Curve.P256);
    call(http, base, token, "POST", "/api/v1/projects/bench/keys", Map.of("name", "k", "publicKeyPem",
        Pem.encode("PUBLIC KEY", key.publicKey().getEncoded())));
    String[] digests = new String[2];
    for (int v = 0; v < 2; v++) {
      Path model = Files.createDirectories(work.resolve(db.replaceAll("\\W", "") + "-model-" + v));
      Files.writeString(model.resolve("config.json"), "{\"v\":" + v + "}");
      Files.write(model.resolve("weights.bin"), new byte[4096]);
      byte[] sig = ModelSigner.sign(model, key, List.of(), ModelHasher.Options.files(), work.resolve("x.sig")).toJson();
      digests[v] = upload(http, base, token, model, sig);
    }
    // dev is unprotected with a warn-only gate: each promotion deploys at once
    call(http, base, token, "POST", "/api/v1/projects/bench/promotions", Map.of("model", "m", "version", 1, "environment", "dev"));
    String admitPath = "/api/v1/projects/bench/environments/dev/admission";
    for (int i = 0; i < 300; i++) {
      call(http, base, token, "POST", admitPath, Map.of("digest", digests[0]));
    }
    var latencies = new ConcurrentLinkedQueue<Long>();
    var errors = new AtomicInteger();
    var pool = Executors.newVirtualThreadPerTaskExecutor();
    long total = (long) rate * seconds;
    long start = System.nanoTime();
    long interval = 1_000_000_000L / rate;
    for (long i = 0; i < total; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      String digest = digests[(int) (i % 5 == 0 ? 1 : 0)];
      pool.submit(() -> {
        long t0 = System.nanoTime();
        try {
          int status = call(http, base, token, "POST", admitPath, Map.of("digest", digest));
          if (status != 200) {
            errors.incrementAndGet();
          }
        } catch (Exception e) {
          errors.incrementAndGet();
        }
        latencies.add(System.nanoTime() - t0);
      });
    }
    pool.shutdown();
    pool.awaitTermination(2, TimeUnit.MINUTES);
    double elapsed = (System.nanoTime() - start) / 1e9;
    report(db, "admission (open loop)", latencies, elapsed, errors.get());

    var promo = new ConcurrentLinkedQueue<Long>();
    int promoErrors = 0;
    long p0 = System.nanoTime();
    int promotions = 400;
    for (int i = 0; i < promotions; i++) {
      long t0 = System.nanoTime();
      int status = call(http, base, token, "POST", "/api/v1/projects/bench/promotions",
          Map.of("model", "m", "version", 2 - (i % 2), "environment", "dev"));
      if (status != 201) {
        promoErrors++;
      }
      promo.add(System.nanoTime() - t0);
    }
    report(db, "promotion (sequential)", promo, (System.nanoTime() - p0) / 1e9, promoErrors);
  }

  private static void report(String db, String op, ConcurrentLinkedQueue<Long> latencies, double seconds, int errors) {
    long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(Locale.ROOT, "| %s | %s | %d | %.0f | %.2f | %.2f | %.2f | %d |%n", db, op, l.length, l.length / seconds,
        pct(l, 0.50), pct(l, 0.99), l[l.length - 1] / 1e6, errors);
  }

  private static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  private static int call(HttpClient http, String base, String token, String method, String path, Object body) throws Exception {
    var r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode();
  }

  private static String upload(HttpClient http, String base, String token, Path model, byte[] signature) throws Exception {
    String boundary = "b" + UUID.randomUUID();
    var out = new ByteArrayOutputStream();
    var parts = new ArrayList<Object[]>();
    for (String f : List.of("config.json", "weights.bin")) {
      parts.add(new Object[] {"file", f, Files.readAllBytes(model.resolve(f))});
    }
    parts.add(new Object[] {"signature", "model.sig", signature});
    for (Object[] p : parts) {
      out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p[0] + "\"; filename=\"" + p[1]
          + "\"\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes((byte[]) p[2]);
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    var r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/projects/bench/models/m/versions"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IllegalStateException("upload failed: " + r.body());
    }
    return JSON.readTree(r.body()).get("digest").asText();
  }

  static String describe(long[] a) {
    return Arrays.toString(a);
  }
}
