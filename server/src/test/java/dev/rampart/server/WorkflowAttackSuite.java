package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.integrity.attest.Attestation;
import dev.rampart.integrity.attest.PredicateType;
import dev.rampart.integrity.dsse.Envelope;
import dev.rampart.integrity.hash.ModelHasher;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.sign.Curve;
import dev.rampart.integrity.sign.SigningKey;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The workflow attacks an insider with a contributor token tried, each replayed against a real server (on H2 and on
 * PostgreSQL) and each now refused with a clear reason: facts nobody verified, overwritten evaluations, self-asserted
 * dataset verdicts, wrong rollbacks, token tricks and misreported decisions.
 */
abstract class WorkflowAttackSuite extends ServerFixture {
  final SigningKey stranger = SigningKey.generate(Curve.P256);

  JsonNode version(String model, int version) {
    var r = http.get("/api/v1/projects/iris/models/" + model + "/versions/" + version, dave);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  String digestOf(Path dir) throws Exception {
    return ModelHasher.hash(dir, ModelHasher.Options.files()).rootDigest();
  }

  String signIn(String token, String... headers) {
    var r = http.browser("POST", "/login", null, Map.of("token", token, "next", "/"), headers);
    assertThat(r.statusCode()).isEqualTo(303);
    String set = r.headers().firstValue("Set-Cookie").orElseThrow();
    return set.substring(set.indexOf('=') + 1, set.indexOf(';'));
  }

  // --- attack 1: provenance is parsed, never verified --------------------------------------------------------------

  @Test
  void attack1_provenanceSignedByAnUntrustedKeyDoesNotCount() throws Exception {
    registerLineage();
    Path dir = benignModel("m", "{}");
    var r = upload(alice, "m", dir, key, provenance("m", dir, stranger), "train-1");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    var v = version("m", 1);
    assertThat(v.at("/signature/verified").asBoolean()).isTrue();
    assertThat(v.at("/provenance/present").asBoolean()).isTrue();
    assertThat(v.at("/provenance/verified").asBoolean()).isFalse();
    assertThat(v.at("/provenance/complete").asBoolean()).isFalse();
    deploy("m", 1, "staging");
    var prod = promote(alice, "m", 1, "production");
    assertThat(prod.get("status").asText()).isEqualTo("blocked");
    assertThat(prod.get("failedRules").findValuesAsText("name")).containsExactly("provenance-complete");
    // the console says so, and says who attested what
    String cookie = signIn(dave);
    var page = http.browser("GET", "/projects/iris/models/m/versions/1", cookie, null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("b-unverified").contains("nobody the project trusts").contains("key release");
  }

  @Test
  void attack1_provenanceWithGarbageSignaturesDoesNotCount() throws Exception {
    registerLineage();
    Path dir = benignModel("m", "{}");
    var good = Bundle.parse(provenance("m", dir, key));
    var garbage = new Bundle(good.material(), new Envelope(Envelope.IN_TOTO, good.envelope().payload(),
        List.of(new Envelope.Sig(new byte[64], Optional.of("")))));
    var r = upload(alice, "m", dir, key, garbage.toJson(), "train-1");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().at("/provenance/verified").asBoolean()).isFalse();
    deploy("m", 1, "staging");
    assertThat(promote(alice, "m", 1, "production").get("failedRules").findValuesAsText("name")).contains("provenance-complete");
    // a key trusted only for evaluations does not vouch for provenance either
    Path other = benignModel("m2", "{\"v\":2}");
    var byEvaluator = upload(alice, "m", other, key, provenance("m", other, evaluator), "train-1");
    assertThat(byEvaluator.json().at("/provenance/verified").asBoolean()).isFalse();
    assertThat(byEvaluator.json().at("/provenance/detail").asText()).contains("not trusted to attest provenance");
  }

  // --- attack 2: evaluations are overwritable and unbound ----------------------------------------------------------

  @Test
  void attack2_anEmptyEvaluationPostedOverAFailingOneDoesNotReplaceIt() throws Exception {
    registerLineage();
    var v = upload(alice, "trojan", benignModel("trojan", "{}"), true, true);
    String digest = v.get("digest").asText();
    deploy("trojan", 1, "staging");
    String evals = "/api/v1/projects/iris/models/trojan/versions/1/evaluations";
    var failing = http.post(evals, bob, Map.of("name", "backdoor", "result", Map.of("n", 500, "findings",
        List.of(Map.of("trigger", "2x2 patch", "class", "0", "forced_rate", 1.0)))));
    assertThat(failing.status()).as(failing.body()).isEqualTo(201);
    var empty = http.post(evals, alice, Map.of("name", "backdoor", "result", Map.of("n", 500, "findings", List.of())));
    assertThat(empty.status()).isEqualTo(201);
    assertThat(empty.json().get("subject").asText()).isEqualTo(digest);
    assertThat(empty.json().get("verified").asBoolean()).isFalse();
    var blocked = promote(alice, "trojan", 1, "production");
    assertThat(blocked.get("status").asText()).isEqualTo("blocked");
    assertThat(blocked.get("failedRules").findValuesAsText("name")).containsExactly("no-backdoor-trigger");
    assertThat(version("trojan", 1).get("attestations")).hasSize(2);
    // a signature from a key not trusted for backdoor probes does not resolve it
    var byStranger = attest(alice, "trojan", digest, PredicateType.BACKDOOR, "{\"n\": 500, \"findings\": []}", stranger);
    assertThat(byStranger.status()).isEqualTo(422);
    assertThat(byStranger.code()).isEqualTo("attestation_unverified");
    var byReleaseKey = attest(alice, "trojan", digest, PredicateType.BACKDOOR, "{\"n\": 500, \"findings\": []}", key);
    assertThat(byReleaseKey.status()).isEqualTo(422);
    assertThat(byReleaseKey.body()).contains("not trusted to attest backdoor");
    // a trusted evaluator's passing probe resolves the failing claim, and the audit entry carries its digest
    var pass = attest(alice, "trojan", digest, PredicateType.BACKDOOR, "{\"n\": 500, \"findings\": []}", evaluator);
    assertThat(pass.status()).as(pass.body()).isEqualTo(201);
    String sha = pass.json().get("statementSha256").asText();
    long audited = server.database().jdbi().withHandle(h -> h.createQuery(
        "select count(*) from audit_entries where entry like '%attestation.recorded%' and entry like :s").bind("s", "%" + sha + "%")
        .mapTo(Long.class).one());
    assertThat(audited).isEqualTo(1);
    var now = promote(alice, "trojan", 1, "production");
    assertThat(now.get("status").asText()).as(now.toString()).isEqualTo("pending");
  }

  @Test
  void attack2_anEvaluationOfAnotherModelsFileIsRefused() throws Exception {
    registerLineage();
    upload(alice, "fragile", benignModel("fragile", "{}"), true, true);
    String otherDigest = digestOf(benignModel("other", "{\"other\":true}"));
    var bundle = Attestation.sign("other", otherDigest, PredicateType.ROBUSTNESS,
        new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"robust_accuracy\": 0.9}"), evaluator);
    var r = http.send("POST", "/api/v1/projects/iris/models/fragile/versions/1/evaluations", alice,
        new String(bundle.toJson(), StandardCharsets.UTF_8));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.body()).contains("another model");
    var direct = http.send("POST", "/api/v1/projects/iris/attestations", alice, new String(bundle.toJson(), StandardCharsets.UTF_8));
    assertThat(direct.status()).isEqualTo(404);
    assertThat(version("fragile", 1).get("attestations")).isEmpty();
  }

  // --- attack 3: dataset verdicts are self-asserted ----------------------------------------------------------------

  @Test
  void attack3_aSelfAssertedDatasetVerdictIsRefused() {
    var asserted = http.post("/api/v1/projects/iris/datasets/d/versions", alice, Map.of("digest", "ab".repeat(32), "verdict", "clean"));
    assertThat(asserted.status()).isEqualTo(400);
    assertThat(asserted.code()).isEqualTo("self_asserted");
    var report = http.post("/api/v1/projects/iris/datasets/d/versions", alice, Map.of("digest", "ab".repeat(32),
        "checkReport", Map.of("dataset", Map.of("omsDigest", "sha256:" + "ab".repeat(32), "verdict", "clean"))));
    assertThat(report.code()).isEqualTo("self_asserted");
    var plain = http.post("/api/v1/projects/iris/datasets/d/versions", alice, Map.of("digest", "ab".repeat(32)));
    assertThat(plain.json().get("verdict").asText()).isEqualTo("unchecked");
  }

  @Test
  void attack3_aPoisonedDatasetReRegisteredUnderAnotherNameStaysPoisoned() throws Exception {
    registerLineage();
    assertThat(http.post("/api/v1/projects/iris/datasets/iris-train/versions/1/poisoned", admin,
        Map.of("reason", "label flips found")).status()).isEqualTo(204);
    var copy = http.post("/api/v1/projects/iris/datasets/iris-fresh/versions", alice, Map.of("digest", datasetDigest));
    assertThat(copy.status()).isEqualTo(201);
    // even a trusted clean check does not clear a poisoned mark: it names the bytes
    assertThat(attest(alice, "iris-fresh", datasetDigest, PredicateType.DATASET_CHECK, "{\"verdict\": \"clean\"}", evaluator)
        .status()).isEqualTo(201);
    var listing = http.get("/api/v1/projects/iris/datasets", dave).json();
    for (JsonNode d : listing) {
      assertThat(d.get("poisoned").asBoolean()).as(d.toString()).isTrue();
    }
    assertThat(http.post("/api/v1/projects/iris/runs", alice, Map.of("name", "train-2", "inputs",
        List.of(Map.of("dataset", "iris-fresh", "version", 1)))).status()).isEqualTo(201);
    Path dir = benignModel("m", "{}");
    upload(alice, "m", dir, key, null, "train-2");
    var staging = promote(alice, "m", 1, "staging");
    assertThat(staging.get("status").asText()).isEqualTo("blocked");
    assertThat(staging.get("failedRules").findValuesAsText("name")).contains("training-data-not-poisoned");
    // clearing takes another approver and a reason, and is audited
    String clear = "/api/v1/projects/iris/datasets/iris-fresh/versions/1/poisoned";
    assertThat(http.send("DELETE", clear, admin, "{\"reason\": \"false alarm\"}").code()).isEqualTo("separation_of_duties");
    assertThat(http.send("DELETE", clear, alice, "{\"reason\": \"false alarm\"}").status()).isEqualTo(403);
    assertThat(http.send("DELETE", clear, bob, "{}").status()).isEqualTo(400);
    assertThat(http.send("DELETE", clear, bob, "{\"reason\": \"re-checked by hand\"}").status()).isEqualTo(204);
    assertThat(promote(alice, "m", 1, "staging").get("status").asText()).isEqualTo("pending");
    long audited = server.database().jdbi().withHandle(h -> h.createQuery(
        "select count(*) from audit_entries where entry like '%poison_cleared%' and entry like '%re-checked by hand%'")
        .mapTo(Long.class).one());
    assertThat(audited).isEqualTo(1);
  }

  // --- attack 4: rollback is wrong -----------------------------------------------------------------------------------

  @Test
  void attack4_telemetryMadeUpByAContributorNeverRollsBack() throws Exception {
    registerLineage();
    for (String name : new String[] {"t1", "t2"}) {
      var v = upload(alice, "monitored", benignModel(name, "{\"n\":\"" + name + "\"}"), true, false);
      deploy("monitored", v.get("version").asInt(), "staging");
    }
    var random = new java.util.Random(7);
    var profile = ServerSuite.referenceProfile(random);
    assertThat(http.put("/api/v1/projects/iris/models/monitored/versions/2/monitor-profile", alice,
        new String(profile.toJson(), StandardCharsets.UTF_8)).status()).isEqualTo(200);
    assertThat(http.put("/api/v1/projects/iris/environments/staging/rollback-policy", admin,
        Map.of("onAlerts", List.of("pipeline-fault"))).status()).isEqualTo(200);
    var stuck = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      stuck.append(ServerSuite.event(random, true));
    }
    var made = http.post("/api/v1/projects/iris/environments/staging/telemetry", alice, stuck.toString());
    assertThat(made.status()).as(made.body()).isEqualTo(200);
    assertThat(made.json().get("alerts")).isNotEmpty();
    assertThat(made.json().get("actedOn").asBoolean()).isFalse();
    assertThat(made.json().get("rolledBack").isNull()).isTrue();
    assertThat(http.get("/api/v1/projects/iris/environments/staging", dave).json().at("/current/version").asInt()).isEqualTo(2);
    // a telemetry token bound to another environment does not speak for this one either
    var elsewhere = http.post("/api/v1/tokens", admin, Map.of("principal", "deploy-bot", "scopes", "telemetry", "ttlDays", 7,
        "project", "iris", "environment", "production")).json().get("token").asText();
    var foreign = http.post("/api/v1/projects/iris/environments/staging/telemetry", elsewhere, stuck.toString());
    assertThat(foreign.json().get("actedOn").asBoolean()).isFalse();
    assertThat(http.get("/api/v1/projects/iris/environments/staging", dave).json().at("/current/version").asInt()).isEqualTo(2);
  }

  @Test
  void attack4_rollbackNeverRestoresAVersionTrainedOnPoisonedData() throws Exception {
    registerLineage();
    assertThat(http.post("/api/v1/projects/iris/datasets/scraped/versions", alice, Map.of("digest", "cd".repeat(32))).status())
        .isEqualTo(201);
    assertThat(http.post("/api/v1/projects/iris/runs", alice, Map.of("name", "train-b", "inputs",
        List.of(Map.of("dataset", "scraped", "version", 1)))).status()).isEqualTo(201);
    var v1 = upload(alice, "m", benignModel("a1", "{\"v\":1}"), key, null, "train-1").json();
    var v2 = upload(alice, "m", benignModel("a2", "{\"v\":2}"), key, null, "train-b").json();
    upload(alice, "m", benignModel("a3", "{\"v\":3}"), key, null, "train-1");
    deploy("m", 1, "staging");
    deploy("m", 2, "staging");
    deploy("m", 3, "staging");
    assertThat(http.post("/api/v1/projects/iris/datasets/scraped/versions/1/poisoned", admin, "{}").status()).isEqualTo(204);
    var rb = http.post("/api/v1/projects/iris/environments/staging/rollback", bob, Map.of("model", "m", "reason", "drift"));
    assertThat(rb.status()).as(rb.body()).isEqualTo(200);
    assertThat(rb.json().get("version").asInt()).isEqualTo(1);
    assertThat(rb.json().get("skipped").get(0).asText()).startsWith("v2:").contains("poisoned");
    assertThat(admit("staging", v1.get("digest").asText()).get("allowed").asBoolean()).isTrue();
    assertThat(admit("staging", v2.get("digest").asText()).get("allowed").asBoolean()).isFalse();
    // poisoning the data of the running version makes it inadmissible at once, and nothing is left to roll back to
    assertThat(http.post("/api/v1/projects/iris/datasets/iris-train/versions/1/poisoned", admin, "{}").status()).isEqualTo(204);
    var denied = admit("staging", v1.get("digest").asText());
    assertThat(denied.get("allowed").asBoolean()).isFalse();
    assertThat(denied.get("reason").asText()).contains("poisoned");
  }

  @Test
  void attack4_aVersionOnceRolledBackIsATargetAgain() throws Exception {
    registerLineage();
    for (int i = 1; i <= 3; i++) {
      upload(alice, "m", benignModel("r" + i, "{\"v\":" + i + "}"), true, false);
    }
    deploy("m", 1, "staging");
    deploy("m", 2, "staging");
    assertThat(http.post("/api/v1/projects/iris/environments/staging/rollback", bob, "{}").json().get("version").asInt())
        .isEqualTo(1);
    deploy("m", 2, "staging");
    deploy("m", 3, "staging");
    var rb = http.post("/api/v1/projects/iris/environments/staging/rollback", bob, "{}");
    assertThat(rb.status()).as(rb.body()).isEqualTo(200);
    assertThat(rb.json().get("version").asInt()).isEqualTo(2);
    assertThat(rb.json().get("decision").asLong()).isPositive();
  }

  @Test
  void attack4_promotingAnotherModelDoesNotSupersedeADeployment() throws Exception {
    registerLineage();
    var a = upload(alice, "model-a", benignModel("a", "{\"m\":\"a\"}"), true, false);
    var b = upload(alice, "model-b", benignModel("b", "{\"m\":\"b\"}"), true, false);
    deploy("model-a", 1, "staging");
    deploy("model-b", 1, "staging");
    assertThat(admit("staging", a.get("digest").asText()).get("allowed").asBoolean()).isTrue();
    assertThat(admit("staging", b.get("digest").asText()).get("allowed").asBoolean()).isTrue();
    assertThat(http.get("/api/v1/projects/iris/environments/staging", dave).json().get("active")).hasSize(2);
    var which = http.post("/api/v1/projects/iris/environments/staging/rollback", bob, "{}");
    assertThat(which.status()).isEqualTo(400);
    assertThat(which.body()).contains("say which model");
    var none = http.post("/api/v1/projects/iris/environments/staging/rollback", bob, Map.of("model", "model-b"));
    assertThat(none.status()).isEqualTo(409);
    assertThat(none.body()).contains("no earlier version of model-b");
    assertThat(admit("staging", a.get("digest").asText()).get("allowed").asBoolean()).isTrue();
    assertThat(admit("staging", b.get("digest").asText()).get("allowed").asBoolean()).isTrue();
  }

  // --- attack 5: tokens, ids, names, redirects, cookies --------------------------------------------------------------

  @Test
  void attack5_aDerivedTokenNeverExceedsItsParentAndDiesWithIt() {
    var parent = http.post("/api/v1/tokens", admin, Map.of("principal", "alice", "scopes", "read", "ttlDays", 20)).json();
    String read = parent.get("token").asText();
    var longer = http.post("/api/v1/tokens", read, Map.of("scopes", "read", "ttlDays", 365));
    assertThat(longer.status()).isEqualTo(403);
    assertThat(longer.code()).isEqualTo("exceeds_parent");
    assertThat(http.post("/api/v1/tokens", read, Map.of("scopes", "read,write", "ttlDays", 1)).code()).isEqualTo("exceeds_parent");
    var child = http.post("/api/v1/tokens", read, Map.of("scopes", "read", "ttlDays", 5)).json();
    var grandchild = http.post("/api/v1/tokens", child.get("token").asText(), Map.of("scopes", "read", "ttlDays", 1)).json();
    assertThat(http.get("/api/v1/me", grandchild.get("token").asText()).status()).isEqualTo(200);
    assertThat(http.send("DELETE", "/api/v1/tokens/" + parent.get("id").asLong(), alice, null).status()).isEqualTo(204);
    assertThat(http.get("/api/v1/me", child.get("token").asText()).code()).isEqualTo("token_revoked");
    assertThat(http.get("/api/v1/me", grandchild.get("token").asText()).code()).isEqualTo("token_revoked");
    assertThat(http.get("/api/v1/me", alice).status()).isEqualTo(200);
  }

  @Test
  void attack5_malformedIdsNumbersAndFileNamesAreRefusedWithStableCodes() {
    long revokedBefore = revokedTokens();
    for (String id : new String[] {"1x", "99999999999999999999", "-1", "+1", "1%20", "0x1"}) {
      var r = http.send("DELETE", "/api/v1/tokens/" + id, admin, null);
      assertThat(r.status()).as(id).isEqualTo(400);
      assertThat(r.code()).as(id).isEqualTo("invalid_request");
    }
    assertThat(revokedTokens()).isEqualTo(revokedBefore);
    assertThat(http.get("/api/v1/projects/iris/promotions/99999999999999999999", alice).code()).isEqualTo("invalid_request");
    assertThat(http.get("/api/v1/projects/iris/models/m/versions/1x", alice).code()).isEqualTo("invalid_request");
    for (String ttl : new String[] {"1e30", "99999999999999999999", "\"abc\"", "0", "366", "-5", "1.5", "9223372036854775807"}) {
      var r = http.send("POST", "/api/v1/tokens", alice, "{\"scopes\": \"read\", \"ttlDays\": " + ttl + "}");
      assertThat(r.status()).as(ttl).isEqualTo(400);
      assertThat(r.code()).as(ttl).isEqualTo("invalid_request");
    }
    for (String name : new String[] {"a".repeat(300), "model\u0000.pt", "dir/" + "b".repeat(256) + "/x.pt"}) {
      var r = http.multipart("/api/v1/projects/iris/models/m/versions", alice, List.of(Http.Part.file("file", name, new byte[] {1})));
      assertThat(r.status()).as(name).isBetween(400, 499);
      assertThat(r.code()).as(name).isIn("invalid_name", "invalid_request");
    }
  }

  long revokedTokens() {
    return server.database().jdbi().withHandle(h -> h.createQuery("select count(*) from tokens where revoked_at is not null")
        .mapTo(Long.class).one());
  }

  @Test
  void attack5_theSignInRedirectStaysOnThisSite() {
    for (String next : new String[] {"/\t/evil.example", "/%09/evil.example", "//evil.example", "/%2F%2Fevil.example",
        "/\\evil.example", "https://evil.example"}) {
      var r = http.browser("POST", "/login", null, Map.of("token", alice, "next", next));
      assertThat(r.statusCode()).isEqualTo(303);
      assertThat(r.headers().firstValue("Location").orElseThrow()).as(next).isEqualTo("/");
    }
    var page = http.browser("GET", "/login?next=" + URLEncoder.encode("/\t/evil.example", StandardCharsets.UTF_8), null, null);
    assertThat(page.body()).contains("name=\"next\" value=\"/\"");
    var ok = http.browser("POST", "/login", null, Map.of("token", alice, "next", "/projects/iris"));
    assertThat(ok.headers().firstValue("Location").orElseThrow()).isEqualTo("/projects/iris");
  }

  @Test
  void attack5_theSessionCookieIsSecureBehindATrustedTlsProxyOnly() throws Exception {
    var direct = http.browser("POST", "/login", null, Map.of("token", alice, "next", "/"), "X-Forwarded-Proto", "https");
    assertThat(direct.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContainIgnoringCase("secure");
    server.close();
    server = RampartServer.start(config(tmp.resolve("proxied")).withTrustedProxies(List.of("127.0.0.1")));
    http = new Http(server.port());
    String root = server.bootstrapToken().orElseThrow();
    var proxied = http.browser("POST", "/login", null, Map.of("token", root, "next", "/"), "X-Forwarded-Proto", "https");
    assertThat(proxied.headers().firstValue("Set-Cookie").orElseThrow()).containsIgnoringCase("secure").contains("HttpOnly");
    var plain = http.browser("POST", "/login", null, Map.of("token", root, "next", "/"), "X-Forwarded-Proto", "http");
    assertThat(plain.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContainIgnoringCase("secure");
  }

  // --- attack 6: decisions ---------------------------------------------------------------------------------------------

  @Test
  void attack6_aPromotionBlockedAtApprovalNeverReportsGateAllowed() throws Exception {
    registerLineage();
    upload(alice, "m", benignModel("m", "{}"), true, true);
    var p = promote(alice, "m", 1, "staging");
    assertThat(p.get("status").asText()).isEqualTo("pending");
    assertThat(p.get("gateAllowed").asBoolean()).isTrue();
    // the release key is revoked before the approval: the gate decides again and the signature no longer counts
    assertThat(http.post("/api/v1/projects/iris/keys/release/revoke", admin, "{}").status()).isEqualTo(204);
    var approved = http.post("/api/v1/projects/iris/promotions/" + p.get("id").asLong() + "/approve", bob, "{}").json();
    assertThat(approved.get("status").asText()).isEqualTo("blocked");
    assertThat(approved.get("gateAllowed").asBoolean()).isFalse();
    assertThat(approved.get("failedRules").findValuesAsText("name")).contains("signature-verified");
    var again = http.get("/api/v1/projects/iris/promotions/" + p.get("id").asLong(), dave).json();
    assertThat(again.get("gateAllowed").asBoolean()).isFalse();
  }

  @Test
  void attack6_theDryRunReplaysRecordedFactsFaithfully() throws Exception {
    registerLineage();
    upload(alice, "m", benignModel("m", "{}"), true, true);
    deploy("m", 1, "staging");
    deploy("m", 1, "production");
    String cookie = signIn(admin);
    for (String env : new String[] {"staging", "production"}) {
      var editor = http.browser("GET", "/projects/iris/environments/" + env + "/policy", cookie, null);
      var m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(editor.body());
      assertThat(m.find()).isTrue();
      String policy = http.get("/api/v1/projects/iris/environments/" + env, admin).json().get("policy").toString();
      var run = http.browser("POST", "/projects/iris/environments/" + env + "/policy", cookie,
          Map.of("csrf", m.group(1), "action", "dry-run", "policy", policy));
      assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
      assertThat(run.body()).as(env).contains("b-allowed").doesNotContain(">changes<").doesNotContain("b-blocked");
      // a rule comparing numbers is compared as numbers
      String numeric = "{\"mode\":\"enforce\",\"rules\":[{\"name\":\"few\",\"expression\":\"findings.total < 100 && "
          + "approvals.required >= 0\",\"message\":\"x\"}]}";
      var numbers = http.browser("POST", "/projects/iris/environments/" + env + "/policy", cookie,
          Map.of("csrf", m.group(1), "action", "dry-run", "policy", numeric));
      assertThat(numbers.body()).doesNotContain("b-blocked");
    }
  }

  @Test
  void attack6_aPromotionBlockedAtRequestReportsItAndCannotBeApproved() throws Exception {
    registerLineage();
    upload(alice, "m", benignModel("m", "{}"), false, true);
    var p = promote(alice, "m", 1, "staging");
    assertThat(p.get("status").asText()).isEqualTo("blocked");
    assertThat(p.get("gateAllowed").asBoolean()).isFalse();
    assertThat(p.get("failedRules").findValuesAsText("name")).contains("signature-verified");
    var approve = http.post("/api/v1/projects/iris/promotions/" + p.get("id").asLong() + "/approve", bob, "{}");
    assertThat(approve.status()).isEqualTo(409);
    assertThat(approve.code()).isEqualTo("invalid_state");
    assertThat(approve.body()).contains("is blocked, not pending");
    var again = http.get("/api/v1/projects/iris/promotions/" + p.get("id").asLong(), dave).json();
    assertThat(again.get("status").asText()).isEqualTo("blocked");
    assertThat(again.get("gateAllowed").asBoolean()).isFalse();
    assertThat(http.get("/api/v1/projects/iris/environments/staging", dave).json().has("current")).isFalse();
  }

  @Test
  void attack6_theDryRunReplaysPoisonAndFractionalScoresAsTheGateDecided() throws Exception {
    registerLineage();
    var v1 = upload(alice, "m", benignModel("m1", "{\"v\":1}"), true, true);
    assertThat(attest(alice, "m", v1.get("digest").asText(), PredicateType.ROBUSTNESS,
        "{\"robust_accuracy\": 0.8, \"clean_accuracy\": 1}", evaluator).status()).isEqualTo(201);
    deploy("m", 1, "staging");
    // the live gate compares a whole number with a fraction as a number, as the replay below does
    assertThat(http.put("/api/v1/projects/iris/environments/dev/policy", admin, Map.of("mode", "enforce", "rules",
        List.of(Map.of("name", "robust", "expression", "robustness.clean_accuracy >= 0.99", "message", "x")))).status())
        .isEqualTo(200);
    assertThat(promote(alice, "m", 1, "dev").get("gateAllowed").asBoolean()).isTrue();
    // the training data is found poisoned: the next version is blocked by the rule no policy removes
    assertThat(http.post("/api/v1/projects/iris/datasets/iris-train/versions/1/poisoned", admin, "{}").status())
        .isEqualTo(204);
    upload(alice, "m", benignModel("m2", "{\"v\":2}"), true, true);
    var blocked = promote(alice, "m", 2, "staging");
    assertThat(blocked.get("failedRules").findValuesAsText("name")).containsExactly("training-data-not-poisoned");
    String cookie = signIn(admin);
    var editor = http.browser("GET", "/projects/iris/environments/staging/policy", cookie, null);
    var csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(editor.body());
    assertThat(csrf.find()).isTrue();
    String unchanged = http.get("/api/v1/projects/iris/environments/staging", admin).json().get("policy").toString();
    var same = http.browser("POST", "/projects/iris/environments/staging/policy", cookie,
        Map.of("csrf", csrf.group(1), "action", "dry-run", "policy", unchanged));
    assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
    assertThat(same.body()).contains("b-allowed").contains("b-blocked").doesNotContain(">changes<");
    // fractional scores and whole numbers compare as numbers, the way the gate compares them
    for (var rule : List.of(List.of("robustness.robust_accuracy >= 0.5 && robustness.clean_accuracy >= 0.99", "keeps"),
        List.of("robustness.robust_accuracy >= 0.9", "changes"))) {
      String policy = "{\"mode\":\"enforce\",\"rules\":[{\"name\":\"robust\",\"expression\":\"" + rule.get(0)
          + "\",\"message\":\"x\"}]}";
      var run = http.browser("POST", "/projects/iris/environments/staging/policy", cookie,
          Map.of("csrf", csrf.group(1), "action", "dry-run", "policy", policy));
      assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
      if (rule.get(1).equals("keeps")) {
        assertThat(run.body()).as(rule.get(0)).doesNotContain(">changes<");
      } else {
        assertThat(run.body()).as(rule.get(0)).contains(">changes<");
      }
    }
  }

  // --- the trust policy end to end -------------------------------------------------------------------------------------

  @Test
  void aSignedEvaluationFromATrustedEvaluatorGatesPromotionAndAnUntrustedOneIsRefused() throws Exception {
    registerLineage();
    var v = upload(alice, "m", benignModel("m", "{}"), true, true);
    String digest = v.get("digest").asText();
    deploy("m", 1, "staging");
    assertThat(attest(alice, "m", digest, PredicateType.ROBUSTNESS, "{\"robust_accuracy\": 0.31}", evaluator).status())
        .isEqualTo(201);
    assertThat(promote(alice, "m", 1, "production").get("failedRules").findValuesAsText("name")).containsExactly("robustness-floor");
    var untrusted = attest(alice, "m", digest, PredicateType.ROBUSTNESS, "{\"robust_accuracy\": 0.99}", stranger);
    assertThat(untrusted.status()).isEqualTo(422);
    assertThat(untrusted.body()).contains("does not verify with any key the project trusts");
    assertThat(promote(alice, "m", 1, "production").get("status").asText()).isEqualTo("blocked");
    assertThat(attest(alice, "m", digest, PredicateType.ROBUSTNESS, "{\"robust_accuracy\": 0.8}", evaluator).status())
        .isEqualTo(201);
    deploy("m", 1, "production");
    assertThat(admit("production", digest).get("allowed").asBoolean()).isTrue();
    var facts = http.get("/api/v1/projects/iris/attestations/" + digest, dave).json();
    assertThat(facts).hasSize(2).allSatisfy(f -> {
      assertThat(f.get("attestedBy").asText()).isEqualTo("evaluator");
      assertThat(f.at("/signer/state").asText()).isEqualTo("trusted");
      assertThat(f.at("/signer/fingerprint").asText()).matches("[0-9a-f]{64}");
    });
    String trusted = http.browser("GET", "/projects/iris/models/m/versions/1", signIn(dave), null).body();
    assertThat(trusted).contains("<strong>evaluator</strong>").contains("(trusted)").doesNotContain("b-revoked");
    // revoking the evaluator withdraws its facts: the dataset check and the passing evaluation no longer count
    assertThat(http.post("/api/v1/projects/iris/keys/evaluator/revoke", admin, "{}").status()).isEqualTo(204);
    var denied = admit("production", digest);
    assertThat(denied.get("allowed").asBoolean()).isFalse();
    assertThat(denied.get("reason").asText()).contains("no longer passes the gate").contains("datasets-clean");
    var withdrawn = http.get("/api/v1/projects/iris/attestations/" + digest, dave).json();
    assertThat(withdrawn).allSatisfy(f -> {
      assertThat(f.get("verified").asBoolean()).isFalse();
      assertThat(f.at("/signer/key").asText()).isEqualTo("evaluator");
      assertThat(f.at("/signer/state").asText()).isEqualTo("revoked");
      assertThat(f.at("/signer/revokedAt").asText()).isNotEmpty();
      assertThat(f.get("predicateType").asText()).isEqualTo(PredicateType.ROBUSTNESS.uri());
    });
    // the console names the key behind every fact, its fingerprint and predicate type, and shows it revoked
    String cookie = signIn(dave);
    var page = http.browser("GET", "/projects/iris/models/m/versions/1", cookie, null).body();
    assertThat(page).contains("b-revoked").contains("<strong>evaluator</strong>").contains("(revoked ")
        .contains(PredicateType.ROBUSTNESS.uri()).doesNotContain("b-verified\">verified</span></td><td>key <strong>evaluator");
    var dataset = http.browser("GET", "/projects/iris/datasets/iris-train/versions/1", cookie, null).body();
    assertThat(dataset).contains("b-revoked").contains("<strong>evaluator</strong>").contains(PredicateType.DATASET_CHECK.uri());
  }
}
