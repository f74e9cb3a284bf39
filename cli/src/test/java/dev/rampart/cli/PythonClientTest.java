package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.server.RampartServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client's own tests ({@code clients/python/tests}, stdlib unittest) run with the system's python3 against
 * a real server started here, with the {@code rampart} command they sign and attest with: this build's classes.
 */
class PythonClientTest {
  private static final Path CLIENT = Path.of("../clients/python");
  @TempDir Path tmp;
  RampartServer server;

  @BeforeEach
  void start() throws IOException {
    server = RampartServer.start(RampartServer.Config.embedded(tmp.resolve("data"), 0).withH2());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static boolean python3Present() {
    try {
      var p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A {@code rampart} command running this build's CLI on the test's class path, as the client invokes it. */
  private Path rampartCommand() throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path script = tmp.resolve("rampart");
    Files.writeString(script, "#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1 -Xshare:auto -cp '"
        + System.getProperty("java.class.path") + "' dev.rampart.cli.Rampart \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  @Test
  void theClientsTestsPassAgainstARealServer() throws Exception {
    Assumptions.assumeTrue(python3Present(), "python3 is not installed: the Python client's tests cannot run"
        + " (install Debian's python3; .ci/run does)");
    var pb = new ProcessBuilder("python3", "-m", "unittest", "discover", "-v", "-s", "tests", "-t", ".")
        .directory(CLIENT.toFile()).redirectErrorStream(true);
    pb.environment().put("RAMPART_URL", "http://127.0.0.1:" + server.port());
    pb.environment().put("RAMPART_TOKEN", server.bootstrapToken().orElseThrow());
    pb.environment().put("RAMPART_CLI", rampartCommand().toString());
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    pb.environment().remove("PYTHONPATH");
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    String log = new String(out, StandardCharsets.UTF_8);
    System.out.println(log);
    assertThat(p.exitValue()).as(log).isZero();
    var ran = Pattern.compile("Ran (\\d+) tests").matcher(log);
    assertThat(ran.find()).as(log).isTrue();
    assertThat(Integer.parseInt(ran.group(1))).as(log).isGreaterThanOrEqualTo(14);
    assertThat(log).doesNotContain("skipped");
  }
}
