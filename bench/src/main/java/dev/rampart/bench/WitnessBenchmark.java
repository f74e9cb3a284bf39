package dev.rampart.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.integrity.log.Checkpoint;
import dev.rampart.integrity.log.Cosignature;
import dev.rampart.integrity.log.LogKeys;
import dev.rampart.integrity.log.Merkle;
import dev.rampart.integrity.log.NoteKey;
import dev.rampart.integrity.log.NoteSigner;
import dev.rampart.integrity.log.SignedNote;
import dev.rampart.server.RampartServer;
import dev.rampart.server.witness.AddCheckpoint;
import dev.rampart.server.witness.Witness;
import dev.rampart.server.witness.WitnessEndpoint;
import dev.rampart.server.witness.WitnessServer;
import dev.rampart.server.witness.WitnessState;
import dev.rampart.server.witness.Witnessing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The added cost of one witness cosignature per checkpoint, on loopback: (1) one {@code add-checkpoint} round trip
 * to a witness (log signature and consistency proof checked, state fsync'd, cosignature made); (2) an audited write
 * (a project created) on a server without witnesses and on one with a witness and quorum 1, and how long after the
 * write's answer its checkpoint is served cosigned. Writes never wait for the witness; the lag is what a client sees.
 */
public final class WitnessBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORIGIN = "rampart.local/audit";

  private WitnessBenchmark() {}

  public static void main(String[] args) throws Exception {
    String store = args.length > 0 ? args[0] : "h2";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    Path work = Files.createTempDirectory("rampart-witness-bench");
    System.out.printf("java %s, %d cores; %d operations each%n", Runtime.version(), Runtime.getRuntime().availableProcessors(), n);
    System.out.println("| Measurement | Count | p50 (ms) | p99 (ms) | max (ms) |");
    System.out.println("|---|---|---|---|---|");
    witnessRoundTrips(work.resolve("witness-only"), n);
    writes(work.resolve("plain"), store, n, false);
    writes(work.resolve("witnessed"), store, n, true);
  }

  private static void witnessRoundTrips(Path dir, int n) throws Exception {
    var log = NoteSigner.generate(ORIGIN);
    var witness = new Witness(NoteSigner.generate("bench.witness/w1"), Map.of(ORIGIN, List.of(log.key(NoteKey.ED25519))),
        new WitnessState(dir), Clock.systemUTC());
    var leaves = new ArrayList<byte[]>();
    var latencies = new ArrayList<Long>();
    var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (var server = WitnessServer.start(witness, "127.0.0.1", 0)) {
      var uri = URI.create("http://127.0.0.1:" + server.port() + "/add-checkpoint");
      for (int i = 0; i < n + 20; i++) {
        long old = leaves.size();
        leaves.add(Merkle.leafHash(("entry " + i).getBytes(StandardCharsets.UTF_8)));
        var tree = Merkle.inMemory(leaves);
        String note = new Checkpoint(ORIGIN, leaves.size(), tree.range(0, leaves.size()))
            .sign(ORIGIN, log.keys().getPrivate(), log.keys().getPublic());
        List<byte[]> proof = old == 0 ? List.of() : Merkle.consistencyProof(tree, old, leaves.size());
        String body = new AddCheckpoint(old, proof, note).format();
        long t0 = System.nanoTime();
        var r = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        long t = System.nanoTime() - t0;
        if (r.statusCode() != 200) {
          throw new IllegalStateException("the witness refused: " + r.statusCode() + " " + r.body());
        }
        if (i >= 20) {
          latencies.add(t);
        }
      }
    }
    report("witness add-checkpoint round trip (verify, proof, fsync, cosign)", latencies);
  }

  private static void writes(Path dir, String store, int n, boolean witnessed) throws Exception {
    var config = RampartServer.Config.embedded(dir.resolve("data"), 0);
    if (store.equals("h2")) {
      config = config.withH2();
    }
    WitnessServer witnessServer = null;
    var witnessing = Witnessing.none();
    NoteSigner witnessKey = NoteSigner.generate("bench.witness/w1");
    if (witnessed) {
      var logKey = LogKeys.loadOrCreate(dir.resolve("data/keys"));
      var witness = new Witness(witnessKey, Map.of(ORIGIN, List.of(NoteKey.of(ORIGIN, NoteKey.ED25519, logKey.getPublic()))),
          new WitnessState(dir.resolve("witness")), Clock.systemUTC());
      witnessServer = WitnessServer.start(witness, "127.0.0.1", 0);
      witnessing = new Witnessing(List.of(new WitnessEndpoint(witnessKey.name(),
          URI.create("http://127.0.0.1:" + witnessServer.port()), witnessKey.key(NoteKey.COSIGNATURE_V1))), 1);
    }
    var latencies = new ArrayList<Long>();
    var lags = new ArrayList<Long>();
    var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (var server = RampartServer.start(config, witnessing)) {
      String base = "http://127.0.0.1:" + server.port();
      String token = server.bootstrapToken().orElseThrow();
      var audit = server.api().services().audit();
      for (int i = 0; i < n + 20; i++) {
        long t0 = System.nanoTime();
        var r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/projects"))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("name", "p" + i)))).build(),
            HttpResponse.BodyHandlers.ofString());
        long t1 = System.nanoTime();
        if (r.statusCode() != 201) {
          throw new IllegalStateException("write failed: " + r.body());
        }
        if (witnessed) {
          long size = audit.size();
          while (cosignedSize(audit.latestCheckpointOrNull(), witnessKey) < size) {
            java.util.concurrent.locks.LockSupport.parkNanos(200_000); // a spin would take a core from the server
          }
          if (i >= 20) {
            lags.add(System.nanoTime() - t1);
          }
        }
        if (i >= 20) {
          latencies.add(t1 - t0);
        }
      }
    } finally {
      if (witnessServer != null) {
        witnessServer.close();
      }
    }
    String db = store.equals("h2") ? "H2" : "embedded PostgreSQL";
    report("audited write on " + db + (witnessed ? ", 1 witness, quorum 1" : ", no witness"), latencies);
    if (witnessed) {
      report("write answered to its checkpoint served cosigned (" + db + ")", lags);
    }
  }

  private static long cosignedSize(String note, NoteSigner witness) {
    if (note == null) {
      return -1;
    }
    try {
      var signed = SignedNote.parse(note);
      return Cosignature.verified(signed, List.of(witness.key(NoteKey.COSIGNATURE_V1))).isEmpty() ? -1
          : Checkpoint.parseText(signed.text()).size();
    } catch (Exception e) {
      return -1;
    }
  }

  private static void report(String what, List<Long> nanos) {
    long[] l = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f |%n", what, l.length, pct(l, 0.5), pct(l, 0.99),
        l[l.length - 1] / 1e6);
  }

  private static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }
}
