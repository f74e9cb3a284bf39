package dev.rampart.core.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.core.Finding;
import dev.rampart.core.Report;
import dev.rampart.core.Rule;
import dev.rampart.core.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** SARIF 2.1.0, as GitHub code scanning and other SARIF consumers read it. */
public final class SarifReportWriter implements ReportWriter {
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

  @Override
  public void write(Report report, RenderOptions options, OutputStream out) throws IOException {
    JsonReportWriter.MAPPER.writeValue(out, toSarif(report, options));
    out.write('\n');
    out.flush();
  }

  public static ObjectNode toSarif(Report report, RenderOptions options) {
    return toSarif(report, options, Path.of("").toAbsolutePath());
  }

  /**
   * @param base the folder artifact URIs are relative to: the current directory, which in CI is the repository root,
   *     so code scanning finds the file whichever form of path (absolute, {@code ./models}) the scan was given
   */
  public static ObjectNode toSarif(Report report, RenderOptions options, Path base) {
    var root = JsonReportWriter.MAPPER.createObjectNode();
    root.put("$schema", SCHEMA);
    root.put("version", "2.1.0");
    var run = root.putArray("runs").addObject();
    var driver = run.putObject("tool").putObject("driver");
    driver.put("name", "rampart");
    driver.put("semanticVersion", report.toolVersion().replace("-SNAPSHOT", ""));
    driver.put("informationUri", "https://github.com/rampart-ml/rampart");

    Map<String, Integer> ruleIndex = new LinkedHashMap<>();
    ArrayNode rules = driver.putArray("rules");
    var results = run.putArray("results");
    for (Finding f : report.findings()) {
      results.add(result(f, ruleIndex, rules, base));
    }
    if (options.showSuppressed()) {
      for (Report.Suppressed s : report.suppressed()) {
        var r = result(s.finding(), ruleIndex, rules, base);
        r.putArray("suppressions")
            .addObject()
            .put("kind", "external")
            .put("justification", s.justification());
        results.add(r);
      }
    }

    var invocation = run.putArray("invocations").addObject();
    invocation.put("executionSuccessful", !report.incomplete());
    var totals = Summary.of(report);
    invocation.putObject("properties")
        .put("scanned", totals.scanned())
        .put("skipped", totals.skipped())
        .put("incomplete", totals.incomplete())
        .put("findings", totals.findings());
    var notifications = invocation.putArray("toolExecutionNotifications");
    for (var a : report.artifacts()) {
      if (a.status() == dev.rampart.core.ArtifactRecord.Status.INCOMPLETE) {
        var n = notifications.addObject();
        n.put("level", "error");
        n.putObject("message").put("text", "not fully analysed: " + a.path() + ": " + a.note());
      }
    }
    if (report.scannedCount() == 0) {
      notifications.addObject().put("level", "error").putObject("message").put("text", "nothing was scanned");
    }
    return root;
  }

  private static ObjectNode result(Finding f, Map<String, Integer> ruleIndex, ArrayNode rules, Path base) {
    int index =
        ruleIndex.computeIfAbsent(
            f.rule().id(),
            id -> {
              rules.add(rule(f.rule()));
              return rules.size() - 1;
            });
    var r = JsonReportWriter.MAPPER.createObjectNode();
    r.put("ruleId", f.rule().id());
    r.put("ruleIndex", index);
    r.put("level", f.severity().sarifLevel());
    r.putObject("message").put("text", f.title() + (f.evidence().isEmpty() ? "" : ": " + f.evidence()));
    var physical = r.putArray("locations").addObject().putObject("physicalLocation");
    physical.putObject("artifactLocation").put("uri", uri(relative(f.location().file(), base)));
    // code scanning rejects a result without a region and startLine; a binary artifact has no lines, so it is line 1
    // and the byte offset travels in the result's properties
    physical.putObject("region").put("startLine", f.location().hasLine() ? f.location().line() : 1);
    r.putObject("partialFingerprints").put("rampartFingerprint/v1", f.fingerprint());
    var props = r.putObject("properties");
    props.put("nestedPath", f.location().path());
    var chain = props.putArray("memberChain");
    f.location().members().forEach(chain::add);
    props.put("severity", f.severity().name());
    props.put("atlas", f.technique().id());
    props.put("phase", f.phase().name());
    f.stage().ifPresent(stage -> props.put("stage", stage.name()));
    if (f.location().hasOffset()) {
      props.put("byteOffset", f.location().byteOffset());
    }
    if (!f.fileSha256().isEmpty()) {
      props.put("fileSha256", f.fileSha256());
    }
    return r;
  }

  private static ObjectNode rule(Rule rule) {
    var node = JsonReportWriter.MAPPER.createObjectNode();
    node.put("id", rule.id());
    node.put("name", camel(rule.id()));
    node.putObject("shortDescription").put("text", rule.title());
    node.putObject("fullDescription").put("text", rule.title() + ". " + rule.help());
    node.putObject("help").put("text", rule.help());
    node.putObject("defaultConfiguration").put("level", rule.severity().sarifLevel());
    var props = node.putObject("properties");
    var tags = props.putArray("tags");
    tags.add("security");
    tags.add("atlas/" + rule.technique().id());
    tags.add("phase/" + rule.phase().name());
    rule.stage().ifPresent(stage -> tags.add("stage/" + stage.name()));
    if (rule.severity() != Severity.INFO) {
      props.put("security-severity", String.format(java.util.Locale.ROOT, "%.1f", rule.severity().securityScore()));
    }
    return node;
  }

  private static String camel(String id) {
    var sb = new StringBuilder();
    for (String part : id.toLowerCase(java.util.Locale.ROOT).split("-")) {
      sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return sb.toString();
  }

  /**
   * The path relative to {@code base} when it lies inside it (an absolute path, {@code ./x}, {@code models/../x}), the
   * normalised path otherwise; a path the platform cannot parse is left as it is.
   */
  static String relative(String file, Path base) {
    try {
      Path p = Path.of(file.replace('\\', '/'));
      Path absolute = (p.isAbsolute() ? p : base.resolve(p)).normalize();
      Path root = base.toAbsolutePath().normalize();
      Path shown = absolute.startsWith(root) ? root.relativize(absolute) : p.normalize();
      String out = shown.toString().replace('\\', '/');
      return out.isEmpty() ? file : out;
    } catch (java.nio.file.InvalidPathException e) {
      return file;
    }
  }

  /** A relative URI reference for a file path: forward slashes, and everything unsafe percent-encoded. */
  static String uri(String path) {
    String p = path.replace('\\', '/');
    try {
      return new URI(null, null, p, null).toASCIIString();
    } catch (URISyntaxException e) {
      return p.replaceAll("[^A-Za-z0-9/._~-]", "_");
    }
  }
}
