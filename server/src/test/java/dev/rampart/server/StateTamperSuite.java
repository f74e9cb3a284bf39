package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.server.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * Someone with write access to the database edits registry rows behind the server's back, as the audit log cannot
 * see: a malicious version's scan verdict and findings are made clean, and the deployment slot is pointed at it. Every
 * audited change binds the digest of the rows it produced, so state verification names each edited row and admission
 * refuses to answer "allowed" from it.
 */
abstract class StateTamperSuite extends ServerFixture {
  abstract Database openStopped(Path dataDir);

  /** Stops the server, runs the edit on its database, and starts it again on the same data. */
  void editWhileStopped(java.util.function.Consumer<Handle> edit) throws Exception {
    server.close();
    try (var db = openStopped(tmp.resolve("data"))) {
      db.jdbi().useHandle(edit::accept);
    }
    server = RampartServer.start(config(tmp.resolve("data")));
    http = new Http(server.port());
  }

  JsonNode verifyState() {
    var r = http.get("/api/v1/audit/verify-state", admin);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  JsonNode uploadMalicious() throws Exception {
    Path evil = Files.createDirectories(tmp.resolve("evil"));
    Files.copy(Path.of("../examples/models/malicious/trojan_checkpoint.pt"), evil.resolve("model.pt"));
    var r = upload(alice, "m", evil, key, null, "train-1");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().get("scanVerdict").asText()).isEqualTo("findings");
    return r.json();
  }

  static void makeClean(Handle h, String model, int version) {
    h.execute("""
        update model_versions set scan_verdict = 'clean', findings_critical = 0, findings_high = 0, findings_medium = 0,
          findings_low = 0, scan_report = '{"findings":[]}' where version = ? and model_id = (select id from models where name = ?)""",
        version, model);
  }

  @Test
  void aScanVerdictMadeCleanInTheDatabaseIsNamedAndTheSignedMaliciousModelIsDenied() throws Exception {
    registerLineage();
    var good = upload(alice, "m", benignModel("good", "{\"v\":1}"), key, null, "train-1").json();
    deploy("m", 1, "staging");
    var evil = uploadMalicious();
    assertThat(promote(alice, "m", 2, "staging").get("status").asText()).isEqualTo("blocked");
    var clean = verifyState();
    assertThat(clean.get("ok").asBoolean()).as(clean.toString()).isTrue();
    assertThat(clean.get("keys").asInt()).isGreaterThan(5);

    editWhileStopped(h -> makeClean(h, "m", 2));
    var report = verifyState();
    assertThat(report.get("ok").asBoolean()).isFalse();
    assertThat(report.get("differences")).hasSize(1);
    var d = report.get("differences").get(0);
    assertThat(d.get("table").asText()).isEqualTo("model_versions");
    assertThat(d.get("key").asText()).isEqualTo("iris/m/2");
    assertThat(d.get("expected").asText()).isNotEqualTo(d.get("found").asText()).hasSize(64);
    assertThat(d.get("rows").asText()).contains("\"scanVerdict\":\"clean\"");
    assertThat(report.get("detail").get(0).asText()).startsWith("model_versions iris/m/2: the log (entry ");

    // the gate now reads a clean verdict and deploys it, but admission does not answer from the edited row
    deploy("m", 2, "staging");
    var denied = admit("staging", evil.get("digest").asText());
    assertThat(denied.get("allowed").asBoolean()).isFalse();
    assertThat(denied.get("code").asText()).isEqualTo("state_mismatch");
    assertThat(denied.get("reason").asText()).contains("model_versions iris/m/2");
    assertThat(admit("staging", good.get("digest").asText()).get("allowed").asBoolean()).isFalse();
  }

  @Test
  void aDeploymentSwappedInTheDatabaseIsNamedAndAdmissionDeniesTheModelItPointsTo() throws Exception {
    registerLineage();
    var good = upload(alice, "m", benignModel("good", "{\"v\":1}"), key, null, "train-1").json();
    deploy("m", 1, "staging");
    var evil = uploadMalicious();
    assertThat(admit("staging", good.get("digest").asText()).get("allowed").asBoolean()).isTrue();

    editWhileStopped(h -> {
      makeClean(h, "m", 2);
      h.execute("""
          update deployments set model_version_id = (select id from model_versions where digest = ?)
          where status = 'active' and environment_id = (select id from environments where name = 'staging')""",
          evil.get("digest").asText());
    });
    var report = verifyState();
    assertThat(report.get("ok").asBoolean()).isFalse();
    assertThat(report.get("detail").toString()).contains("deployments iris/staging/m: the log (entry ")
        .contains("model_versions iris/m/2: the log (entry ").contains(evil.get("digest").asText());
    var denied = admit("staging", evil.get("digest").asText());
    assertThat(denied.get("allowed").asBoolean()).isFalse();
    assertThat(denied.get("code").asText()).isEqualTo("state_mismatch");
    assertThat(denied.get("reason").asText()).startsWith("state_mismatch: deployments iris/staging/m");
    assertThat(admit("staging", good.get("digest").asText()).get("allowed").asBoolean()).isFalse();
  }

  @Test
  void anAuditEntryRewrittenToMatchTheEditedRowsLeavesNoBindingTrusted() throws Exception {
    registerLineage();
    upload(alice, "m", benignModel("good", "{\"v\":1}"), key, null, "train-1");
    deploy("m", 1, "staging");
    var evil = uploadMalicious();
    editWhileStopped(h -> {
      makeClean(h, "m", 2);
      h.execute("update deployments set model_version_id = (select id from model_versions where digest = ?) where status = 'active'"
          + " and environment_id = (select id from environments where name = 'staging')", evil.get("digest").asText());
      // the entry that bound the version is rewritten too; its leaf hash, covered by signed checkpoints, is left alone
      h.execute("update audit_entries set entry = replace(entry, '\"scan\":\"findings\"', '\"scan\":\"clean\"') "
          + "where entry like '%model_version.created%' and entry like '%\"scan\":\"findings\"%'");
    });
    var denied = admit("staging", evil.get("digest").asText());
    assertThat(denied.get("allowed").asBoolean()).isFalse();
    assertThat(denied.get("code").asText()).isEqualTo("state_mismatch");
    assertThat(denied.get("reason").asText()).contains("does not match its leaf hash");
    var report = verifyState();
    assertThat(report.get("ok").asBoolean()).isFalse();
    assertThat(report.get("detail").get(0).asText()).contains("does not match its leaf hash");
  }

  @Test
  void rowsOfARegistryFromBeforeStateBindingAreAdoptedOnceInTheLog() throws Exception {
    Path legacy = tmp.resolve("legacy");
    String token;
    try (var first = RampartServer.start(config(legacy))) {
      token = first.bootstrapToken().orElseThrow();
    }
    try (var db = openStopped(legacy)) {
      // rows the log never bound, as a registry written before state binding holds them
      db.jdbi().useHandle(h -> {
        h.execute("insert into projects(name, created_at, created_by) values ('legacy', current_timestamp, 1)");
        h.execute("insert into environments(project_id, name, protected, required_approvals) "
            + "select id, 'prod', true, 2 from projects where name = 'legacy'");
      });
    }
    try (var second = RampartServer.start(config(legacy))) {
      var h2 = new Http(second.port());
      var report = h2.get("/api/v1/audit/verify-state", token).json();
      assertThat(report.get("ok").asBoolean()).as(report.toString()).isTrue();
      assertThat(report.get("keys").asInt()).isEqualTo(1);
      assertThat(h2.get("/api/v1/audit/entries", token).body()).contains("state.adopted").contains("policies/legacy/prod");
    }
    try (var db = openStopped(legacy)) {
      db.jdbi().useHandle(h -> h.execute("update environments set required_approvals = 0 where name = 'prod'"));
    }
    try (var third = RampartServer.start(config(legacy))) {
      var report = new Http(third.port()).get("/api/v1/audit/verify-state", token).json();
      assertThat(report.get("detail").get(0).asText()).startsWith("policies legacy/prod: the log (entry ");
      assertThat(new Http(third.port()).get("/api/v1/audit/entries", token).body().split("state.adopted", -1)).hasSize(2);
    }
  }

  @Test
  void aRemovedFailingAttestationAndAnUnloggedRowAreNamed() throws Exception {
    registerLineage();
    upload(alice, "m", benignModel("good", "{\"v\":1}"), key, null, "train-1");
    editWhileStopped(h -> {
      h.execute("delete from attestations");
      h.execute("insert into key_authorities(key_id, predicate_type) select id, 'robustness' from signing_keys where name = 'release'");
    });
    var detail = verifyState().get("detail").toString();
    assertThat(detail).contains("attestations iris/" + datasetDigest + ": the log (entry ").contains("(no rows)")
        .contains("signing_keys iris/release: the log (entry ");
  }
}
