package dev.rampart.integrity.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends as fast as it can and prints each acknowledged index; it is killed with SIGKILL mid-run.
 * Every acknowledged entry must be there after reopening, and the log must verify.
 */
class LogCrashTest {
  @TempDir Path dir;

  /** The child: appends forever, acknowledging each durable append on stdout. */
  public static void main(String[] args) throws Exception {
    try (var log = TransparencyLog.open(Path.of(args[0]), "rampart.test/crash")) {
      for (long i = log.size(); ; i++) {
        byte[] entry = ("{\"event\":" + i + ",\"pad\":\"" + "x".repeat((int) (i % 300)) + "\"}").getBytes(StandardCharsets.UTF_8);
        long index = log.append(entry);
        if (index % 50 == 0) {
          log.publishCheckpoint();
        }
        System.out.println("acked " + index);
        System.out.flush();
      }
    }
  }

  @Test
  void acknowledgedEntriesSurviveSigkill() throws Exception {
    long lastAcked = -1;
    for (int round = 0; round < 3; round++) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      var child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LogCrashTest.class.getName(),
          dir.toString()).redirectErrorStream(true).start();
      var reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      long target = lastAcked + 200 + round * 137;
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("acked ")) {
          lastAcked = Long.parseLong(line.substring(6));
          if (lastAcked >= target) {
            break;
          }
        }
      }
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // a killed append may leave a torn last record: only the explicit repair removes it
      try (var repaired = TransparencyLog.repair(dir, "rampart.test/crash")) {
        assertThat(repaired.size()).isGreaterThan(lastAcked);
      }
      try (var log = TransparencyLog.open(dir, "rampart.test/crash")) {
        assertThat(log.size()).isGreaterThan(lastAcked);
        for (long i = 0; i <= lastAcked; i++) {
          assertThat(new String(log.entry(i), StandardCharsets.UTF_8)).startsWith("{\"event\":" + i + ",");
        }
        var cp = log.verify();
        assertThat(cp.size()).isLessThanOrEqualTo(log.size());
        assertThat(Merkle.verifyInclusion(lastAcked, log.size(), log.leafHash(lastAcked),
            log.inclusionProof(lastAcked, log.size()), log.root())).isTrue();
      }
    }
  }
}
