package dev.rampart.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.rampart.core.Report;
import dev.rampart.core.SampleReports;
import dev.rampart.core.Severity;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportWritersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String render(ReportFormat format, Report report, RenderOptions options) throws Exception {
    var out = new ByteArrayOutputStream();
    ReportWriter.of(format).write(report, options, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static RenderOptions showAll() {
    return new RenderOptions(Optional.of(Severity.HIGH), true, false);
  }

  @Test
  void sarifValidatesAgainstTheSarif210Schema() throws Exception {
    Schema schema;
    try (InputStream in = getClass().getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
      schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
    }
    for (Report r : new Report[] {SampleReports.full(), SampleReports.clean()}) {
      JsonNode sarif = JSON.readTree(render(ReportFormat.SARIF, r, showAll()));
      assertThat(schema.validate(sarif)).as("SARIF schema errors").isEmpty();
    }
    // the schema really is enforced: a wrong version and a result without a message are rejected
    assertThat(schema.validate(JSON.readTree("{\"version\":\"2.0.0\",\"runs\":[]}"))).isNotEmpty();
    assertThat(schema.validate(JSON.readTree("{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},"
        + "\"results\":[{\"ruleId\":\"X\"}]}]}"))).isNotEmpty();
  }

  @Test
  void sarifCarriesRulesSeverityLocationsAndFingerprints() throws Exception {
    JsonNode run = JSON.readTree(render(ReportFormat.SARIF, SampleReports.full(), showAll())).get("runs").get(0);
    JsonNode rules = run.at("/tool/driver/rules");
    assertThat(rules.findValuesAsText("id")).contains("PKL-DENYLISTED-CALL", "SCAN-INCOMPLETE");
    JsonNode critical = findById(rules, "PKL-DENYLISTED-CALL");
    assertThat(critical.at("/properties/security-severity").asText()).isEqualTo("9.5");
    assertThat(critical.at("/help/text").asText()).isNotBlank();
    assertThat(critical.at("/properties/tags").toString()).contains("atlas/AML.T0011.000", "phase/PRODUCTION");
    JsonNode result = run.get("results").get(0);
    assertThat(result.get("ruleId").asText()).isEqualTo("PKL-DENYLISTED-CALL");
    assertThat(result.get("level").asText()).isEqualTo("error");
    assertThat(result.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("models/model%20pt.pt");
    assertThat(result.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(1);
    assertThat(result.at("/properties/byteOffset").asLong()).isEqualTo(28);
    assertThat(result.at("/properties/memberChain/0").asText()).isEqualTo("archive/data.pkl");
    assertThat(result.at("/partialFingerprints").size()).isEqualTo(1);
    assertThat(run.at("/invocations/0/executionSuccessful").asBoolean()).isFalse();
    assertThat(run.at("/invocations/0/toolExecutionNotifications/0/message/text").asText()).contains("models/broken.pkl");
    assertThat(run.get("results").findValues("suppressions")).hasSize(1);
  }

  @Test
  void sarifIsWhatCodeScanningAcceptsForBinaryArtifacts() throws Exception {
    // every result has a region with startLine, even for a pickle opcode at a byte offset or a whole file
    JsonNode results = JSON.readTree(render(ReportFormat.SARIF, SampleReports.full(), showAll())).at("/runs/0/results");
    assertThat(results.size()).isGreaterThan(2);
    for (JsonNode r : results) {
      assertThat(r.at("/locations/0/physicalLocation/region/startLine").asInt()).as(r.toString()).isGreaterThanOrEqualTo(1);
    }
    // a text finding keeps its own line
    var line = dev.rampart.core.Finding.of(SampleReports.IMPORT, "x", dev.rampart.core.Location.of("cfg/chat.jinja").atLine(7));
    var report = new Report("scan", "0.1.0", java.time.Instant.EPOCH, java.util.List.of("cfg"), java.util.List.of(line),
        java.util.List.of(), java.util.List.of());
    assertThat(SarifReportWriter.toSarif(report, showAll(), Path.of("/repo"))
        .at("/runs/0/results/0/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(7);
  }

  @Test
  void sarifUrisAreRelativeToTheRepositoryRootWhateverPathWasGiven() {
    Path repo = Path.of("/home/runner/work/iris/iris");
    assertThat(uriOf("/home/runner/work/iris/iris/models/model pt.pt", repo)).isEqualTo("models/model%20pt.pt");
    assertThat(uriOf("./models/m.pkl", repo)).isEqualTo("models/m.pkl");
    assertThat(uriOf("models/../weights/m.pkl", repo)).isEqualTo("weights/m.pkl");
    assertThat(uriOf("models/m.pkl", repo)).isEqualTo("models/m.pkl");
    assertThat(uriOf("models\\win\\m.pkl", repo)).isEqualTo("models/win/m.pkl");
    // outside the repository nothing can be made relative to it: the path stays as given, normalised
    assertThat(uriOf("/tmp/m.pkl", repo)).isEqualTo("/tmp/m.pkl");
    assertThat(uriOf("../other/./m.pkl", repo)).isEqualTo("../other/m.pkl");
    // the current directory is the default base
    String here = Path.of("").toAbsolutePath().resolve("models/m.pkl").toString();
    var report = reportWithFindingIn(here);
    assertThat(SarifReportWriter.toSarif(report, showAll()).at("/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri")
        .asText()).isEqualTo("models/m.pkl");
  }

  private static Report reportWithFindingIn(String file) {
    var f = dev.rampart.core.Finding.of(SampleReports.IMPORT, "x", dev.rampart.core.Location.of(file));
    return new Report("scan", "0.1.0", java.time.Instant.EPOCH, java.util.List.of(file), java.util.List.of(f), java.util.List.of(),
        java.util.List.of());
  }

  private static String uriOf(String file, Path base) {
    return SarifReportWriter.toSarif(reportWithFindingIn(file), showAll(), base)
        .at("/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri").asText();
  }

  private static JsonNode findById(JsonNode rules, String id) {
    for (JsonNode r : rules) {
      if (r.get("id").asText().equals(id)) {
        return r;
      }
    }
    throw new AssertionError(id);
  }

  @Test
  void jsonValidatesAgainstThePublishedReportSchema() throws Exception {
    Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
        .getSchema(Files.newInputStream(Path.of("../docs/schema/report-1.0.schema.json")));
    for (Report r : new Report[] {SampleReports.full(), SampleReports.clean()}) {
      JsonNode json = JSON.readTree(render(ReportFormat.JSON, r, showAll()));
      assertThat(schema.validate(json)).as("report schema errors").isEmpty();
    }
  }

  @Test
  void jsonHasVersionVerdictAndWorstFirstFindings() throws Exception {
    JsonNode json = JSON.readTree(render(ReportFormat.JSON, SampleReports.full(), showAll()));
    assertThat(json.get("schemaVersion").asText()).isEqualTo("1.0");
    assertThat(json.at("/summary/verdict").asText()).isEqualTo("findings");
    assertThat(json.at("/findings/0/severity").asText()).isEqualTo("CRITICAL");
    assertThat(json.at("/findings/0/location/path").asText()).isEqualTo("models/model pt.pt!archive/data.pkl");
    assertThat(json.at("/summary/counts/MEDIUM").asInt()).isEqualTo(1);
    assertThat(json.at("/findings/0/location/byteOffset").asLong()).isEqualTo(28);
    // a finding without a known offset carries none, never a -1 a reader could take for a position
    int withoutOffset = 0;
    for (JsonNode f : json.get("findings")) {
      if (f.at("/location/path").asText().equals("models/other.pkl")) {
        assertThat(f.get("location").has("byteOffset")).as(f.toString()).isFalse();
        withoutOffset++;
      }
    }
    assertThat(withoutOffset).isEqualTo(1);
    assertThat(json.toString()).doesNotContain("\"byteOffset\":-1");
    assertThat(JSON.readTree(render(ReportFormat.JSON, SampleReports.clean(), showAll())).at("/summary/verdict").asText())
        .isEqualTo("clean");
  }

  @Test
  void tableHasNoEscapeCodesUnlessColourIsOn() throws Exception {
    String plain = render(ReportFormat.TABLE, SampleReports.full(), new RenderOptions(Optional.of(Severity.HIGH), false, false));
    assertThat(plain).doesNotContain("\u001b[").contains("CRITICAL", "PKL-DENYLISTED-CALL", "UNSAFE", "models/model pt.pt!archive/data.pkl@28");
    String colour = render(ReportFormat.TABLE, SampleReports.full(), new RenderOptions(Optional.of(Severity.HIGH), false, true));
    assertThat(colour).contains("\u001b[1;31m");
  }

  @Test
  void suppressedFindingsAppearOnlyWhenAskedFor() throws Exception {
    var hidden = new RenderOptions(Optional.of(Severity.HIGH), false, false);
    assertThat(render(ReportFormat.TABLE, SampleReports.full(), hidden)).doesNotContain("reviewed in SEC-1");
    assertThat(render(ReportFormat.TABLE, SampleReports.full(), showAll())).contains("reviewed in SEC-1");
    assertThat(JSON.readTree(render(ReportFormat.JSON, SampleReports.full(), hidden)).get("suppressed")).isEmpty();
  }

  @Test
  void summaryCountsAgreeAcrossTableJsonAndSarif() throws Exception {
    // a skipped archive member besides a skipped file: the table once counted only top-level files as skipped
    var base = SampleReports.full();
    var artifacts = new java.util.ArrayList<>(base.artifacts());
    artifacts.add(new dev.rampart.core.ArtifactRecord(
        "models/model pt.pt!archive/notes.txt", "text", 5, dev.rampart.core.ArtifactRecord.Status.SKIPPED, "text"));
    var report = new Report(base.kind(), base.toolVersion(), base.createdAt(), base.roots(), base.findings(),
        base.suppressed(), artifacts);
    var options = new RenderOptions(Optional.of(Severity.HIGH), false, false);

    JsonNode summary = JSON.readTree(render(ReportFormat.JSON, report, options)).get("summary");
    JsonNode sarif = JSON.readTree(render(ReportFormat.SARIF, report, options)).get("runs").get(0);
    JsonNode invocation = sarif.at("/invocations/0/properties");
    String table = render(ReportFormat.TABLE, report, options);
    var line = java.util.regex.Pattern.compile(
        "(\\d+) file\\(s\\) and (\\d+) archive member\\(s\\): (\\d+) scanned, (\\d+) incomplete, (\\d+) skipped "
            + "as not model artifacts, (\\d+) finding\\(s\\)").matcher(table);
    assertThat(line.find()).as("summary line in:%n%s", table).isTrue();

    assertThat(summary.get("skipped").asLong()).isEqualTo(2);
    for (String key : new String[] {"scanned", "skipped", "incomplete"}) {
      assertThat(invocation.get(key).asLong()).as("SARIF %s", key).isEqualTo(summary.get(key).asLong());
    }
    assertThat(Long.parseLong(line.group(3))).as("table scanned").isEqualTo(summary.get("scanned").asLong());
    assertThat(Long.parseLong(line.group(4))).as("table incomplete").isEqualTo(summary.get("incomplete").asLong());
    assertThat(Long.parseLong(line.group(5))).as("table skipped").isEqualTo(summary.get("skipped").asLong());
    assertThat(Long.parseLong(line.group(1)) + Long.parseLong(line.group(2))).as("table artifacts")
        .isEqualTo(artifacts.size());
    long findings = summary.get("counts").properties().stream().mapToLong(e -> e.getValue().asLong()).sum();
    assertThat(Long.parseLong(line.group(6))).isEqualTo(findings);
    assertThat(invocation.get("findings").asLong()).isEqualTo(findings);
    assertThat(sarif.get("results").size()).isEqualTo(findings);
  }
}
