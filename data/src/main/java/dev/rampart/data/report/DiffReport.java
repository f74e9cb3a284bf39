package dev.rampart.data.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.core.ArtifactRecord;
import dev.rampart.core.AtlasTechnique;
import dev.rampart.core.Finding;
import dev.rampart.core.Location;
import dev.rampart.core.Report;
import dev.rampart.core.Rule;
import dev.rampart.core.Severity;
import dev.rampart.data.diff.ColumnShift;
import dev.rampart.data.diff.DiffResult;
import dev.rampart.core.stats.Wilson;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Turns a {@link DiffResult} into Rampart's report, with the row and column detail in JSON and the table. */
public final class DiffReport {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_LISTED_ROWS = 10_000;

  private DiffReport() {}

  public static Report report(
      DiffResult diff,
      DatasetIdentity old,
      DatasetIdentity now,
      String toolVersion,
      AtlasTechnique technique,
      double tolerance) {
    var findings = new ArrayList<Finding>();
    Location at = Location.of(now.path());
    if (!diff.relabelled().isEmpty()) {
      long matched = diff.newRows() - diff.added().size();
      boolean excess = Wilson.lower(diff.relabelled().size(), Math.max(1, matched)) > tolerance;
      findings.add(finding(DataRules.RELABELLED_ROWS, excess ? Severity.HIGH : Severity.MEDIUM,
          diff.relabelled().size() + " rows kept their features but changed label; most often " + topRelabels(diff),
          at, now, technique));
    }
    for (DiffResult.Concentration c : diff.concentration()) {
      // Added or removed rows that favour one class change the class balance, which real collections do (a prior
      // shift); that is worth knowing but is not poisoning. Relabelled rows in one class, and added rows in a region
      // their class never occupied, are.
      boolean priorShift = c.where().startsWith("class=") && !c.what().equals("relabelled rows");
      findings.add(finding(DataRules.TARGETED_CHANGE, priorShift ? Severity.LOW : Severity.HIGH,
          String.format(Locale.ROOT, "%d of the %s (%.0f %%) fall in %s, where %.0f %% were expected (p=%.2g)%s",
              c.rows(), c.what(), 100 * c.share(), c.where(), 100 * c.expected(), c.pValue(),
              priorShift ? "; alone, a change of class balance" : ""),
          at, now, technique));
    }
    var drifted = diff.shifts().stream().filter(ColumnShift::drifted).toList();
    if (!drifted.isEmpty()) {
      findings.add(finding(DataRules.DRIFTED_COLUMNS, DataRules.DRIFTED_COLUMNS.severity(),
          drifted.size() + " of " + diff.shifts().size() + " columns shifted: "
              + drifted.stream().limit(10).map(DiffReport::brief).collect(Collectors.joining(", ")),
          at, now, technique));
    }
    if (diff.labelShift() != null && diff.labelShift().drifted()) {
      findings.add(finding(DataRules.LABEL_SHIFT, DataRules.LABEL_SHIFT.severity(),
          "class balance moved: " + brief(diff.labelShift()), at, now, technique));
    }
    var artifacts = List.of(
        new ArtifactRecord(old.path(), "dataset", old.size(), ArtifactRecord.Status.SCANNED, diff.oldRows() + " rows"),
        new ArtifactRecord(now.path(), "dataset", now.size(), ArtifactRecord.Status.SCANNED, diff.newRows() + " rows"));
    return new Report("data-diff", toolVersion, Instant.now(), List.of(old.path(), now.path()), findings, List.of(),
        artifacts);
  }

  private static Finding finding(
      Rule rule, Severity severity, String evidence, Location at, DatasetIdentity now, AtlasTechnique technique) {
    return new Finding(rule, severity, rule.title(), evidence, at, technique, rule.phase(), now.sha256());
  }

  private static String topRelabels(DiffResult diff) {
    Map<String, Long> pairs = new TreeMap<>();
    diff.relabelled().forEach(r -> pairs.merge(r.from() + " -> " + r.to(), 1L, Long::sum));
    return pairs.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(3)
        .map(e -> e.getKey() + " (" + e.getValue() + ")")
        .collect(Collectors.joining(", "));
  }

  static String brief(ColumnShift s) {
    return String.format(Locale.ROOT, "%s (%s %.3g, PSI %.3g)", s.column(), s.method(), s.statistic(), s.psi());
  }

  public static void addJson(ObjectNode root, DiffResult diff, DatasetIdentity old, DatasetIdentity now) {
    var node = root.putObject("diff");
    node.set("old", identity(old, diff.oldRows()));
    node.set("new", identity(now, diff.newRows()));
    node.put("matchedBy", diff.matchedBy());
    var rows = node.putObject("rows");
    rows.put("added", diff.added().size());
    rows.put("removed", diff.removed().size());
    rows.put("changed", diff.changed().size());
    rows.put("relabelled", diff.relabelled().size());
    list(rows.putArray("addedRows"), diff.added());
    list(rows.putArray("removedRows"), diff.removed());
    list(rows.putArray("changedRows"), diff.changed());
    var relabels = rows.putArray("relabelledRows");
    diff.relabelled().stream().limit(MAX_LISTED_ROWS).forEach(r -> relabels.addObject()
        .put("oldRow", r.oldRow()).put("newRow", r.newRow()).put("from", r.from()).put("to", r.to()));
    var columns = node.putArray("columns");
    diff.shifts().forEach(s -> columns.add(shift(s)));
    if (diff.labelShift() != null) {
      node.set("label", shift(diff.labelShift()));
    }
    var added = node.putArray("addedColumns");
    diff.addedColumns().forEach(added::add);
    var removed = node.putArray("removedColumns");
    diff.removedColumns().forEach(removed::add);
    var concentration = node.putArray("concentration");
    diff.concentration().forEach(c -> concentration.add(MAPPER.<ObjectNode>valueToTree(c)));
  }

  private static ObjectNode identity(DatasetIdentity id, long rows) {
    return MAPPER.createObjectNode().put("path", id.path()).put("sha256", id.sha256()).put("omsDigest", id.omsDigest())
        .put("rows", rows);
  }

  private static ObjectNode shift(ColumnShift s) {
    var node = MAPPER.createObjectNode()
        .put("column", s.column()).put("kind", s.kind()).put("method", s.method()).put("drifted", s.drifted())
        .put("unseen", s.unseen()).put("note", s.note());
    number(node, "statistic", s.statistic());
    number(node, "threshold", s.threshold());
    number(node, "psi", s.psi());
    number(node, "effect", s.effect());
    return node;
  }

  private static void number(ObjectNode node, String field, double v) {
    if (Double.isFinite(v)) {
      node.put(field, v);
    } else {
      node.putNull(field);
    }
  }

  private static void list(ArrayNode array, List<Integer> rows) {
    rows.stream().limit(MAX_LISTED_ROWS).forEach(array::add);
  }

  public static void printTable(PrintStream out, DiffResult diff, DatasetIdentity old, DatasetIdentity now) {
    out.printf("old %s  %d rows  %s%nnew %s  %d rows  %s%n%n", old.path(), diff.oldRows(), old.omsDigest(), now.path(),
        diff.newRows(), now.omsDigest());
    out.printf("Rows (matched by %s): %d added, %d removed, %d changed, %d relabelled%n", diff.matchedBy(),
        diff.added().size(), diff.removed().size(), diff.changed().size(), diff.relabelled().size());
    if (!diff.addedColumns().isEmpty() || !diff.removedColumns().isEmpty()) {
      out.printf("Columns added %s, removed %s%n", diff.addedColumns(), diff.removedColumns());
    }
    out.println();
    out.println("Column shifts:");
    var all = new ArrayList<>(diff.shifts());
    if (diff.labelShift() != null) {
      all.add(diff.labelShift());
    }
    for (ColumnShift s : all) {
      out.printf(Locale.ROOT, "  %-28s %-12s %-15s %10.4g  PSI %8.4g  %s%s%n", s.column(), s.kind(), s.method(),
          s.statistic(), s.psi(), s.drifted() ? "DRIFTED" : "stable", s.note().isEmpty() ? "" : "  (" + s.note() + ")");
    }
    if (!diff.concentration().isEmpty()) {
      out.println();
      out.println("Concentrated changes:");
      diff.concentration().forEach(c -> out.printf(Locale.ROOT, "  %s: %d in %s (%.0f %% of them, %.0f %% expected)%n",
          c.what(), c.rows(), c.where(), 100 * c.share(), 100 * c.expected()));
    }
    out.println();
  }
}
