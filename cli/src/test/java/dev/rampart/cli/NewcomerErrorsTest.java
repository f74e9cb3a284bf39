package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.cli.ScanCommandTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a newcomer sees when a command fails: the command's own advice, a real --debug, and the right exit code. */
class NewcomerErrorsTest {
  @TempDir Path dir;

  private static final String MALICIOUS = "../examples/models/malicious";

  @Test
  void badPathGetsTheCommandsOwnAdviceNotTheScanners() {
    for (String[] args : new String[][] {
        {"sign", "nope", "--key", "missing.pem"},
        {"log", "verify", "--log", "/no/such/log"},
        {"atlas", "--data", "/no/such/ATLAS.yaml"},
        {"hash", "/no/such/model"}}) {
      Run r = ScanCommandTest.run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", args)).contains("no such file").doesNotContain("files or directories to scan")
          .contains("rampart " + args[0]);
    }
    assertThat(ScanCommandTest.run("scan", "/no/such/model.pt").err()).contains("rampart scan ./models");
  }

  @Test
  void anUnpinnedAllowEntryForADeniedGlobalIsNamedNotSilentlyIgnored() throws Exception {
    Path config = dir.resolve("rampart.yaml");
    Files.writeString(config, """
        allow:
          - global: socket.create_connection
            reason: "our models phone home"
          - global: ultralytics.nn.tasks.DetectionModel
            reason: "YOLO checkpoints from our own training"
        """);
    Run r = ScanCommandTest.run("scan", "--config", config.toString(), "--no-progress", MALICIOUS + "/reverse_shell.pkl");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("warning: " + config + ": the allow entry for socket.create_connection is on the deny list")
        .contains("sha256").contains("it is ignored").doesNotContain("DetectionModel");
    assertThat(r.out()).contains("PKL-DENYLISTED-CALL");
  }

  @Test
  void debugIsARealOptionOnEveryCommand() {
    Run r = ScanCommandTest.run("hash", "--debug", "/no/such/model");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("NoSuchFileException").contains("\tat ");
    assertThat(ScanCommandTest.run("scan", "--help").out()).contains("--debug");
  }

  @Test
  void baselineNeverCallsAKnownMaliciousFileClean() throws Exception {
    Path base = dir.resolve("base.json");
    ScanCommandTest.run("scan", "-f", "json", "-o", base.toString(), MALICIOUS);
    Run r = ScanCommandTest.run("scan", "--baseline", base.toString(), MALICIOUS);
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("reverse_shell.pkl").contains("KNOWN").doesNotContain("CLEAN").contains("NO NEW FINDINGS");
  }

  @Test
  void keygenInsideAGitWorkTreeWarns() throws Exception {
    Files.createDirectories(dir.resolve(".git"));
    Run r = ScanCommandTest.run("keygen", "-o", dir.resolve("key.pem").toString());
    assertThat(r.code()).isZero();
    assertThat(r.err()).contains("inside the git work tree").contains(".gitignore");
  }
}
