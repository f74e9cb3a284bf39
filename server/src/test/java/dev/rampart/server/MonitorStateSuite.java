package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The monitor's window state outlives its watcher: a watcher idle for any time at all is evicted (checkpointing its
 * windows) and rebuilt from the checkpoint, and a restarted server resumes the open window. The alert used needs one
 * full window of 1,000 events (a feature stuck at one value), sent in pieces that no single watcher sees whole.
 */
abstract class MonitorStateSuite extends ServerFixture {
  static final String TELEMETRY = "/api/v1/projects/iris/environments/staging/telemetry";

  @BeforeAll
  static void tinyLimits() {
    System.setProperty("rampart.monitor.idle-seconds", "0");
    System.setProperty("rampart.monitor.checkpoint-events", "500");
  }

  @AfterAll
  static void defaultLimits() {
    System.clearProperty("rampart.monitor.idle-seconds");
    System.clearProperty("rampart.monitor.checkpoint-events");
  }

  String sensor;

  void deployWithProfile() throws Exception {
    registerLineage();
    var v = upload(alice, "monitored", benignModel("w1", "{\"labels\":2,\"n\":\"w1\"}"), true, true);
    var p = promote(alice, "monitored", v.get("version").asInt(), "staging");
    var ok = http.post("/api/v1/projects/iris/promotions/" + p.get("id").asLong() + "/approve", bob, "{}");
    assertThat(ok.json().get("status").asText()).as(ok.body()).isEqualTo("deployed");
    var profile = ServerSuite.referenceProfile(new java.util.Random(5));
    var set = http.put("/api/v1/projects/iris/models/monitored/versions/1/monitor-profile", alice,
        new String(profile.toJson(), java.nio.charset.StandardCharsets.UTF_8));
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    var bound = http.post("/api/v1/tokens", admin, Map.of("principal", "deploy-bot", "scopes", "telemetry", "ttlDays", 7,
        "project", "iris", "environment", "staging"));
    assertThat(bound.status()).as(bound.body()).isEqualTo(201);
    sensor = bound.json().get("token").asText();
  }

  static String stuck(int events, java.util.Random random) {
    var sb = new StringBuilder();
    for (int i = 0; i < events; i++) {
      sb.append(ServerSuite.event(random, true));
    }
    return sb.toString();
  }

  Http.Response send(int events, java.util.Random random) {
    var r = http.post(TELEMETRY, sensor, stuck(events, random));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("accepted").asInt()).isEqualTo(events);
    return r;
  }

  /** The checkpoint row of the only deployment: its version and the events it covers. */
  long[] checkpoint() {
    return server.database().jdbi().withHandle(h -> h.createQuery("select version, events from monitor_windows")
        .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).findOne().orElse(new long[] {0, 0}));
  }

  @Test
  void anEvictedWatcherIsRebuiltFromItsCheckpointAndItsWindowCarriesOn() throws Exception {
    deployWithProfile();
    var random = new java.util.Random(7);
    assertThat(send(300, random).json().get("alerts")).isEmpty();
    // 300 events are below the checkpoint interval: nothing written while the watcher lives
    assertThat(checkpoint()).containsExactly(0, 0);
    assertThat(send(300, random).json().get("alerts")).isEmpty();
    // the idle watcher was evicted before the second batch, writing its 300 events, and rebuilt from them
    assertThat(checkpoint()).containsExactly(1, 300);
    var fault = send(400, random);
    // evicted again at 600, then the window closes at 1,000 events across three watchers
    assertThat(fault.json().at("/alerts/0/kind").asText()).as(fault.body()).isEqualTo("pipeline-fault");
    assertThat(fault.json().at("/alerts/0/event").asLong()).isEqualTo(999);
    assertThat(fault.json().at("/alerts/0/detail").asText()).contains("every one of 1000 values");
    assertThat(checkpoint()).containsExactly(3, 1000);
    assertThat(server.api().services().monitoring().watchers()).isEqualTo(1);
  }

  @Test
  void aRestartedServerResumesTheOpenWindow() throws Exception {
    deployWithProfile();
    var random = new java.util.Random(8);
    assertThat(send(600, random).json().get("alerts")).isEmpty();
    assertThat(checkpoint()).containsExactly(1, 600);
    server.close();
    server = RampartServer.start(config(tmp.resolve("data")));
    http = new Http(server.port());
    var fault = send(400, random);
    assertThat(fault.json().at("/alerts/0/kind").asText()).as(fault.body()).isEqualTo("pipeline-fault");
    assertThat(fault.json().at("/alerts/0/event").asLong()).isEqualTo(999);
    assertThat(fault.json().at("/alerts/0/detail").asText()).contains("every one of 1000 values");
  }
}
