package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub Action and the pre-commit hooks at the repository root run the commands they declare: each hook's entry
 * is executed as pre-commit would (entry, then the staged files), and the action's scan writes SARIF code scanning
 * accepts.
 */
class CiIntegrationTest {
  private static final Path REPO = Path.of("..");
  private static final YAMLMapper YAML = new YAMLMapper();
  @TempDir Path dir;

  private static JsonNode hook(String id) throws Exception {
    for (JsonNode h : YAML.readTree(REPO.resolve(".pre-commit-hooks.yaml").toFile())) {
      if (h.get("id").asText().equals(id)) {
        return h;
      }
    }
    throw new AssertionError("no hook " + id);
  }

  /** Runs a hook's entry on files, as pre-commit does: the entry's words, then the file names. */
  private static ScanCommandTest.Run runHook(JsonNode hook, Path... files) {
    var words = new ArrayList<>(Arrays.asList(hook.get("entry").asText().split(" ")));
    assertThat(words.removeFirst()).isEqualTo("rampart");
    assertThat(hook.get("language").asText()).isEqualTo("script");
    assertThat(Files.isExecutable(REPO.resolve("rampart"))).isTrue();
    for (Path f : files) {
      words.add(f.toString());
    }
    return ScanCommandTest.run(words.toArray(String[]::new));
  }

  @Test
  void theModelHookRefusesMaliciousModelsAndPassesCleanOnes() throws Exception {
    JsonNode hook = hook("rampart-scan");
    Pattern files = Pattern.compile(hook.get("files").asText());
    List<Path> malicious;
    List<Path> clean;
    try (var m = Files.list(REPO.resolve("examples/models/malicious"));
        var c = Files.list(REPO.resolve("examples/models/clean"))) {
      malicious = m.filter(p -> files.matcher(p.toString()).find()).toList();
      clean = c.toList();
    }
    assertThat(clean).allSatisfy(p -> assertThat(files.matcher(p.toString()).find()).as(p.toString()).isTrue());
    assertThat(malicious).hasSizeGreaterThanOrEqualTo(3);
    for (Path p : malicious) {
      var r = runHook(hook, p);
      assertThat(r.code()).as(p + ": " + r.out() + r.err()).isEqualTo(1);
    }
    var ok = runHook(hook, clean.toArray(Path[]::new));
    assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
  }

  @Test
  void theSecretsHookRefusesALeakedKeyAndReadsPlainText() throws Exception {
    JsonNode hook = hook("rampart-secrets");
    assertThat(hook.get("types").toString()).contains("text");
    assertThat(hook.get("entry").asText()).isEqualTo("hooks/rampart-secrets");
    Path script = REPO.resolve("hooks/rampart-secrets");
    assertThat(Files.isExecutable(script)).isTrue();
    assertThat(Files.readString(script)).contains("\"$here/rampart\" scan --secrets-only --fail-on low --no-progress");
    // what the script runs: a leak fails; plain text is read for secrets, and that reading is the whole scan
    Path report = dir.resolve("r.json");
    var leak = ScanCommandTest.run("scan", "--secrets-only", "--fail-on", "low", "-q", "--no-progress", "-f", "json", "-o",
        report.toString(), REPO.resolve("examples/models/leaky/finetune.ipynb").toString());
    assertThat(leak.code()).as(leak.err()).isEqualTo(1);
    Path plain = Files.writeString(dir.resolve("train.py"), "import numpy as np\nprint(np.ones(3))\n");
    var ok = ScanCommandTest.run("scan", "--secrets-only", "--fail-on", "low", "-q", "--no-progress", "-f", "json", "-o",
        report.toString(), plain.toString());
    JsonNode summary = new ObjectMapper().readTree(report.toFile()).get("summary");
    assertThat(ok.code()).isZero();
    assertThat(summary.get("incomplete").asInt()).isZero();
    assertThat(summary.get("scanned").asInt()).isEqualTo(1);
  }

  @Test
  void theActionScansIntoSarifAndFailsOnFindings() throws Exception {
    JsonNode action = YAML.readTree(REPO.resolve("action.yml").toFile());
    assertThat(action.at("/runs/using").asText()).isEqualTo("composite");
    String uploads = action.at("/runs/steps").toString();
    assertThat(uploads).contains("github/codeql-action/upload-sarif@v3");
    String script = "";
    for (JsonNode step : action.at("/runs/steps")) {
      if (step.path("id").asText().equals("scan")) {
        script = step.get("run").asText();
      }
    }
    assertThat(script).contains("scan -f sarif -o \"$RAMPART_SARIF\" --fail-on \"$RAMPART_FAIL_ON\"");
    // the same command, with the action's defaults
    Path sarif = dir.resolve("rampart.sarif");
    String failOn = action.at("/inputs/fail-on/default").asText();
    var r = ScanCommandTest.run("scan", "-f", "sarif", "-o", sarif.toString(), "--fail-on", failOn, "--",
        REPO.resolve("examples/models/malicious").toString());
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    JsonNode results = new ObjectMapper().readTree(sarif.toFile()).at("/runs/0/results");
    assertThat(results.size()).isGreaterThan(2);
    for (JsonNode result : results) {
      assertThat(result.at("/locations/0/physicalLocation/region/startLine").asInt()).as(result.toString()).isPositive();
      assertThat(result.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).doesNotContain("/./")
          .startsWith("../examples/models/malicious/");
    }
  }
}
