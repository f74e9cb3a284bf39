package dev.rampart.cli;

import static dev.rampart.cli.ScanCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scan --secrets-only / --misconfig-only, and rampart atlas with bundled and imported data. */
class VisibilityCommandsTest {
  private static final String PLANTED = "../scan/src/test/resources/fixtures/secrets/planted";
  private static final String MISCONFIG = "../scan/src/test/resources/fixtures/misconfig";

  @Test
  void secretsOnlyReportsOnlyCredentialsAndRedactsThem() throws Exception {
    var result = run("scan", "--secrets-only", "--no-progress", "-f", "sarif", PLANTED);
    assertThat(result.code()).isEqualTo(1);
    var sarif = new ObjectMapper().readTree(result.out());
    assertThat(sarif.at("/runs/0/results")).isNotEmpty()
        .allSatisfy(r -> assertThat(r.path("ruleId").asText()).startsWith("SEC-"));
    for (String secret : Files.readAllLines(Path.of("../scan/src/test/resources/fixtures/secrets/planted.secrets"))) {
      if (!secret.startsWith("#")) {
        assertThat(result.out()).doesNotContain(secret);
      }
    }
  }

  @Test
  void misconfigOnlyReportsOnlyConfigurationRules() throws Exception {
    var result = run("scan", "--misconfig-only", "--no-progress", "-f", "json", MISCONFIG + "/RAY-01/positive/start-head.sh");
    assertThat(result.code()).isEqualTo(1);
    var json = new ObjectMapper().readTree(result.out());
    assertThat(json.path("findings")).singleElement().satisfies(f -> {
      assertThat(f.path("ruleId").asText()).isEqualTo("RAY-01");
      assertThat(f.at("/location/line").asInt()).isEqualTo(2);
    });
  }

  @Test
  void onlyOneFamilyMayBeSelected() {
    var result = run("scan", "--secrets-only", "--misconfig-only", PLANTED);
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("mutually exclusive");
  }

  @Test
  void atlasTableShowsDetectionsAndGapsWithTheDataVersion() {
    var result = run("atlas");
    assertThat(result.code()).isZero();
    assertThat(result.out()).contains("MITRE ATLAS 5.6.0").containsPattern("DETECTED +AML\\.T0055 .*SEC-HUGGINGFACE-TOKEN")
        .containsPattern("GAP +AML\\.T0070 ").contains("gaps").containsPattern("DETECTED +AML\\.T0015 .*EVAL-ROBUSTNESS")
        .containsPattern("DETECTED +AML\\.T0020 .*DATA-LABEL-NOISE");
  }

  @Test
  void atlasHtmlIsSelfContained(@TempDir Path tmp) throws Exception {
    Path page = tmp.resolve("atlas.html");
    assertThat(run("atlas", "-f", "html", "-o", page.toString()).code()).isZero();
    String html = Files.readString(page);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("ATLAS data version 5.6.0").contains("AML.TA0013")
        .doesNotContain("<script").contains("Apache License 2.0");
  }

  @Test
  void importsAFullAtlasYamlOfAnotherVersion(@TempDir Path tmp) throws Exception {
    Path yaml = tmp.resolve("ATLAS.yaml");
    Files.writeString(yaml, """
        id: ATLAS
        name: Adversarial Threat Landscape for AI Systems
        version: 2026.10.0
        matrices:
          - id: ATLAS
            name: ATLAS Matrix
            tactics:
              - {id: AML.TA0013, name: Credential Access, object-type: tactic}
              - {id: AML.TA0011, name: Impact, object-type: tactic}
            techniques:
              - {id: AML.T0055, name: Unsecured Credentials, object-type: technique, tactics: [AML.TA0013]}
              - {id: AML.T0031, name: Erode AI Model Integrity, object-type: technique, tactics: [AML.TA0011]}
              - {id: AML.T0031.999, name: Imaginary Sub-technique, object-type: technique, subtechnique-of: AML.T0031}
            mitigations:
              - id: AML.M0013
                name: Code Signing
                techniques:
                  - {id: AML.T0031.999, use: Sign models.}
                  - AML.T0031
        """);
    var result = run("atlas", "--data", yaml.toString(), "-f", "json");
    assertThat(result.code()).as(result.err()).isZero();
    var json = new ObjectMapper().readTree(result.out());
    assertThat(json.path("atlasVersion").asText()).isEqualTo("2026.10.0");
    assertThat(json.path("curated").asBoolean()).isFalse();
    var sub = json.path("techniques").get(2);
    assertThat(sub.path("id").asText()).isEqualTo("AML.T0031.999");
    assertThat(sub.path("tactics").get(0).asText()).isEqualTo("AML.TA0011");
    assertThat(sub.path("coverage").asText()).isEqualTo("MITIGATED");
    assertThat(json.path("techniques").get(0).path("coverage").asText()).isEqualTo("DETECTED");
    assertThat(result.err()).contains("missing from ATLAS 2026.10.0");
  }
}
