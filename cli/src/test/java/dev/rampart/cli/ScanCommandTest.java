package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan command end to end, in-process: stdout, stderr and exit codes as a user sees them. */
class ScanCommandTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var cl = Rampart.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static final String CLEAN = "../examples/models/clean";
  private static final String MALICIOUS = "../examples/models/malicious";

  @Test
  void cleanModelsExitZero() {
    var r = run("scan", "--no-color", CLEAN);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("CLEAN");
  }

  @Test
  void maliciousModelsExitOneWithTheReason() {
    var r = run("scan", "--no-color", MALICIOUS);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("PKL-DENYLISTED-CALL", "UNSAFE", "AML.T0011.000");
  }

  @Test
  void findingsCarryTheStageOfTheirRuleNotOnePhaseForAll() throws Exception {
    var r = run("scan", "-f", "json", "--no-progress", MALICIOUS + "/reverse_shell.pkl", "../examples/models/leaky");
    var stages = new java.util.HashMap<String, String>();
    new ObjectMapper().readTree(r.out()).path("findings").forEach(f ->
        stages.put(f.path("ruleId").asText(), f.path("phase").asText() + "/" + f.path("stage").asText()));
    // a call in a pickle arises at model export; the pickle-format notice is the registry's format allow list to
    // decide; a leaked token belongs to the code repository it was committed to
    assertThat(stages).containsEntry("PKL-DENYLISTED-CALL", "PRODUCTION/MODEL_EXPORT")
        .containsEntry("PKL-FORMAT", "PRODUCTION/MODEL_REGISTRY")
        .containsEntry("SEC-HUGGINGFACE-TOKEN", "EXPERIMENT_DEVELOPMENT/CODE_REPOSITORY");
    var table = run("scan", "--no-color", "--no-progress", MALICIOUS + "/reverse_shell.pkl");
    assertThat(table.out()).contains("Production (model export)").contains("Production (model registry)");
  }

  @Test
  void failOnNoneOnlyReports() {
    var r = run("scan", "--fail-on", "none", MALICIOUS);
    assertThat(r.code()).isZero();
  }

  @Test
  void failOnCriticalIgnoresHighOnlyFindings() throws Exception {
    Path keras = Files.copy(Path.of("../examples/models/malicious/lambda_layer.h5"), dir.resolve("l.h5"));
    assertThat(run("scan", "--fail-on", "critical", keras.toString()).code()).isZero();
    assertThat(run("scan", "--fail-on", "high", keras.toString()).code()).isEqualTo(1);
  }

  @Test
  void jsonGoesToStdoutAndParses() throws Exception {
    var r = run("scan", "-f", "json", MALICIOUS);
    var json = new ObjectMapper().readTree(r.out());
    assertThat(json.at("/summary/verdict").asText()).isEqualTo("findings");
    assertThat(json.get("findings").size()).isPositive();
  }

  @Test
  void sarifToAFile() throws Exception {
    Path out = dir.resolve("r.sarif");
    var r = run("scan", "-f", "sarif", "-o", out.toString(), MALICIOUS);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(new ObjectMapper().readTree(out.toFile()).get("version").asText()).isEqualTo("2.1.0");
  }

  @Test
  void severityFilterChangesWhatIsShownNotTheExitCode() throws Exception {
    var r = run("scan", "-f", "json", "-s", "LOW", MALICIOUS);
    assertThat(r.code()).isEqualTo(1);
    var json = new ObjectMapper().readTree(r.out());
    json.get("findings").forEach(f -> assertThat(f.get("severity").asText()).isEqualTo("LOW"));
  }

  @Test
  void usageErrorsExitTwoAndSayWhatToDo() {
    var bad = run("scan", "-f", "xml", CLEAN);
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("table, json or sarif");
    var missing = run("scan", "/no/such/model.pt");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("no such file");
    var none = run("scan");
    assertThat(none.code()).isEqualTo(2);
    assertThat(run("scan", "--fail-on", "severe", CLEAN).code()).isEqualTo(2);
  }

  @Test
  void incompleteInputExitsThree() throws Exception {
    Path truncated = dir.resolve("broken.pt");
    byte[] good = Files.readAllBytes(Path.of("../examples/models/clean/classifier_state_dict.pt"));
    Files.write(truncated, java.util.Arrays.copyOf(good, good.length / 2));
    var r = run("scan", truncated.toString());
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.out()).contains("INCOMPLETE", "SCAN-INCOMPLETE");
  }

  @Test
  void ignoreFileEntriesNeedAStatement() throws Exception {
    Path ignore = dir.resolve("ignore.yaml");
    Files.writeString(ignore, "- id: PKL-DENYLISTED-CALL\n  expires: 2099-01-01\n");
    var r = run("scan", "--ignore-file", ignore.toString(), MALICIOUS);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("statement");
  }

  @Test
  void ignoreFileSuppressesAndExpiredEntriesWarn() throws Exception {
    Path ignore = dir.resolve("ignore.yaml");
    Files.writeString(ignore, """
        - id: PKL-DENYLISTED-CALL
          statement: "fixture shipped on purpose"
          expires: 2099-01-01
        - id: PKL-FORMAT
          statement: "old"
          expires: 2001-01-01
        """);
    Path pkl = Files.copy(Path.of("../examples/models/malicious/reverse_shell.pkl"), dir.resolve("m.pkl"));
    var r = run("scan", "-f", "json", "--show-suppressed", "--ignore-file", ignore.toString(), pkl.toString());
    var json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("suppressed").size()).isPositive();
    assertThat(r.err()).contains("expired");
  }

  @Test
  void baselineHidesKnownFindings() throws Exception {
    Path base = dir.resolve("base.json");
    run("scan", "-f", "json", "-o", base.toString(), MALICIOUS);
    var r = run("scan", "-f", "json", "--baseline", base.toString(), MALICIOUS);
    assertThat(new ObjectMapper().readTree(r.out()).get("findings")).isEmpty();
    assertThat(r.code()).isZero();
  }

  @Test
  void projectAllowListNeedsReasons() throws Exception {
    Path cfg = dir.resolve("rampart.yaml");
    Files.writeString(cfg, "allow:\n  - global: foo.Bar\n");
    var r = run("scan", "--config", cfg.toString(), CLEAN);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("reason");
  }

  @Test
  void helpListsExitCodes() {
    var r = run("scan", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Exit codes", "--fail-on", "--format");
  }
}
