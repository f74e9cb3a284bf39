package dev.rampart.cli;

import static dev.rampart.cli.ScanCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.server.RampartServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client subcommands against a real server: register, upload, promote, admit, rollback, audit. */
class ServerClientTest {
  @TempDir Path tmp;
  RampartServer server;

  @BeforeEach
  void start() throws Exception {
    server = RampartServer.start(RampartServer.Config.embedded(tmp.resolve("data"), 0).withH2());
    System.setProperty("rampart.url", "http://127.0.0.1:" + server.port());
    System.setProperty("rampart.token", server.bootstrapToken().orElseThrow());
  }

  @AfterEach
  void stop() {
    server.close();
    System.clearProperty("rampart.url");
    System.clearProperty("rampart.token");
  }

  private void createProject(String name) throws Exception {
    var created = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/api/v1/projects"))
            .header("Authorization", "Bearer " + server.bootstrapToken().orElseThrow())
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).isEqualTo(201);
  }

  @Test
  void lifecycleFromTheCommandLine() throws Exception {
    createProject("demo");
    Path data = Files.createDirectories(tmp.resolve("data-v1"));
    Files.writeString(data.resolve("train.csv"), "x,label\n1,0\n");
    assertThat(run("dataset", "register", "demo", "iris", "--path", data.toString()).code()).isZero();
    assertThat(run("run", "register", "demo", "r1", "--commit", "abcdef1", "--input", "iris:1", "--param", "lr=0.1").code()).isZero();
    Path model = Files.createDirectories(tmp.resolve("m"));
    Files.copy(Path.of("../examples/models/clean/classifier.onnx"), model.resolve("classifier.onnx"));
    var up = run("model", "upload", "demo", "clf", model.toString(), "--run", "r1");
    assertThat(up.code()).as(up.err()).isZero();
    assertThat(up.out()).contains("\"scanVerdict\" : \"clean\"");
    var promoted = run("promote", "demo", "clf", "1", "dev");
    assertThat(promoted.code()).as(promoted.out() + promoted.err()).isZero();
    assertThat(promoted.out()).contains("deployed");
    // unsigned: the gate of staging blocks it, and admission refuses it
    var blocked = run("promote", "demo", "clf", "1", "staging");
    assertThat(blocked.code()).isEqualTo(1);
    assertThat(blocked.out()).contains("signature-verified");
    var admitted = run("admit", "demo", "dev", "--path", model.toString());
    assertThat(admitted.code()).isEqualTo(1);
    assertThat(admitted.out()).contains("signature does not verify");
    var lineage = run("model", "lineage", "demo", "clf", "1");
    assertThat(lineage.out()).contains("iris");
    assertThat(run("audit", "verify").out()).startsWith("VERIFIED");
    var missing = run("model", "show", "demo", "nope", "1");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("not_found");
  }

  private java.net.http.HttpResponse<String> api(String method, String path, String token, String body) throws Exception {
    return java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void attestationsFromTheCommandLineAreVerifiedAndApproveFailsOnABlockedPromotion() throws Exception {
    createProject("demo");
    String root = server.bootstrapToken().orElseThrow();
    var evaluator = dev.rampart.integrity.sign.SigningKey.generate(dev.rampart.integrity.sign.Curve.P256);
    evaluator.write(tmp.resolve("evaluator.pem"), tmp.resolve("evaluator.pub"));
    var stranger = dev.rampart.integrity.sign.SigningKey.generate(dev.rampart.integrity.sign.Curve.P256);
    stranger.write(tmp.resolve("stranger.pem"), tmp.resolve("stranger.pub"));
    var trusted = run("key", "trust", "demo", "evaluator", tmp.resolve("evaluator.pub").toString(), "--may", "robustness,dataset-check");
    assertThat(trusted.code()).as(trusted.err()).isZero();
    assertThat(run("key", "list", "demo").out()).contains("robustness");
    String model = "../eval/src/test/resources/models/breast_cancer_logreg.onnx";
    assertThat(run("model", "upload", "demo", "clf", model).code()).isZero();
    // the evaluation is signed about the bytes evaluated, and verified by the server against the trust policy
    Path folder = Files.createDirectories(tmp.resolve("upload/clf"));
    Files.copy(Path.of(model), folder.resolve("breast_cancer_logreg.onnx"));
    var eval = run("eval", "robustness", model, "--data", "../data/src/test/resources/datasets/clean/breast_cancer.csv.gz",
        "--label", "label", "--eps", "0.05", "--budget", "100", "--samples", "60", "-q",
        "--attest", tmp.resolve("evaluator.pem").toString(), "--attest-subject", folder.toString(), "--attestation", tmp.resolve("robustness.json").toString());
    assertThat(eval.err()).contains("attestation (robustness about sha256:");
    var accepted = run("attest", "demo", tmp.resolve("robustness.json").toString());
    assertThat(accepted.code()).as(accepted.err()).isZero();
    assertThat(accepted.out()).contains("\"attestedBy\" : \"evaluator\"");
    var forged = run("eval", "robustness", model, "--data", "../data/src/test/resources/datasets/clean/breast_cancer.csv.gz",
        "--label", "label", "--eps", "0.05", "--budget", "100", "--samples", "60", "-q",
        "--attest", tmp.resolve("stranger.pem").toString(), "--attest-subject", folder.toString(), "--attestation", tmp.resolve("forged.json").toString());
    assertThat(forged.err()).contains("attestation");
    var refused = run("attest", "demo", tmp.resolve("forged.json").toString());
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("attestation_unverified");

    // a promotion that passes when requested but is blocked when approved: approve exits 1
    assertThat(api("POST", "/api/v1/principals", root, "{\"name\":\"bob\"}").statusCode()).isEqualTo(201);
    assertThat(api("PUT", "/api/v1/projects/demo/members/bob", root, "{\"role\":\"approver\"}").statusCode()).isEqualTo(204);
    var bob = new com.fasterxml.jackson.databind.ObjectMapper().readTree(api("POST", "/api/v1/tokens", root,
        "{\"principal\":\"bob\",\"scopes\":\"read,write\",\"ttlDays\":1}").body()).get("token").asText();
    assertThat(api("PUT", "/api/v1/projects/demo/environments/staging/policy", root,
        "{\"mode\":\"enforce\",\"rules\":[{\"name\":\"open\",\"expression\":\"true\"}]}").statusCode()).isEqualTo(200);
    var pending = run("promote", "demo", "clf", "1", "staging");
    assertThat(pending.code()).isZero();
    assertThat(pending.out()).contains("pending");
    assertThat(api("PUT", "/api/v1/projects/demo/environments/staging/policy", root,
        "{\"mode\":\"enforce\",\"rules\":[{\"name\":\"closed\",\"expression\":\"false\"}]}").statusCode()).isEqualTo(200);
    System.setProperty("rampart.token", bob);
    var approve = run("approve", "demo", "1");
    assertThat(approve.code()).as(approve.out()).isEqualTo(1);
    assertThat(approve.out()).contains("\"status\" : \"blocked\"").contains("\"gateAllowed\" : false");
  }

  @Test
  void discoverTellsRegisteredChangedAndShadowArtifactsApart() throws Exception {
    createProject("inv");
    Path model = Files.createDirectories(tmp.resolve("registered"));
    Files.copy(Path.of("../examples/models/clean/classifier.onnx"), model.resolve("classifier.onnx"));
    assertThat(run("model", "upload", "inv", "clf", model.toString()).code()).isZero();

    Path tree = Files.createDirectories(tmp.resolve("host"));
    Files.copy(Path.of("../examples/models/clean/classifier.onnx"), tree.resolve("classifier.onnx"));
    Path swapped = Files.createDirectories(tree.resolve("prod"));
    byte[] changed = Files.readAllBytes(Path.of("../examples/models/clean/classifier.onnx"));
    changed[changed.length - 1] ^= 1;
    Files.write(swapped.resolve("classifier.onnx"), changed);
    Files.copy(Path.of("../examples/models/clean/classifier.safetensors"), tree.resolve("side-project.safetensors"));
    Files.writeString(tree.resolve("start.sh"), "ray start --head --dashboard-host=127.0.0.1\n");

    var result = run("discover", tree.toString(), "--server", "http://127.0.0.1:" + server.port(), "--project", "inv",
        "-f", "json");
    assertThat(result.code()).as(result.err()).isEqualTo(1);
    var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(result.out());
    var byRule = new java.util.HashMap<String, java.util.List<String>>();
    report.path("findings").forEach(f -> byRule.computeIfAbsent(f.path("ruleId").asText(), k -> new java.util.ArrayList<>())
        .add(f.at("/location/file").asText()));
    assertThat(byRule.get("SHD-02")).singleElement().asString().endsWith("prod/classifier.onnx");
    assertThat(byRule.get("SHD-01")).singleElement().asString().endsWith("side-project.safetensors");
    assertThat(byRule.get("SHD-03")).singleElement().asString().endsWith("start.sh");
    assertThat(result.out()).contains("registered as clf v1");

    // shadow artifacts alone are MEDIUM, below the default --fail-on: the run passes but is never called clean
    Path shadowOnly = Files.createDirectories(tmp.resolve("shadow-only"));
    Files.copy(Path.of("../examples/models/clean/classifier.safetensors"), shadowOnly.resolve("side-project.safetensors"));
    Files.writeString(shadowOnly.resolve("start.sh"), "ray start --head --dashboard-host=127.0.0.1\n");
    var shadows = run("discover", shadowOnly.toString(), "--server", "http://127.0.0.1:" + server.port(), "--project", "inv",
        "--no-color");
    assertThat(shadows.code()).as(shadows.err()).isZero();
    assertThat(shadows.out()).contains("not registered", "SHD-01", "SHD-03")
        .contains("PASSED (below --fail-on HIGH): 2 model artifact(s) and AI-service configuration(s) found, 2 finding(s)")
        .doesNotContainIgnoringCase("clean");

    // without --server nothing is judged: the artifacts are inventoried, not called clean
    var offline = run("discover", shadowOnly.toString(), "--no-color");
    assertThat(offline.code()).isZero();
    assertThat(offline.out()).contains("INVENTORIED: 2 model artifact(s)").doesNotContainIgnoringCase("clean");
    assertThat(offline.err()).contains("registry status not checked");

    var denied = run("discover", tree.toString(), "--server", "http://127.0.0.1:" + server.port(), "--project", "nope");
    assertThat(denied.code()).isEqualTo(2);
  }

  @Test
  void auditVerifyTrustedProvesTheLogExtendsASavedCheckpoint() throws Exception {
    createProject("first");
    var client = java.net.http.HttpClient.newHttpClient();
    String saved = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port()
        + "/api/v1/audit/checkpoint")).header("Authorization", "Bearer " + server.bootstrapToken().orElseThrow()).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    Path savedFile = tmp.resolve("saved.checkpoint");
    Files.writeString(savedFile, saved);
    createProject("second");
    var ok = run("audit", "verify", "--trusted", savedFile.toString());
    assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("EXTENDS").contains("VERIFIED");

    // a checkpoint of the same size with another root, as a forked log would have signed it
    var keys = dev.rampart.integrity.log.LogKeys.loadOrCreate(tmp.resolve("data").resolve("keys"));
    var cp = dev.rampart.integrity.log.Checkpoint.verify(saved, "rampart.local/audit", keys.getPublic());
    byte[] otherRoot = cp.root().clone();
    otherRoot[0] ^= 1;
    Files.writeString(savedFile, new dev.rampart.integrity.log.Checkpoint(cp.origin(), cp.size(), otherRoot)
        .sign(cp.origin(), keys.getPrivate(), keys.getPublic()));
    var forked = run("audit", "verify", "--trusted", savedFile.toString());
    assertThat(forked.code()).isEqualTo(1);
    assertThat(forked.out()).contains("does not extend the trusted checkpoint of " + cp.size());
  }
}
