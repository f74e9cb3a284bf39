package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.integrity.log.Checkpoint;
import dev.rampart.integrity.log.Cosignature;
import dev.rampart.integrity.log.LogKeys;
import dev.rampart.integrity.log.NoteKey;
import dev.rampart.integrity.log.NoteSigner;
import dev.rampart.integrity.log.SignedNote;
import dev.rampart.server.store.Database;
import dev.rampart.server.witness.Witness;
import dev.rampart.server.witness.WitnessEndpoint;
import dev.rampart.server.witness.WitnessServer;
import dev.rampart.server.witness.WitnessState;
import dev.rampart.server.witness.Witnessing;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Someone who controls the server's whole disk rolls the audit log back: newest entries and their checkpoints deleted
 * from the database, and the signer's memory beside the key deleted too, so the server itself cannot tell. The
 * witness still remembers what it cosigned: it refuses the smaller tree, no checkpoint is served as witnessed, and
 * the witness status names the loss.
 */
class WitnessCatchesRollbackTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  @Test
  void aRollbackThatTheServerCannotSeeIsRefusedByTheWitness() throws Exception {
    var witnessKey = NoteSigner.generate("witness.test/w1");
    var logKey = LogKeys.loadOrCreate(tmp.resolve("data/keys"));
    var witness = new Witness(witnessKey, Map.of("rampart.local/audit", List.of(NoteKey.of("rampart.local/audit",
        NoteKey.ED25519, logKey.getPublic()))), new WitnessState(tmp.resolve("witness")), Clock.systemUTC());
    var config = RampartServer.Config.embedded(tmp.resolve("data"), 0).withH2();
    try (var w = WitnessServer.start(witness, "127.0.0.1", 0)) {
      var witnessing = new Witnessing(List.of(new WitnessEndpoint("witness.test/w1",
          URI.create("http://127.0.0.1:" + w.port()), witnessKey.key(NoteKey.COSIGNATURE_V1))), 1);
      String admin;
      long published;
      try (var server = RampartServer.start(config, witnessing)) {
        var http = new Http(server.port());
        admin = server.bootstrapToken().orElseThrow();
        for (int i = 0; i < 4; i++) {
          assertThat(http.post("/api/v1/projects", admin, Map.of("name", "p" + i)).status()).isEqualTo(201);
        }
        published = server.api().services().audit().size();
        await(() -> cosignedSize(http.get("/api/v1/audit/checkpoint", admin).body(), witnessKey) == published);
      }
      try (var db = Database.h2(config.dataDir())) {
        db.jdbi().useHandle(h -> {
          h.execute("delete from audit_entries where idx >= ?", published - 3);
          h.execute("delete from audit_checkpoints where tree_size > ?", published - 3);
        });
      }
      Files.delete(config.dataDir().resolve("keys/latest-checkpoint"));
      Files.delete(config.dataDir().resolve("keys/latest-witnessed-checkpoint"));
      try (var server = RampartServer.start(config, witnessing)) {
        var http = new Http(server.port());
        // the server cannot tell: it accepts writes on the shorter log and signs a smaller checkpoint
        assertThat(http.post("/api/v1/projects", admin, Map.of("name", "after")).status()).isEqualTo(201);
        assertThat(server.api().services().audit().size()).isLessThan(published);
        await(() -> JSON.readTree(http.get("/api/v1/audit/witnesses", admin).body()).at("/witnesses/0/lastError")
            .asText().contains("lost entries"));
        var status = JSON.readTree(http.get("/api/v1/audit/witnesses", admin).body());
        assertThat(status.at("/witnesses/0/lastError").asText()).contains("has cosigned " + published + " entries");
        var served = http.get("/api/v1/audit/checkpoint", admin);
        assertThat(served.status()).isEqualTo(503);
        assertThat(JSON.readTree(served.body()).at("/error/code").asText()).isEqualTo("witness_quorum_pending");
      }
    }
  }

  private static long cosignedSize(String note, NoteSigner witness) {
    try {
      var signed = SignedNote.parse(note);
      return Cosignature.verified(signed, List.of(witness.key(NoteKey.COSIGNATURE_V1))).isEmpty() ? -1
          : Checkpoint.parseText(signed.text()).size();
    } catch (Exception e) {
      return -1;
    }
  }

  private static void await(java.util.concurrent.Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 40 s");
      }
      Thread.sleep(100);
    }
  }
}
