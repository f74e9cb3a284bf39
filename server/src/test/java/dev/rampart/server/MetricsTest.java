package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code /metrics} on a real server after real uploads, promotions and admissions: every number checked. */
class MetricsTest extends ServerFixture {
  static final Pattern SAMPLE = Pattern.compile(
      "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\.)*\",?)*\\})? -?[0-9.eE+-]+|[a-zA-Z_:][a-zA-Z0-9_:]*\\{.*\\} \\+?Inf");

  @Override
  RampartServer.Config config(Path dataDir) {
    return RampartServer.Config.embedded(dataDir, 0).withH2();
  }

  String metrics() {
    var r = http.get("/metrics", dave);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    for (String line : r.body().split("\n")) {
      if (!line.startsWith("#")) {
        assertThat(SAMPLE.matcher(line).matches()).as("exposition line: " + line).isTrue();
      }
    }
    return r.body();
  }

  @Test
  void metricsNeedAToken() {
    var r = http.get("/metrics", null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body()).contains("\"unauthenticated\"");
    assertThat(http.get("/metrics", "rmpu_not-a-token").status()).isEqualTo(401);
  }

  @Test
  void admissionsGateDecisionsScansAndTheAuditSizeAreCounted() throws Exception {
    registerLineage();
    var v1 = upload(alice, "iris-classifier", benignModel("m1", "{\"labels\":3}"), true, true);
    String digest = v1.get("digest").asText();
    deploy("iris-classifier", 1, "staging");
    var unsigned = upload(alice, "unsigned", benignModel("m2", "{\"labels\":4}"), false, false);
    assertThat(promote(alice, "unsigned", unsigned.get("version").asInt(), "staging").get("status").asText()).isEqualTo("blocked");
    assertThat(admit("staging", digest).get("allowed").asBoolean()).isTrue();
    assertThat(admit("staging", "sha256:" + "b".repeat(64)).get("allowed").asBoolean()).isFalse();
    assertThat(admit("staging", "sha256:" + "c".repeat(64)).get("allowed").asBoolean()).isFalse();
    http.get("/api/v1/projects/iris/no-such-route-" + "x".repeat(20), alice);

    String m = metrics();
    assertThat(m).contains("rampart_admissions_total{decision=\"allowed\"} 1\n")
        .contains("rampart_admissions_total{decision=\"denied\"} 2\n")
        .contains("rampart_gate_decisions_total{status=\"deployed\"} 1\n")
        .contains("rampart_gate_decisions_total{status=\"blocked\"} 1\n")
        .contains("rampart_model_scans_total{verdict=\"clean\"} 2\n");
    long audit = http.get("/api/v1/audit/entries?from=0", admin).json().get("to").asLong();
    assertThat(m).contains("rampart_audit_log_entries " + audit + "\n");
    String admission = "route=\"/api/v1/projects/{project}/environments/{env}/admission\",method=\"POST\",status=\"2xx\"";
    assertThat(m).contains("rampart_http_request_duration_seconds_count{" + admission + "} 3\n")
        .contains("rampart_http_request_duration_seconds_bucket{" + admission + ",le=\"+Inf\"} 3\n");
    // a client's raw paths never become series: an unknown path is counted as unmatched
    assertThat(m).doesNotContain("no-such-route").contains("route=\"unmatched\",method=\"GET\",status=\"4xx\"");
    assertThat(m).contains("# TYPE rampart_http_request_duration_seconds histogram");
  }
}
