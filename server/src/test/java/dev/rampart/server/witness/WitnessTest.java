package dev.rampart.server.witness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.integrity.log.Checkpoint;
import dev.rampart.integrity.log.Cosignature;
import dev.rampart.integrity.log.Merkle;
import dev.rampart.integrity.log.NoteKey;
import dev.rampart.integrity.log.NoteSigner;
import dev.rampart.integrity.log.SignedNote;
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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The witness over real HTTP on 127.0.0.1: what it cosigns, what it refuses, and that it remembers across a restart. */
class WitnessTest {
  private static final String ORIGIN = "log.example/audit";
  private final NoteSigner log = NoteSigner.generate(ORIGIN);
  private final NoteSigner witnessKey = NoteSigner.generate("witness.example/w1");
  private final HttpClient client = HttpClient.newHttpClient();
  private final List<byte[]> leaves = new ArrayList<>();
  @TempDir Path state;
  private WitnessServer server;

  @BeforeEach
  void start() throws Exception {
    server = start(state);
    for (int i = 0; i < 16; i++) {
      leaves.add(Merkle.leafHash(("entry " + i).getBytes(StandardCharsets.UTF_8)));
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private WitnessServer start(Path dir) throws Exception {
    var witness = new Witness(witnessKey, Map.of(ORIGIN, List.of(log.key(NoteKey.ED25519))), new WitnessState(dir),
        Clock.systemUTC());
    return WitnessServer.start(witness, "127.0.0.1", 0);
  }

  private String checkpoint(NoteSigner signer, List<byte[]> entries) {
    var cp = new Checkpoint(ORIGIN, entries.size(), Merkle.inMemory(entries).range(0, entries.size()));
    return cp.sign(signer.name(), signer.keys().getPrivate(), signer.keys().getPublic());
  }

  private HttpResponse<String> add(long old, List<byte[]> proof, String note) throws Exception {
    String body = new AddCheckpoint(old, proof, note).format();
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/add-checkpoint"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private List<byte[]> proof(int from, int to) {
    return Merkle.consistencyProof(Merkle.inMemory(leaves), from, to);
  }

  private void assertCosigned(HttpResponse<String> r, String note) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    var signed = SignedNote.parse(note + r.body());
    assertThat(Cosignature.verified(signed, List.of(witnessKey.key(NoteKey.COSIGNATURE_V1)))).hasSize(1);
  }

  @Test
  void cosignsAConsistentExtensionAndNothingElse() throws Exception {
    String three = checkpoint(log, leaves.subList(0, 3));
    assertCosigned(add(0, List.of(), three), three);
    String seven = checkpoint(log, leaves.subList(0, 7));
    assertCosigned(add(3, proof(3, 7), seven), seven);
    // the same checkpoint again (a log that lost the answer) is cosigned again
    assertCosigned(add(7, List.of(), seven), seven);
    // the monitoring view serves what was cosigned, with the log's signature and the cosignature
    var monitor = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"
        + WitnessState.hex(ORIGIN) + "/checkpoint")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(monitor.statusCode()).isEqualTo(200);
    assertThat(Checkpoint.verify(monitor.body(), log.key(NoteKey.ED25519)).size()).isEqualTo(7);
  }

  @Test
  void aForkOfTheSameSizeIsRefusedWith409AndKeptAsEvidence() throws Exception {
    String real = checkpoint(log, leaves.subList(0, 5));
    assertCosigned(add(0, List.of(), real), real);
    var forked = new ArrayList<>(leaves.subList(0, 5));
    forked.set(4, Merkle.leafHash("rewritten".getBytes(StandardCharsets.UTF_8)));
    String fork = checkpoint(log, forked);
    var r = add(5, List.of(), fork);
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.body()).isEqualTo("5\n");
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/x.tlog.size"));
    try (var evidence = Files.list(state.resolve("evidence"))) {
      assertThat(evidence.map(p -> {
        try {
          return Files.readString(p);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList()).contains(fork);
    }
    // a larger fork: its proof from the cosigned tree cannot verify
    forked.addAll(leaves.subList(5, 8));
    var r2 = add(5, Merkle.consistencyProof(Merkle.inMemory(forked), 5, 8), checkpoint(log, forked));
    assertThat(r2.statusCode()).isEqualTo(422);
  }

  @Test
  void aTruncatedLogIsRefused() throws Exception {
    String six = checkpoint(log, leaves.subList(0, 6));
    assertCosigned(add(0, List.of(), six), six);
    String four = checkpoint(log, leaves.subList(0, 4));
    // honest about the old size: larger than the checkpoint
    assertThat(add(6, List.of(), four).statusCode()).isEqualTo(400);
    // lying about it: the witness names the size it knows
    var r = add(4, List.of(), four);
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.body()).isEqualTo("6\n");
    var r0 = add(0, List.of(), four);
    assertThat(r0.statusCode()).isEqualTo(409);
    assertThat(r0.body()).isEqualTo("6\n");
  }

  @Test
  void unknownLogsBadSignaturesAndBadProofsAreRefused() throws Exception {
    var stranger = NoteSigner.generate("other.example/log");
    var cp = new Checkpoint("other.example/log", 1, leaves.get(0));
    assertThat(add(0, List.of(), cp.sign(stranger.name(), stranger.keys().getPrivate(), stranger.keys().getPublic()))
        .statusCode()).isEqualTo(404);
    var impostor = NoteSigner.generate(ORIGIN);
    assertThat(add(0, List.of(), checkpoint(impostor, leaves.subList(0, 2))).statusCode()).isEqualTo(403);
    String two = checkpoint(log, leaves.subList(0, 2));
    assertCosigned(add(0, List.of(), two), two);
    var wrong = proof(2, 5);
    wrong.set(0, new byte[32]);
    assertThat(add(2, wrong, checkpoint(log, leaves.subList(0, 5))).statusCode()).isEqualTo(422);
    assertThat(add(2, List.of(), checkpoint(log, leaves.subList(0, 5))).statusCode()).isEqualTo(422);
    // a proof from size 0 must be empty
    assertThat(add(0, proof(1, 2), two).statusCode()).isIn(409, 422);
    var malformed = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/add-checkpoint"))
        .POST(HttpRequest.BodyPublishers.ofString("old 01\n\n" + two)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(malformed.statusCode()).isEqualTo(400);
  }

  @Test
  void aRestartedWitnessKeepsItsState() throws Exception {
    String eight = checkpoint(log, leaves.subList(0, 8));
    assertCosigned(add(0, List.of(), eight), eight);
    server.close();
    server = start(state);
    var r = add(0, List.of(), checkpoint(log, leaves.subList(0, 3)));
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.body()).isEqualTo("8\n");
    String ten = checkpoint(log, leaves.subList(0, 10));
    assertCosigned(add(8, proof(8, 10), ten), ten);
  }

  @Test
  void racingSubmissionsNeverRollTheStateBack() throws Exception {
    String four = checkpoint(log, leaves.subList(0, 4));
    assertCosigned(add(0, List.of(), four), four);
    var results = new java.util.concurrent.ConcurrentLinkedQueue<Integer>();
    var threads = new ArrayList<Thread>();
    for (int size = 5; size <= 12; size++) {
      int n = size;
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          results.add(add(4, proof(4, n), checkpoint(log, leaves.subList(0, n))).statusCode());
        } catch (Exception e) {
          results.add(-1);
        }
      }));
    }
    for (var t : threads) {
      t.join();
    }
    // exactly one extension from 4 wins; the others learn the new size
    assertThat(results).containsOnly(200, 409);
    assertThat(results.stream().filter(s -> s == 200).count()).isEqualTo(1);
  }
}
