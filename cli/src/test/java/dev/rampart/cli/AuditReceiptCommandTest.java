package dev.rampart.cli;

import static dev.rampart.cli.ScanCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.server.RampartServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code admit --receipt}, {@code audit verify-receipt} offline, and {@code audit verify --state} against a real server. */
class AuditReceiptCommandTest {
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

  private String api(String method, String path, String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Authorization", "Bearer " + server.bootstrapToken().orElseThrow())
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void aSavedReceiptVerifiesOfflineAndATamperedOneFails() throws Exception {
    api("POST", "/api/v1/projects", "{\"name\":\"demo\"}");
    Path model = Files.createDirectories(tmp.resolve("m"));
    Files.copy(Path.of("../examples/models/clean/classifier.onnx"), model.resolve("classifier.onnx"));
    assertThat(run("model", "upload", "demo", "clf", model.toString()).code()).isZero();
    assertThat(run("promote", "demo", "clf", "1", "dev").code()).isZero();
    Path receipt = tmp.resolve("admission.receipt");
    // unsigned, so denied: the denial is as much a logged decision as an allowance, and gets a receipt too
    var admitted = run("admit", "demo", "dev", "--path", model.toString(), "--receipt", receipt.toString());
    assertThat(admitted.code()).isEqualTo(1);
    assertThat(admitted.out()).doesNotContain("inclusionProof");
    Path key = tmp.resolve("audit-key.pem");
    Files.writeString(key, api("GET", "/api/v1/audit/key", null));
    server.close();
    server = null;

    var ok = run("audit", "verify-receipt", receipt.toString(), "--log-key", key.toString());
    assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).startsWith("VERIFIED: entry ").contains("admission.denied demo/dev sha256:");

    Files.writeString(receipt, Files.readString(receipt).replace("admission.denied", "admission.allowed"));
    var tampered = run("audit", "verify-receipt", receipt.toString(), "--log-key", key.toString());
    assertThat(tampered.code()).isEqualTo(1);
    assertThat(tampered.out()).startsWith("FAILED: the entry is not included at index");

    Files.writeString(receipt, "{}");
    assertThat(run("audit", "verify-receipt", receipt.toString(), "--log-key", key.toString()).code()).isEqualTo(2);
    server = RampartServer.start(RampartServer.Config.embedded(tmp.resolve("data"), 0).withH2());
    System.setProperty("rampart.url", "http://127.0.0.1:" + server.port());
  }

  @Test
  void theDemoWorkspacesWholeWorkflowLeavesEveryBoundRowMatchingTheLog() throws Exception {
    // uploads, attestations, approvals, deployments, a rollback, poison marks and telemetry: no false difference
    DemoWorkspace.populate("http://127.0.0.1:" + server.port(), server.bootstrapToken().orElseThrow(), tmp.resolve("work"));
    var verified = run("audit", "verify", "--state");
    assertThat(verified.code()).as(verified.out() + verified.err()).isZero();
    assertThat(verified.out()).contains("STATE VERIFIED");
  }

  @Test
  void auditVerifyStateReportsEveryBoundRowAsMatching() throws Exception {
    api("POST", "/api/v1/projects", "{\"name\":\"demo\"}");
    var verified = run("audit", "verify", "--state");
    assertThat(verified.code()).as(verified.out() + verified.err()).isZero();
    assertThat(verified.out()).contains("VERIFIED").contains("STATE VERIFIED: every registry row matches its latest log entry (3 keys");
  }
}
