package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.integrity.hash.ModelHasher;
import dev.rampart.integrity.provenance.Provenance;
import dev.rampart.integrity.provenance.TrainingRun;
import dev.rampart.integrity.sign.Curve;
import dev.rampart.integrity.sign.ModelSigner;
import dev.rampart.integrity.sign.Pem;
import dev.rampart.integrity.sign.SigningKey;
import dev.rampart.server.auth.Permission;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane end to end over real HTTP, run once per database (H2 and PostgreSQL): registration, upload,
 * scanning and signature checks, gates, approvals with separation of duties, admission, rollback and audit.
 */
abstract class ServerSuite extends ServerFixture {
  @Test
  void securedLifecycleEndToEnd() throws Exception {
    registerLineage();
    var v1 = upload(alice, "iris-classifier", benignModel("m1", "{\"labels\":3}"), true, true);
    assertThat(v1.get("scanVerdict").asText()).isEqualTo("clean");
    assertThat(v1.get("signatureVerified").asBoolean()).as(v1.toString()).isTrue();
    String d1 = v1.get("digest").asText();

    // staging: one approval; the requester and uploader cannot approve, nor can a service account
    var p = promote(alice, "iris-classifier", 1, "staging");
    assertThat(p.get("status").asText()).isEqualTo("pending");
    long id = p.get("id").asLong();
    var self = http.post("/api/v1/projects/iris/promotions/" + id + "/approve", alice, "{}");
    assertThat(self.status()).isIn(403);
    var byBot = http.post("/api/v1/projects/iris/promotions/" + id + "/approve", bot, "{}");
    assertThat(byBot.status()).isEqualTo(403);
    assertThat(byBot.code()).isEqualTo("separation_of_duties");
    var approved = http.post("/api/v1/projects/iris/promotions/" + id + "/approve", bob, Map.of("comment", "reviewed"));
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    assertThat(approved.json().get("status").asText()).isEqualTo("deployed");

    // production: two approvals, after staging
    var prod = promote(alice, "iris-classifier", 1, "production");
    assertThat(prod.get("status").asText()).as(prod.toString()).isEqualTo("pending");
    http.post("/api/v1/projects/iris/promotions/" + prod.get("id").asLong() + "/approve", bob, "{}");
    var done = http.post("/api/v1/projects/iris/promotions/" + prod.get("id").asLong() + "/approve", carol, "{}");
    assertThat(done.json().get("status").asText()).isEqualTo("deployed");
    assertThat(admit("production", "sha256:" + d1).get("allowed").asBoolean()).isTrue();

    // a malicious model is blocked at the gate, with every failed rule named
    Path evil = Files.createDirectories(tmp.resolve("evil"));
    Files.copy(Path.of("../examples/models/malicious/trojan_checkpoint.pt"), evil.resolve("model.pt"));
    var bad = upload(alice, "iris-classifier", evil, true, false);
    assertThat(bad.get("scanVerdict").asText()).isEqualTo("findings");
    var blocked = promote(alice, "iris-classifier", bad.get("version").asInt(), "staging");
    assertThat(blocked.get("status").asText()).isEqualTo("blocked");
    assertThat(blocked.get("failedRules").findValuesAsText("name")).contains("no-critical-findings");
    assertThat(blocked.get("policySha256").asText()).hasSize(64);
    assertThat(admit("production", bad.get("digest").asText()).get("allowed").asBoolean()).isFalse();
    var unknown = admit("production", "a".repeat(64));
    assertThat(unknown.get("allowed").asBoolean()).isFalse();
    assertThat(unknown.get("reason").asText()).contains("not the version approved");

    // v2 goes through, then a rollback restores v1
    var v2 = upload(alice, "iris-classifier", benignModel("m2", "{\"labels\":3,\"v\":2}"), true, true);
    var s2 = promote(alice, "iris-classifier", v2.get("version").asInt(), "staging");
    http.post("/api/v1/projects/iris/promotions/" + s2.get("id").asLong() + "/approve", bob, "{}");
    var p2 = promote(alice, "iris-classifier", v2.get("version").asInt(), "production");
    http.post("/api/v1/projects/iris/promotions/" + p2.get("id").asLong() + "/approve", carol, "{}");
    http.post("/api/v1/projects/iris/promotions/" + p2.get("id").asLong() + "/approve", bob, "{}");
    assertThat(admit("production", v2.get("digest").asText()).get("allowed").asBoolean()).isTrue();
    var rb = http.post("/api/v1/projects/iris/environments/production/rollback", bob, Map.of("reason", "drift alert"));
    assertThat(rb.status()).as(rb.body()).isEqualTo(200);
    assertThat(rb.json().get("version").asInt()).isEqualTo(1);
    assertThat(admit("production", "sha256:" + d1).get("allowed").asBoolean()).isTrue();
    assertThat(admit("production", v2.get("digest").asText()).get("allowed").asBoolean()).isFalse();

    // the history pages newest first, and the active deployment is named whichever page is read
    String env = "/api/v1/projects/iris/environments/production";
    var first = http.get(env + "?limit=1", dave).json();
    assertThat(first.get("deployments")).hasSize(1);
    assertThat(first.at("/deployments/0/version").asInt()).isEqualTo(1);
    assertThat(first.at("/current/version").asInt()).isEqualTo(1);
    var second = http.get(env + "?limit=1&before=" + first.get("nextBefore").asLong(), dave).json();
    assertThat(second.at("/deployments/0/version").asInt()).isEqualTo(v2.get("version").asInt());
    assertThat(second.at("/deployments/0/status").asText()).isNotEqualTo("active");
    assertThat(second.at("/current/version").asInt()).isEqualTo(1);
    var whole = http.get(env + "?limit=1000", dave).json();
    assertThat(whole.get("deployments").findValuesAsText("version")).containsExactly("1", v2.get("version").asText(), "1");
    assertThat(whole.has("nextBefore")).isFalse();
    for (String query : new String[] {"?limit=0", "?limit=1001", "?limit=many", "?before=yesterday"}) {
      var refused = http.get(env + query, dave);
      assertThat(refused.status()).as(query).isEqualTo(400);
      assertThat(refused.body()).contains(query.contains("limit") ? "limit must be" : "before must be");
    }

    // lineage both ways
    var lineage = http.get("/api/v1/projects/iris/models/iris-classifier/versions/1/lineage", dave).json();
    assertThat(lineage.at("/datasets/0/digest").asText()).isEqualTo(datasetDigest);
    assertThat(lineage.get("deployments").findValuesAsText("environment")).contains("staging", "production");
    var affected = http.get("/api/v1/projects/iris/datasets/iris-train/versions/1/affected", dave).json();
    assertThat(affected.get("modelVersions").findValuesAsText("version")).contains("1", "3");
    assertThat(affected.get("deployments").size()).isPositive();

    // the AI-BOM is CycloneDX 1.6
    var bom = http.get("/api/v1/projects/iris/models/iris-classifier/versions/1/bom", dave);
    assertThat(bom.json().get("specVersion").asText()).isEqualTo("1.6");

    // the whole log is searchable, newest first, page by page; LIKE's wildcards are taken literally
    var log = server.api().services().audit();
    var newest = log.search("ADMISSION.", -1, 3);
    assertThat(newest).hasSize(3).allSatisfy(e -> assertThat(e.entry()).contains("admission."));
    assertThat(newest.get(0).index()).isGreaterThan(newest.get(1).index());
    var next = log.search("admission.", newest.get(2).index(), 3);
    assertThat(next).isNotEmpty().allSatisfy(e -> assertThat(e.index()).isLessThan(newest.get(2).index()));
    assertThat(log.search("", -1, 1_000)).hasSize((int) log.size());
    assertThat(log.search("%", -1, 10)).isEmpty();
    assertThat(log.search("_", -1, 1_000)).allSatisfy(e -> assertThat(e.entry()).contains("_"));
    assertThat(log.search("admission!", -1, 10)).isEmpty();

    // consistency proofs between any two sizes, and inclusion proofs against any size, verify
    long size = log.size();
    var b64 = java.util.Base64.getDecoder();
    for (long from : new long[] {1, 7, size / 2, size - 1}) {
      var c = http.get("/api/v1/audit/consistency?first=" + from + "&second=" + size, dave).json();
      var proof = new ArrayList<byte[]>();
      c.get("consistencyProof").forEach(h -> proof.add(b64.decode(h.asText())));
      assertThat(dev.rampart.integrity.log.Merkle.verifyConsistency(from, size, proof,
          b64.decode(c.get("firstRootHash").asText()), b64.decode(c.get("secondRootHash").asText()))).isTrue();
    }
    var inclusion = http.get("/api/v1/audit/proof?index=3&size=" + (size - 2), dave).json();
    assertThat(inclusion.get("treeSize").asLong()).isEqualTo(size - 2);
    assertThat(http.get("/api/v1/audit/consistency?first=" + (size + 1), dave).status()).isEqualTo(400);
    assertThat(http.get("/api/v1/audit/consistency?first=5&second=4", dave).status()).isEqualTo(400);

    // entries come a bounded page at a time, as objects; the stored text the hashes cover is there on request
    var page = http.get("/api/v1/audit/entries?from=2&limit=5", admin).json();
    assertThat(page.get("entries")).hasSize(5).allSatisfy(e -> assertThat(e.isObject()).as(e.toString()).isTrue());
    assertThat(page.at("/entries/0/type").asText()).isNotBlank();
    assertThat(page.get("to").asLong()).isEqualTo(7);
    assertThat(page.get("next").asText()).isEqualTo("/api/v1/audit/entries?from=7&limit=5");
    assertThat(http.get("/api/v1/audit/entries", admin).json().get("entries")).hasSizeLessThanOrEqualTo(100);
    assertThat(http.get("/api/v1/audit/entries?limit=100000", admin).status()).isEqualTo(400);
    var text = http.get("/api/v1/audit/entries?from=2&limit=1&format=text", admin).json().at("/entries/0");
    assertThat(text.isTextual()).isTrue();
    assertThat(Json.MAPPER.readTree(text.asText())).isEqualTo(page.at("/entries/0"));

    // the audit log verifies, and a rewritten row is detected
    var verify = http.get("/api/v1/audit/verify", admin).json();
    assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isTrue();
    assertThat(verify.get("entries").asLong()).isGreaterThan(20);
    server.database().jdbi().useHandle(h -> h.createUpdate(
        "update audit_entries set entry = replace(entry, 'drift alert', 'routine') where entry like '%drift alert%'").execute());
    var tampered = http.get("/api/v1/audit/verify", admin).json();
    assertThat(tampered.get("ok").asBoolean()).isFalse();
    assertThat(tampered.get("detail").asText()).contains("does not match");
  }

  @Test
  void inventoryLookupClassifiesByDigestAndName() throws Exception {
    registerLineage();
    Path dir = benignModel("inv_model", "{\"labels\":3}");
    var v = upload(alice, "inventory-model", dir, true, true);
    String onnx = dev.rampart.core.Sha256.of(dir.resolve("classifier.onnx"));
    String other = "ab".repeat(32);
    var r = http.post("/api/v1/projects/iris/inventory/lookup", alice, Map.of("artifacts", List.of(
        Map.of("sha256", onnx, "name", "classifier.onnx"),
        Map.of("sha256", other, "digest", v.get("digest").asText(), "name", "renamed.bin"),
        Map.of("sha256", other, "name", "classifier.onnx"),
        Map.of("sha256", other, "name", "classifier_onnx"),
        Map.of("sha256", other, "name", "../../etc/passwd"))));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    var results = r.json().get("artifacts");
    assertThat(results.get(0).get("status").asText()).isEqualTo("REGISTERED");
    assertThat(results.get(0).at("/registered/model").asText()).isEqualTo("inventory-model");
    assertThat(results.get(1).get("status").asText()).isEqualTo("REGISTERED");
    assertThat(results.get(2).get("status").asText()).isEqualTo("DIFFERS");
    assertThat(results.get(2).at("/registered/sha256").asText()).isEqualTo(onnx);
    // '_' is a LIKE wildcard; it must match only itself
    assertThat(results.get(3).get("status").asText()).isEqualTo("UNREGISTERED");
    assertThat(results.get(4).get("status").asText()).isEqualTo("UNREGISTERED");
    assertThat(results.get(4).get("name").asText()).isEqualTo("passwd");
    var bad = http.post("/api/v1/projects/iris/inventory/lookup", alice, Map.of("artifacts", List.of(Map.of("sha256", "nothex"))));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(http.post("/api/v1/projects/iris/inventory/lookup", "rmpu_invalid", Map.of("artifacts", List.of())).status())
        .isEqualTo(401);
  }

  @Test
  void aRobustnessRecordBelowTheFloorBlocksProduction() throws Exception {
    registerLineage();
    var v = upload(alice, "fragile", benignModel("fragile", "{\"labels\":2}"), true, true);
    int version = v.get("version").asInt();
    var staged = promote(alice, "fragile", version, "staging");
    http.post("/api/v1/projects/iris/promotions/" + staged.get("id").asLong() + "/approve", bob, "{}");
    var eval = http.post("/api/v1/projects/iris/models/fragile/versions/" + version + "/evaluations", alice,
        Map.of("name", "robustness", "result", Map.of("clean_accuracy", 0.95, "robust_accuracy", 0.31, "eps", 0.2,
            "norm", "linf", "attacks", List.of("square-linf", "random-noise"), "budget", 1000, "n", 500, "seed", 0)));
    assertThat(eval.status()).as(eval.body()).isEqualTo(201);
    var blocked = promote(alice, "fragile", version, "production");
    assertThat(blocked.get("status").asText()).isEqualTo("blocked");
    assertThat(blocked.get("failedRules").findValuesAsText("name")).contains("robustness-floor")
        .doesNotContain("no-backdoor-trigger", "llm-probes-resisted");
  }

  @Test
  void aBackdoorTriggerOrAWorkingLlmProbeBlocksProduction() throws Exception {
    registerLineage();
    var v = upload(alice, "trojan", benignModel("trojan", "{\"labels\":2}"), true, true);
    int version = v.get("version").asInt();
    var staged = promote(alice, "trojan", version, "staging");
    http.post("/api/v1/projects/iris/promotions/" + staged.get("id").asLong() + "/approve", bob, "{}");
    var backdoor = http.post("/api/v1/projects/iris/models/trojan/versions/" + version + "/evaluations", alice,
        Map.of("name", "backdoor", "result", Map.of("n", 500, "threshold", 0.8, "findings", List.of(Map.of(
            "trigger", "2x2 patch = 16 at rows 6-7, columns 6-7", "class", "0", "forced_rate", 1.0)))));
    assertThat(backdoor.status()).as(backdoor.body()).isEqualTo(201);
    var llm = http.post("/api/v1/projects/iris/models/trojan/versions/" + version + "/evaluations", alice,
        Map.of("name", "llm", "result", Map.of("categories", List.of(
            Map.of("category", "jailbreak", "succeeded", 2, "answered", 12),
            Map.of("category", "pii-leakage", "succeeded", 0, "answered", 9)))));
    assertThat(llm.status()).as(llm.body()).isEqualTo(201);
    var blocked = promote(alice, "trojan", version, "production");
    assertThat(blocked.get("status").asText()).isEqualTo("blocked");
    assertThat(blocked.get("failedRules").findValuesAsText("name"))
        .contains("no-backdoor-trigger", "llm-probes-resisted");
  }

  @Test
  void telemetryRaisesAlertsAndAPolicyRollsBackAutomatically() throws Exception {
    registerLineage();
    for (String name : new String[] {"t1", "t2"}) {
      var v = upload(alice, "monitored", benignModel(name, "{\"labels\":2,\"n\":\"" + name + "\"}"), true, true);
      var p = promote(alice, "monitored", v.get("version").asInt(), "staging");
      var ok = http.post("/api/v1/projects/iris/promotions/" + p.get("id").asLong() + "/approve", bob, "{}");
      assertThat(ok.json().get("status").asText()).as(ok.body()).isEqualTo("deployed");
    }
    String telemetry = "/api/v1/projects/iris/environments/staging/telemetry";
    var random = new java.util.Random(5);
    var normal = new StringBuilder();
    var stuck = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      normal.append(event(random, false));
      stuck.append(event(random, true));
    }
    var noProfile = http.post(telemetry, bot, normal.toString());
    assertThat(noProfile.status()).isEqualTo(409);
    assertThat(noProfile.body()).contains("no reference profile");

    var profile = referenceProfile(random);
    var set = http.put("/api/v1/projects/iris/models/monitored/versions/2/monitor-profile", alice, new String(profile.toJson(),
        java.nio.charset.StandardCharsets.UTF_8));
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(set.json().get("digest").asText()).isEqualTo(profile.digest());
    assertThat(http.put("/api/v1/projects/iris/models/monitored/versions/2/monitor-profile", alice, "{\"x\": 1}").status())
        .isEqualTo(400);
    assertThat(http.put("/api/v1/projects/iris/environments/staging/rollback-policy", alice,
        Map.of("onAlerts", List.of("pipeline-fault"))).status()).isEqualTo(403);
    assertThat(http.put("/api/v1/projects/iris/environments/staging/rollback-policy", admin,
        Map.of("onAlerts", List.of("no-such-kind"))).status()).isEqualTo(400);
    var policy = http.put("/api/v1/projects/iris/environments/staging/rollback-policy", admin,
        Map.of("onAlerts", List.of("pipeline-fault")));
    assertThat(policy.status()).as(policy.body()).isEqualTo(200);
    assertThat(http.post(telemetry, dave, normal.toString()).status()).isEqualTo(403);

    // the deployment's own voice: a telemetry token of the service account, bound to staging
    var bound = http.post("/api/v1/tokens", admin, Map.of("principal", "deploy-bot", "scopes", "telemetry", "ttlDays", 7,
        "project", "iris", "environment", "staging"));
    assertThat(bound.status()).as(bound.body()).isEqualTo(201);
    String sensor = bound.json().get("token").asText();
    var quiet = http.post(telemetry, sensor, normal.toString() + "not json\n");
    assertThat(quiet.status()).as(quiet.body()).isEqualTo(200);
    assertThat(quiet.json().get("accepted").asInt()).isEqualTo(1000);
    assertThat(quiet.json().get("malformed").asInt()).isEqualTo(1);
    assertThat(quiet.json().get("alerts")).isEmpty();

    var faulty = http.post(telemetry, sensor, stuck.toString());
    assertThat(faulty.status()).as(faulty.body()).isEqualTo(200);
    assertThat(faulty.json().at("/alerts/0/kind").asText()).isEqualTo("pipeline-fault");
    assertThat(faulty.json().at("/alerts/0/features/0").asText()).isEqualTo("f0");
    assertThat(faulty.json().at("/alerts/0/rolledBack").asBoolean()).isTrue();
    assertThat(faulty.json().at("/rolledBack/version").asInt()).isEqualTo(1);

    var env = http.get("/api/v1/projects/iris/environments/staging", dave).json();
    assertThat(env.at("/current/version").asInt()).isEqualTo(1);
    assertThat(env.at("/alerts/0/kind").asText()).isEqualTo("pipeline-fault");
    assertThat(env.at("/alerts/0/version").asInt()).isEqualTo(2);
    long audited = server.database().jdbi().withHandle(h -> h.createQuery(
        "select count(*) from audit_entries where entry like '%monitor.auto_rollback%'").mapTo(Long.class).one());
    assertThat(audited).isEqualTo(1);
    // v1 has no profile: telemetry for the restored version is refused until one is set
    assertThat(http.post(telemetry, sensor, normal.toString()).status()).isEqualTo(409);
  }

  static String event(java.util.Random random, boolean stuck) {
    return String.format(java.util.Locale.ROOT,
        "{\"features\": {\"f0\": %.4f, \"f1\": %.4f, \"f2\": %.4f}, \"prediction\": \"a\", \"probability\": 0.9}%n",
        stuck ? 0.0 : random.nextGaussian(), random.nextGaussian(), random.nextGaussian());
  }

  static dev.rampart.data.monitor.ReferenceProfile referenceProfile(java.util.Random random) throws Exception {
    int rows = 5000;
    var columns = new ArrayList<dev.rampart.data.io.Column>();
    for (String f : new String[] {"f0", "f1", "f2"}) {
      double[] v = new double[rows];
      for (int r = 0; r < rows; r++) {
        v[r] = random.nextGaussian();
      }
      columns.add(new dev.rampart.data.io.Column.Numeric(f, v));
    }
    columns.add(new dev.rampart.data.io.Column.Categorical("label", new int[rows], List.of("a")));
    var data = new dev.rampart.data.io.Dataset("reference", dev.rampart.data.io.DatasetFormat.CSV, rows, columns);
    return dev.rampart.data.monitor.Profiler.profile(data, new dev.rampart.data.monitor.Profiler.Options("label",
        java.util.Optional.empty(), java.util.Optional.empty(), List.of()), "sha256:" + "1".repeat(64));
  }

  @Test
  void runAuthorsCannotApproveTheirOwnModels() throws Exception {
    registerLineage();
    // bob uploads a version of a run that alice ran; alice cannot approve, carol can
    http.put("/api/v1/projects/iris/members/alice", admin, Map.of("role", "approver"));
    var v = upload(bob, "m", benignModel("m", "{}"), true, true);
    var p = promote(carol, "m", v.get("version").asInt(), "staging");
    var byRunAuthor = http.post("/api/v1/projects/iris/promotions/" + p.get("id").asLong() + "/approve", alice, "{}");
    assertThat(byRunAuthor.code()).isEqualTo("separation_of_duties");
    assertThat(byRunAuthor.json().at("/error/message").asText()).contains("ran the training");
  }

  @Test
  void badInputGetsClearErrorsAndStoresNothing() throws Exception {
    registerLineage();
    long auditBefore = http.get("/api/v1/audit/verify", admin).json().get("entries").asLong();
    var malformed = http.send("POST", "/api/v1/projects/iris/runs", alice, "{\"name\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.code()).isEqualTo("malformed_json");
    var dup = http.send("POST", "/api/v1/projects/iris/runs", alice, "{\"name\":\"a\",\"name\":\"b\"}");
    assertThat(dup.code()).isEqualTo("malformed_json");
    var traversal = http.multipart("/api/v1/projects/iris/models/m/versions", alice,
        List.of(Http.Part.file("file", "../../escape.pt", "x".getBytes(StandardCharsets.UTF_8))));
    assertThat(traversal.status()).isEqualTo(400);
    assertThat(traversal.code()).isEqualTo("invalid_name");
    var badName = http.post("/api/v1/projects/iris/datasets/..%2Fetc/versions", alice, Map.of("digest", "a".repeat(64)));
    assertThat(badName.status()).isIn(400, 404);
    assertThat(http.get("/api/v1/projects/iris/models/nope/versions/1", alice).code()).isEqualTo("not_found");
    assertThat(http.get("/api/v1/projects/nope/models", admin).code()).isEqualTo("not_found");
    assertThat(http.get("/api/v1/projects/iris/promotions/99999", alice).code()).isEqualTo("not_found");
    assertThat(http.get("/api/v1/no/such/route", alice).status()).isEqualTo(404);
    assertThat(http.post("/api/v1/projects/iris/promotions", alice, Map.of("model", "x")).status()).isEqualTo(400);
    // nothing half-way: no model, no audit entry from the failures
    assertThat(http.get("/api/v1/projects/iris/models", alice).json().size()).isZero();
    assertThat(http.get("/api/v1/audit/verify", admin).json().get("entries").asLong()).isEqualTo(auditBefore);
    assertThat(Files.exists(tmp.resolve("data/artifacts")) ? Files.list(tmp.resolve("data/artifacts")).count() : 0).isZero();
    for (var r : List.of(malformed, traversal)) {
      assertThat(r.body()).doesNotContain("Exception", "\tat ", ".java:");
    }
  }

  @Test
  void oversizedUploadsAreRefusedWith413() throws Exception {
    server.close();
    server = RampartServer.start(config(tmp.resolve("small")).withMaxUpload(1024 * 1024));
    http = new Http(server.port());
    String root = server.bootstrapToken().orElseThrow();
    http.post("/api/v1/projects", root, Map.of("name", "iris"));
    var big = http.multipart("/api/v1/projects/iris/models/big/versions", root,
        List.of(Http.Part.file("file", "weights.bin", new byte[3 * 1024 * 1024])));
    assertThat(big.status()).as(big.body()).isEqualTo(413);
    assertThat(big.code()).isEqualTo("payload_too_large");
    assertThat(http.get("/api/v1/projects/iris/models", root).json().size()).isZero();
    var hugeJson = http.send("POST", "/api/v1/projects/iris/runs", root, "{\"name\":\"" + "x".repeat(9 * 1024 * 1024) + "\"}");
    assertThat(hugeJson.status()).isEqualTo(413);
  }

  @Test
  void tokensAreCheckedExpiredAndRevocable() {
    assertThat(http.get("/api/v1/me", null).code()).isEqualTo("unauthenticated");
    assertThat(http.get("/api/v1/me", "rmpu_notatoken").code()).isEqualTo("invalid_token");
    String forged = alice.substring(0, 20) + (alice.charAt(20) == 'a' ? 'b' : 'a') + alice.substring(21);
    assertThat(http.get("/api/v1/me", forged).code()).isEqualTo("invalid_token");
    var issuing = http.post("/api/v1/tokens", alice, Map.of("scopes", "read", "ttlDays", 1));
    assertThat(issuing.status()).as(issuing.body()).isEqualTo(201);
    var issued = issuing.json();
    String t = issued.get("token").asText();
    assertThat(t).startsWith("rmpu_").hasSize(54);
    assertThat(http.get("/api/v1/me", t).status()).isEqualTo(200);
    assertThat(http.post("/api/v1/projects/iris/runs", t, Map.of("name", "x")).code()).isEqualTo("forbidden");
    assertThat(http.send("DELETE", "/api/v1/tokens/" + issued.get("id").asLong(), alice, null).status()).isEqualTo(204);
    assertThat(http.get("/api/v1/me", t).code()).isEqualTo("token_revoked");
    var other = http.post("/api/v1/tokens", alice, Map.of("scopes", "read", "ttlDays", 1)).json();
    server.database().jdbi().useHandle(h -> h.createUpdate("update tokens set expires_at = :t where id = :id")
        .bind("t", java.time.OffsetDateTime.now().minusDays(1)).bind("id", other.get("id").asLong()).execute());
    assertThat(http.get("/api/v1/me", other.get("token").asText()).code()).isEqualTo("token_expired");
    // tokens are stored only as hashes
    var stored = server.database().jdbi().withHandle(h -> h.createQuery("select token_hash from tokens").mapTo(String.class).list());
    assertThat(stored).noneMatch(s -> s.contains(t.substring(5, 20)));
    // a contributor cannot mint tokens for others or with admin scope
    assertThat(http.post("/api/v1/tokens", alice, Map.of("principal", "bob", "scopes", "read")).code()).isEqualTo("forbidden");
    assertThat(http.post("/api/v1/tokens", alice, Map.of("scopes", "admin")).code()).isEqualTo("forbidden");
  }

  @Test
  void everyRouteHasExactlyOneAuthorizationRuleAndDeniesByDefault() {
    var routes = server.api().routes();
    assertThat(routes).hasSizeGreaterThan(25);
    for (var r : routes) {
      assertThat(r.permission()).as(r.method() + " " + r.path()).isNotNull();
      String path = r.path().replace("{project}", "iris").replaceAll("\\{[a-z]+}", "1");
      var anonymous = http.send(r.method().name(), path, null, "{}");
      if (r.permission() == Permission.PUBLIC) {
        assertThat(anonymous.status()).as(path).isEqualTo(200);
      } else {
        assertThat(anonymous.status()).as(r.method() + " " + path + " without a token").isEqualTo(401);
      }
      if (r.permission().role() != null && r.permission().role() != dev.rampart.server.auth.Role.VIEWER) {
        var asViewer = http.send(r.method().name(), path, dave, "{}");
        assertThat(asViewer.status()).as(r.method() + " " + path + " as a viewer").isEqualTo(403);
      }
    }
    var openapi = http.get("/api/v1/openapi.json", null).json();
    assertThat(openapi.get("openapi").asText()).startsWith("3.1");
    assertThat(openapi.get("paths").size()).isGreaterThan(20);
    // a project outside your memberships does not exist for you
    assertThat(http.post("/api/v1/projects", admin, Map.of("name", "secret")).status()).isEqualTo(201);
    assertThat(http.get("/api/v1/projects/secret/models", alice).code()).isEqualTo("not_found");
  }

  @Test
  void policiesAreValidatedVersionedAndExplainable() throws Exception {
    var bad = http.put("/api/v1/projects/iris/environments/staging/policy", admin,
        Map.of("mode", "enforce", "rules", List.of(Map.of("name", "broken", "expression", "findings.critical ==", "message", "x"))));
    assertThat(bad.code()).isEqualTo("invalid_policy");
    var ok = http.put("/api/v1/projects/iris/environments/dev/policy", admin, Map.of("mode", "enforce", "rules", List.of(
        Map.of("name", "signed", "expression", "signature.verified", "message", "must be signed"),
        Map.of("name", "few-findings", "expression", "findings.total < 100", "message", "too many findings"))));
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(ok.json().get("version").asInt()).isEqualTo(2);
    registerLineage();
    var unsigned = upload(alice, "u", benignModel("u", "{}"), false, false);
    var p = promote(alice, "u", unsigned.get("version").asInt(), "dev");
    assertThat(p.get("status").asText()).isEqualTo("blocked");
    assertThat(p.get("failedRules").findValuesAsText("name")).containsExactly("signed");
    assertThat(p.get("policySha256").asText()).isEqualTo(ok.json().get("sha256").asText());
    var env = http.get("/api/v1/projects/iris/environments/dev", dave).json();
    assertThat(env.at("/policy/mode").asText()).isEqualTo("enforce");
  }
}
