package dev.rampart.core.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.core.ArtifactRecord;
import dev.rampart.core.Atlas;
import dev.rampart.core.Finding;
import dev.rampart.core.Report;
import java.io.IOException;
import java.io.OutputStream;

/** The versioned JSON report; its schema is {@code docs/schema/report-1.0.schema.json}. */
public final class JsonReportWriter implements ReportWriter {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  @Override
  public void write(Report report, RenderOptions options, OutputStream out) throws IOException {
    MAPPER.writeValue(out, toJson(report, options));
    out.write('\n');
    out.flush();
  }

  public static ObjectNode toJson(Report report, RenderOptions options) {
    var root = MAPPER.createObjectNode();
    root.put("schemaVersion", Report.SCHEMA_VERSION);
    root.putObject("tool").put("name", "rampart").put("version", report.toolVersion());
    root.put("kind", report.kind());
    root.put("createdAt", report.createdAt().toString());
    root.put("atlasVersion", Atlas.DATA_VERSION);
    var roots = root.putArray("roots");
    report.roots().forEach(roots::add);

    var summary = root.putObject("summary");
    summary.put("verdict", Verdict.of(report, options).json());
    summary.put("failOn", options.failOn().map(Enum::name).orElse("NONE"));
    var counts = summary.putObject("counts");
    report.countsBySeverity().forEach((s, n) -> counts.put(s.name(), n));
    var totals = Summary.of(report);
    summary.put("scanned", totals.scanned());
    summary.put("skipped", totals.skipped());
    summary.put("incomplete", totals.incomplete());
    summary.put("suppressed", report.suppressed().size());

    var findings = root.putArray("findings");
    report.findings().forEach(f -> findings.add(finding(f)));
    var suppressed = root.putArray("suppressed");
    if (options.showSuppressed()) {
      report.suppressed().forEach(s -> suppressed.add(finding(s.finding()).put("justification", s.justification())));
    }
    ArrayNode artifacts = root.putArray("artifacts");
    for (ArtifactRecord a : report.artifacts()) {
      artifacts
          .addObject()
          .put("path", a.path())
          .put("format", a.format())
          .put("size", a.size())
          .put("status", a.status().name())
          .put("note", a.note());
    }
    return root;
  }

  static ObjectNode finding(Finding f) {
    var node = MAPPER.createObjectNode();
    node.put("ruleId", f.rule().id());
    node.put("severity", f.severity().name());
    node.put("title", f.title());
    node.put("evidence", f.evidence());
    var loc = node.putObject("location");
    loc.put("path", f.location().path());
    loc.put("file", f.location().file());
    var members = loc.putArray("members");
    f.location().members().forEach(members::add);
    if (f.location().hasOffset()) { // an unknown offset is left out rather than written as a -1 to misread
      loc.put("byteOffset", f.location().byteOffset());
    }
    if (f.location().hasLine()) {
      loc.put("line", f.location().line());
    }
    node.putObject("atlas").put("id", f.technique().id()).put("name", f.technique().name());
    node.put("phase", f.phase().name());
    f.stage().ifPresent(stage -> node.put("stage", stage.name()));
    node.put("incomplete", f.incompleteness());
    node.put("fileSha256", f.fileSha256());
    node.put("fingerprint", f.fingerprint());
    return node;
  }
}
