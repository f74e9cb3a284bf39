package dev.rampart.cli;

import static dev.rampart.cli.ScanCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.integrity.log.LogKeys;
import dev.rampart.integrity.log.NoteKey;
import dev.rampart.integrity.log.NoteSigner;
import dev.rampart.server.RampartServer;
import dev.rampart.server.witness.Witness;
import dev.rampart.server.witness.WitnessEndpoint;
import dev.rampart.server.witness.WitnessServer;
import dev.rampart.server.witness.WitnessState;
import dev.rampart.server.witness.Witnessing;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rampart witness keygen} and {@code rampart audit verify --witness --quorum} against a witnessed server. */
class WitnessCliTest {
  @TempDir Path tmp;

  @Test
  void keygenWritesAGoCompatibleKeyAndVerifyCountsCosignatures() throws Exception {
    var made = run("witness", "keygen", "witness.test/w1", "--out", tmp.resolve("w1.key").toString());
    assertThat(made.code()).as(made.err()).isZero();
    var signer = NoteSigner.parse(Files.readString(tmp.resolve("w1.key")));
    String vkey = signer.key(NoteKey.COSIGNATURE_V1).vkey();
    assertThat(made.out()).contains("export RAMPART_WITNESS_VKEY=" + vkey);
    assertThat(run("witness", "keygen", "witness.test/w1", "--out", tmp.resolve("w1.key").toString()).code())
        .as("an existing key is never overwritten").isNotZero();

    var logKey = LogKeys.loadOrCreate(tmp.resolve("data/keys"));
    var witness = new Witness(signer, Map.of("rampart.local/audit", List.of(NoteKey.of("rampart.local/audit",
        NoteKey.ED25519, logKey.getPublic()))), new WitnessState(tmp.resolve("state")), Clock.systemUTC());
    var other = NoteSigner.generate("witness.test/w2").key(NoteKey.COSIGNATURE_V1).vkey();
    try (var w = WitnessServer.start(witness, "127.0.0.1", 0);
        var server = RampartServer.start(RampartServer.Config.embedded(tmp.resolve("data"), 0).withH2(),
            new Witnessing(List.of(new WitnessEndpoint("witness.test/w1", URI.create("http://127.0.0.1:" + w.port()),
                NoteKey.parse(vkey))), 1))) {
      System.setProperty("rampart.url", "http://127.0.0.1:" + server.port());
      System.setProperty("rampart.token", server.bootstrapToken().orElseThrow());
      var printed = run("audit", "vkey");
      assertThat(printed.out().strip()).isEqualTo(NoteKey.of("rampart.local/audit", NoteKey.ED25519, logKey.getPublic()).vkey());
      CliResultAwait.until(() -> run("audit", "verify", "--witness", vkey).code() == 0);
      var ok = run("audit", "verify", "--witness", vkey);
      assertThat(ok.out()).contains("WITNESSED").contains("witness.test/w1").contains("VERIFIED");
      var short1 = run("audit", "verify", "--witness", vkey, "--witness", other, "--quorum", "2");
      assertThat(short1.code()).isEqualTo(1);
      assertThat(short1.out()).contains("FAILED").contains("fewer than the quorum of 2");
      var stranger = run("audit", "verify", "--witness", other);
      assertThat(stranger.code()).isEqualTo(1);
    } finally {
      System.clearProperty("rampart.url");
      System.clearProperty("rampart.token");
    }
  }

  /** Waits for an asynchronous condition (the witness cosigns in the background). */
  static final class CliResultAwait {
    static void until(java.util.concurrent.Callable<Boolean> condition) throws Exception {
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
      while (!condition.call()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("condition not met within 30 s");
        }
        Thread.sleep(200);
      }
    }
  }
}
