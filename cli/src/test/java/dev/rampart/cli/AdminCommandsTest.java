package dev.rampart.cli;

import static dev.rampart.cli.ScanCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.server.RampartServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Principals, tokens and gate policies administered from the command line against a real server. */
class AdminCommandsTest {
  @TempDir Path tmp;
  RampartServer server;
  String root;

  @BeforeEach
  void start() throws Exception {
    server = RampartServer.start(RampartServer.Config.embedded(tmp.resolve("data"), 0).withH2());
    root = server.bootstrapToken().orElseThrow();
    System.setProperty("rampart.url", "http://127.0.0.1:" + server.port());
    System.setProperty("rampart.token", root);
  }

  @AfterEach
  void stop() {
    server.close();
    System.clearProperty("rampart.url");
    System.clearProperty("rampart.token");
  }

  private static JsonNode json(ScanCommandTest.Run r) throws Exception {
    assertThat(r.code()).as(r.err()).isZero();
    return Client.JSON.readTree(r.out());
  }

  @Test
  void tokensAreIssuedBoundedByTheirParentAndRevoked() throws Exception {
    assertThat(run("project", "create", "demo").code()).isZero();
    assertThat(json(run("principal", "create", "ci-bot", "--service")).path("kind").asText()).isEqualTo("service");
    assertThat(run("project", "member", "demo", "ci-bot", "--role", "contributor").code()).isZero();
    assertThat(json(run("principal", "create", "alice")).path("kind").asText()).isEqualTo("user");
    var issued = run("token", "create", "--for", "alice", "--scopes", "read", "--ttl-days", "7");
    assertThat(issued.err()).contains("shown only now");
    JsonNode aliceToken = json(issued);
    assertThat(aliceToken.path("token").asText()).isNotBlank();

    System.setProperty("rampart.token", aliceToken.path("token").asText());
    var beyond = run("token", "create", "--scopes", "read,write");
    assertThat(beyond.code()).isEqualTo(1);
    assertThat(beyond.err()).contains("only scopes the token issuing it has (read)");
    var forOther = run("token", "create", "--for", "bob");
    assertThat(forOther.code()).isEqualTo(1);
    assertThat(forOther.err()).contains("only for yourself");
    var notAdmin = run("principal", "create", "mallory", "--admin");
    assertThat(notAdmin.code()).isEqualTo(1);
    assertThat(notAdmin.err()).startsWith("rampart: ");
    var outlives = run("token", "create", "--scopes", "read", "--ttl-days", "30");
    assertThat(outlives.code()).isEqualTo(1);
    assertThat(outlives.err()).contains("cannot outlive").contains("ttlDays");
    JsonNode derived = json(run("token", "create", "--scopes", "read", "--ttl-days", "1"));
    assertThat(derived.path("id").asLong()).isNotEqualTo(aliceToken.path("id").asLong());

    System.setProperty("rampart.token", root);
    var revoked = run("token", "revoke", aliceToken.path("id").asText());
    assertThat(revoked.code()).as(revoked.err()).isZero();
    assertThat(revoked.out()).contains("revoked token " + aliceToken.path("id").asText());
    // the derived token went with its parent
    System.setProperty("rampart.token", derived.path("token").asText());
    var afterRevoke = run("project", "list");
    assertThat(afterRevoke.code()).isEqualTo(1);
    System.setProperty("rampart.token", root);
    var unknown = run("token", "revoke", "999999");
    assertThat(unknown.code()).isNotZero();
    JsonNode bound = json(run("token", "create", "--for", "ci-bot", "--scopes", "telemetry", "--project", "demo",
        "--environment", "production"));
    assertThat(bound.path("token").asText()).startsWith("rmps_");
    var halfBound = run("token", "create", "--project", "demo");
    assertThat(halfBound.code()).isEqualTo(2);
    assertThat(halfBound.err()).contains("--environment");
  }

  @Test
  void policiesAreReadAndSetFromAFileAndMalformedOnesAreRefused() throws Exception {
    assertThat(run("project", "create", "demo").code()).isZero();
    JsonNode before = json(run("policy", "get", "demo", "staging"));
    assertThat(before.path("policy").path("rules").isArray()).isTrue();
    assertThat(before.path("sha256").asText()).hasSize(64);

    Path notJson = Files.writeString(tmp.resolve("broken.json"), "{\"rules\": [");
    var broken = run("policy", "set", "demo", "staging", notJson.toString());
    assertThat(broken.code()).isEqualTo(2);
    assertThat(broken.err()).contains("is not JSON").contains("\"rules\"");
    Path noRules = Files.writeString(tmp.resolve("norules.json"), "[1, 2]");
    var shapeless = run("policy", "set", "demo", "staging", noRules.toString());
    assertThat(shapeless.code()).isEqualTo(2);
    assertThat(shapeless.err()).contains("must be a JSON object with a \"rules\" array");
    Path badCel = Files.writeString(tmp.resolve("badcel.json"),
        "{\"mode\": \"enforce\", \"rules\": [{\"name\": \"bad\", \"expression\": \"findings.critical ==\"}]}");
    var refused = run("policy", "set", "demo", "staging", badCel.toString());
    assertThat(refused.code()).as(refused.out()).isNotZero();
    assertThat(refused.err()).startsWith("rampart: ");
    assertThat(json(run("policy", "get", "demo", "staging")).path("sha256").asText())
        .as("a refused policy leaves the one in force").isEqualTo(before.path("sha256").asText());

    Path good = Files.writeString(tmp.resolve("policy.json"), "{\"mode\": \"enforce\", \"rules\": [{\"name\": \"clean-scan\","
        + " \"expression\": \"findings.critical == 0\", \"message\": \"only clean models\"}]}");
    JsonNode set = json(run("policy", "set", "demo", "staging", good.toString()));
    assertThat(set.path("version").asInt()).isPositive();
    JsonNode after = json(run("policy", "get", "demo", "staging"));
    assertThat(after.toString()).contains("clean-scan");
    assertThat(after.path("sha256").asText()).isEqualTo(set.path("sha256").asText());
    // the documented example policy is one the server accepts
    JsonNode example = json(run("policy", "set", "demo", "staging", "../examples/policies/staging.json"));
    assertThat(example.path("version").asInt()).isGreaterThan(set.path("version").asInt());
    assertThat(example.path("rules").size()).isEqualTo(4);
    var readme = run("policy", "set", "demo", "staging", "../README.md");
    assertThat(readme.code()).isEqualTo(2);
    assertThat(readme.err()).contains("is not JSON");
    var missing = run("policy", "get", "demo", "nowhere");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("not_found");
  }
}
