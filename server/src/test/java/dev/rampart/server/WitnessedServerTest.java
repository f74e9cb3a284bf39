package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.integrity.log.Checkpoint;
import dev.rampart.integrity.log.Cosignature;
import dev.rampart.integrity.log.NoteKey;
import dev.rampart.integrity.log.NoteSigner;
import dev.rampart.integrity.log.SignedNote;
import dev.rampart.server.witness.Witness;
import dev.rampart.server.witness.WitnessEndpoint;
import dev.rampart.server.witness.WitnessServer;
import dev.rampart.server.witness.WitnessState;
import dev.rampart.server.witness.Witnessing;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server publishing its audit checkpoints through a witness, both on 127.0.0.1 over real HTTP: the served
 * checkpoint carries the witness's cosignature; with a quorum, writes made while the witness is down stay durable
 * and acknowledged, the served checkpoint lags (and says so), and it catches up once the witness is back.
 */
class WitnessedServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final NoteSigner witnessKey = NoteSigner.generate("witness.test/w1");
  @TempDir Path tmp;

  private WitnessServer witness(int port) throws Exception {
    var logKey = dev.rampart.integrity.log.LogKeys.loadOrCreate(tmp.resolve("data/keys"));
    var w = new Witness(witnessKey, Map.of("rampart.local/audit", List.of(NoteKey.of("rampart.local/audit",
        NoteKey.ED25519, logKey.getPublic()))), new WitnessState(tmp.resolve("witness")), Clock.systemUTC());
    return WitnessServer.start(w, "127.0.0.1", port);
  }

  private static int freePort() throws Exception {
    try (var s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String awaitCheckpoint(Http http, String token, Predicate<Http.Response> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    Http.Response r;
    do {
      r = http.get("/api/v1/audit/checkpoint", token);
      if (done.test(r)) {
        return r.body();
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("the checkpoint never got there: " + r.status() + " " + r.body());
  }

  private long cosignedSize(String note) throws Exception {
    var signed = SignedNote.parse(note);
    if (Cosignature.verified(signed, List.of(witnessKey.key(NoteKey.COSIGNATURE_V1))).isEmpty()) {
      return -1;
    }
    return Checkpoint.parseText(signed.text()).size();
  }

  @Test
  void checkpointsAreCosignedAndAQuorumMakesTheServedCheckpointLagWhileTheWitnessIsDown() throws Exception {
    int witnessPort = freePort();
    var witness = witness(witnessPort);
    var endpoint = new WitnessEndpoint("witness.test/w1", URI.create("http://127.0.0.1:" + witnessPort),
        witnessKey.key(NoteKey.COSIGNATURE_V1));
    var config = RampartServer.Config.embedded(tmp.resolve("data"), 0).withH2();
    try (var server = RampartServer.start(config, new Witnessing(List.of(endpoint), 1))) {
      var http = new Http(server.port());
      String admin = server.bootstrapToken().orElseThrow();
      long size = server.api().services().audit().size();
      String first = awaitCheckpoint(http, admin, r -> r.status() == 200 && cosignedSizeQuietly(r.body()) == size);
      var logKey = NoteKey.of("rampart.local/audit", NoteKey.ED25519, server.api().services().audit().publicKey());
      assertThat(Checkpoint.verify(first, logKey).size()).isEqualTo(size);

      // the witness goes away: writes are still acknowledged, durable in the log; the served checkpoint lags
      witness.close();
      for (int i = 0; i < 3; i++) {
        assertThat(http.post("/api/v1/projects", admin, Map.of("name", "p" + i)).status()).isEqualTo(201);
      }
      long grown = server.api().services().audit().size();
      assertThat(grown).isGreaterThan(size);
      var served = http.get("/api/v1/audit/checkpoint", admin);
      assertThat(served.status()).isEqualTo(200);
      assertThat(cosignedSize(served.body())).isEqualTo(size);
      var status = JSON.readTree(http.get("/api/v1/audit/witnesses", admin).body());
      assertThat(status.get("lagging").asBoolean()).isTrue();
      assertThat(status.get("signedSize").asLong()).isEqualTo(grown);
      assertThat(status.get("detail").asText()).contains("lags");
      assertThat(status.at("/witnesses/0/lastError").asText()).isNotEmpty();
      assertThat(JSON.readTree(http.get("/api/v1/health", null).body()).get("auditCheckpoint").asText()).isEqualTo("lagging");
      assertThat(server.api().services().audit().verify().ok()).isTrue();

      // the witness is back (same state, same port): the next checkpoint is cosigned from the size it knows
      witness = witness(witnessPort);
      assertThat(http.post("/api/v1/projects", admin, Map.of("name", "after")).status()).isEqualTo(201);
      long now = server.api().services().audit().size();
      String caughtUp = awaitCheckpoint(http, admin, r -> r.status() == 200 && cosignedSizeQuietly(r.body()) == now);
      assertThat(Checkpoint.verify(caughtUp, logKey).size()).isEqualTo(now);
      assertThat(JSON.readTree(http.get("/api/v1/health", null).body()).get("auditCheckpoint").asText()).isEqualTo("current");
    } finally {
      witness.close();
    }
  }

  @Test
  void withAQuorumAndNoWitnessReachableNoCheckpointIsServedAsCurrent() throws Exception {
    var endpoint = new WitnessEndpoint("witness.test/w1", URI.create("http://127.0.0.1:" + freePort()),
        witnessKey.key(NoteKey.COSIGNATURE_V1));
    try (var server = RampartServer.start(RampartServer.Config.embedded(tmp.resolve("data"), 0).withH2(),
        new Witnessing(List.of(endpoint), 1))) {
      var http = new Http(server.port());
      String admin = server.bootstrapToken().orElseThrow();
      assertThat(http.post("/api/v1/projects", admin, Map.of("name", "p")).status()).isEqualTo(201);
      var r = http.get("/api/v1/audit/checkpoint", admin);
      assertThat(r.status()).isEqualTo(503);
      assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("witness_quorum_pending");
    }
  }

  private long cosignedSizeQuietly(String note) {
    try {
      return cosignedSize(note);
    } catch (Exception e) {
      return -1;
    }
  }
}
