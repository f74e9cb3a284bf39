package dev.rampart.data.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.core.ArtifactRecord;
import dev.rampart.core.AtlasTechnique;
import dev.rampart.core.Finding;
import dev.rampart.core.Location;
import dev.rampart.core.Report;
import dev.rampart.core.Rule;
import dev.rampart.data.CheckResult;
import dev.rampart.data.poison.Assessment;
import dev.rampart.data.poison.RowFlag;
import dev.rampart.data.poison.Suspect;
import dev.rampart.data.profile.ColumnProfile;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a {@link CheckResult} into Rampart's report: dataset-level findings that decide the exit code, one
 * informational finding per suspect row (capped) so SARIF viewers can point at lines, and in JSON the profile, the
 * full suspect list and the dataset's digests.
 */
public final class CheckReport {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_TABLE_COLUMNS = 30;

  /**
   * @param technique AML.T0020 by default; AML.T0019 when the dataset was taken from a public source
   * @param maxRowFindings how many suspect rows become findings; the JSON suspect list is never cut below this
   */
  public record Options(String toolVersion, AtlasTechnique technique, int maxRowFindings, int maxSuspects) {}

  private CheckReport() {}

  public static Report report(CheckResult result, DatasetIdentity id, Options options) {
    var findings = new ArrayList<Finding>();
    Location file = Location.of(id.path());
    for (Assessment a : result.assessments()) {
      Rule rule = DataRules.forSignal(a.signal());
      findings.add(
          new Finding(rule, a.severity(), rule.title(), a.summary(), file, options.technique(), rule.phase(),
              id.sha256()));
    }
    for (String why : result.skipped()) {
      findings.add(Finding.of(DataRules.CHECK_INCOMPLETE, why, file).withFileSha256(id.sha256()));
    }
    int n = 0;
    for (Suspect s : result.suspects()) {
      if (n++ == options.maxRowFindings()) {
        break;
      }
      Location at = id.line(s.row()) > 0 ? file.atLine(id.line(s.row())) : file;
      findings.add(
          new Finding(DataRules.SUSPECT_ROW, DataRules.SUSPECT_ROW.severity(), "Suspect row " + s.row(),
              evidence(s), at, options.technique(), DataRules.SUSPECT_ROW.phase(), id.sha256()));
    }
    var artifact =
        new ArtifactRecord(id.path(), "dataset/" + result.format().name().toLowerCase(Locale.ROOT), id.size(),
            ArtifactRecord.Status.SCANNED, result.profile().rows() + " rows");
    return new Report("data-check", options.toolVersion(), Instant.now(), List.of(id.path()), findings, List.of(),
        List.of(artifact));
  }

  static String evidence(Suspect s) {
    var sb = new StringBuilder(String.format(Locale.ROOT, "row %d, score %.2f: ", s.row(), s.score()));
    for (int i = 0; i < s.reasons().size(); i++) {
      RowFlag f = s.reasons().get(i);
      sb.append(i == 0 ? "" : "; ").append(f.signal().id()).append(": ").append(f.detail());
    }
    return sb.toString();
  }

  /** The data-specific part of the JSON report, merged into the common report object. */
  public static void addJson(ObjectNode root, CheckResult result, DatasetIdentity id, Options options) {
    var dataset = root.putObject("dataset");
    dataset.put("path", id.path());
    dataset.put("format", result.format().name().toLowerCase(Locale.ROOT));
    dataset.put("size", id.size());
    dataset.put("sha256", id.sha256());
    dataset.put("omsDigest", id.omsDigest());
    dataset.put("label", result.labelColumn());
    dataset.put("verdict", result.verdict().name().toLowerCase(Locale.ROOT));
    root.set("profile", MAPPER.valueToTree(profileJson(result)));
    var assessments = root.putArray("assessments");
    for (Assessment a : result.assessments()) {
      assessments.addObject()
          .put("check", a.signal().id())
          .put("ruleId", DataRules.forSignal(a.signal()).id())
          .put("severity", a.severity().name())
          .put("rows", a.rows())
          .put("summary", a.summary());
    }
    var notes = root.putArray("notes");
    result.notes().forEach(notes::add);
    result.skipped().forEach(notes::add);
    var suspects = root.putArray("suspects");
    int n = 0;
    for (Suspect s : result.suspects()) {
      if (n++ == Math.max(options.maxSuspects(), options.maxRowFindings())) {
        break;
      }
      var node = suspects.addObject().put("row", s.row()).put("score", round(s.score()));
      if (id.line(s.row()) > 0) {
        node.put("line", id.line(s.row()));
      }
      var reasons = node.putArray("reasons");
      for (RowFlag f : s.reasons()) {
        reasons.addObject().put("check", f.signal().id()).put("score", round(f.score())).put("detail", f.detail());
      }
    }
    root.put("suspectCount", result.suspects().size());
    root.put("suspectsTruncated", result.suspects().size() > suspects.size());
  }

  private static Object profileJson(CheckResult result) {
    var p = result.profile();
    var out = new java.util.LinkedHashMap<String, Object>();
    out.put("rows", p.rows());
    out.put("columns", p.columns().stream().map(CheckReport::columnJson).toList());
    p.classBalance().ifPresent(b -> out.put("classBalance", b.top()));
    return out;
  }

  private static ObjectNode columnJson(ColumnProfile c) {
    ObjectNode node = MAPPER.valueToTree(c);
    node.put("type", switch (c) {
      case ColumnProfile.Numeric n -> "numeric";
      case ColumnProfile.Categorical k -> "categorical";
      case ColumnProfile.Text t -> "text";
    });
    return node;
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  /** The human view: verdict and digests, what each detector concluded, the profile and the worst rows. */
  public static void printTable(PrintStream out, CheckResult result, DatasetIdentity id, int shownSuspects) {
    out.printf("%s  %s, %d rows x %d columns, label '%s'%n", id.path(),
        result.format().name().toLowerCase(Locale.ROOT), result.profile().rows(), result.profile().columns().size(),
        result.labelColumn());
    out.printf("  sha256 %s%n  oms    %s%n%n", id.sha256(), id.omsDigest());
    result.profile().classBalance().ifPresent(b -> {
      out.print("Classes:");
      b.top().forEach(l -> out.printf(" %s=%d", l.level(), l.count()));
      out.println();
    });
    out.println("Columns:");
    var columns = result.profile().columns();
    columns.stream().limit(MAX_TABLE_COLUMNS).forEach(c -> out.println("  " + describe(c)));
    if (columns.size() > MAX_TABLE_COLUMNS) {
      out.printf("  ... %d more; -f json profiles every column%n", columns.size() - MAX_TABLE_COLUMNS);
    }
    out.println();
    if (!result.assessments().isEmpty()) {
      out.println("Checks:");
      for (Assessment a : result.assessments()) {
        out.printf("  %-8s %-24s %s%n", a.severity(), a.signal().id(), a.summary());
      }
      out.println();
    }
    result.notes().forEach(n -> out.println("Note: " + n));
    result.skipped().forEach(n -> out.println("Not checked: " + n));
    if (!result.suspects().isEmpty()) {
      out.printf("Suspect rows (%d, worst first%s):%n", result.suspects().size(),
          result.suspects().size() > shownSuspects ? ", first " + shownSuspects + " shown; -f json lists all" : "");
      result.suspects().stream().limit(shownSuspects).forEach(s -> {
        String line = id.line(s.row()) > 0 ? " (line " + id.line(s.row()) + ")" : "";
        out.printf("  row %d%s  score %.2f%n", s.row(), line, s.score());
        s.reasons().forEach(f -> out.printf("      %s: %s%n", f.signal().id(), f.detail()));
      });
      out.println();
    }
  }

  private static String describe(ColumnProfile c) {
    return switch (c) {
      case ColumnProfile.Numeric n -> String.format(Locale.ROOT,
          "%-28s numeric      missing %-6d min %.4g  median %.4g  max %.4g  mean %.4g  sd %.4g%s", n.name(),
          n.missing(), n.min(), n.median(), n.max(), n.mean(), n.std(), n.constant() ? "  CONSTANT" : "");
      case ColumnProfile.Categorical k -> String.format(Locale.ROOT, "%-28s categorical  missing %-6d %d levels: %s",
          k.name(), k.missing(), k.levels(),
          String.join(", ", k.top().stream().limit(5).map(l -> l.level() + "=" + l.count()).toList()));
      case ColumnProfile.Text t -> String.format(Locale.ROOT, "%-28s text         missing %-6d mean length %.1f, max %d",
          t.name(), t.missing(), t.meanLength(), t.maxLength());
    };
  }
}
