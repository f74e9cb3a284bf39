package dev.rampart.data.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.core.ArtifactRecord;
import dev.rampart.core.Finding;
import dev.rampart.core.Location;
import dev.rampart.core.Report;
import dev.rampart.data.monitor.Alert;
import dev.rampart.data.monitor.MonitorRules;
import dev.rampart.data.monitor.WatchResult;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns a {@link WatchResult} into Rampart's report: one finding per alert, the timeline and counts in JSON. */
public final class WatchReport {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private WatchReport() {}

  public static Report report(WatchResult result, String stream, String toolVersion) {
    var findings = new ArrayList<Finding>();
    Location at = Location.of(stream);
    for (Alert a : result.alerts()) {
      var rule = MonitorRules.forKind(a.kind());
      findings.add(new Finding(rule, rule.severity(), rule.title(), evidence(a), at, rule.technique(), rule.phase(), ""));
    }
    var in = result.input();
    long bad = in.malformed() + in.nonFinite() + in.outOfOrder() + in.unmatchedLabels()
        + in.unknownFeatures().values().stream().mapToLong(Long::longValue).sum();
    if (bad > 0 || !in.missingFeatures().isEmpty()) {
      findings.add(Finding.of(MonitorRules.BAD_INPUT, String.format(Locale.ROOT,
          "%d malformed lines, %d NaN or infinite values, %d out-of-order timestamps, %d unmatched labels, "
              + "unknown features %s, features never sent %s", in.malformed(), in.nonFinite(), in.outOfOrder(),
          in.unmatchedLabels(), in.unknownFeatures().keySet(), in.missingFeatures().keySet()), at));
    }
    if (in.events() == 0) {
      findings.add(Finding.of(MonitorRules.NOTHING_WATCHED, in.malformed() + " lines, none a usable event", at));
    }
    var artifact = new ArtifactRecord(stream, "event-stream", in.events(),
        in.events() == 0 ? ArtifactRecord.Status.INCOMPLETE : ArtifactRecord.Status.SCANNED,
        in.events() + " events in " + (result.windows().size() + result.droppedWindows()) + " windows");
    return new Report("monitor-watch", toolVersion, Instant.now(), List.of(stream), findings, List.of(),
        List.of(artifact));
  }

  static String evidence(Alert a) {
    return String.format(Locale.ROOT, "%s at event %d%s (window %d-%d)%s: %s", a.kind().id(), a.event(),
        a.ts().isEmpty() ? "" : ", " + a.ts(), a.windowStart(), a.windowEnd(),
        a.features().isEmpty() ? "" : " on " + String.join(", ", a.features()), a.detail());
  }

  public static void addJson(ObjectNode root, WatchResult result) {
    var monitor = root.putObject("monitor");
    monitor.put("profileDigest", result.profileDigest());
    var timeline = monitor.putArray("timeline");
    for (Alert a : result.alerts()) {
      var node = timeline.addObject();
      node.put("event", a.event());
      node.put("ts", a.ts());
      node.put("kind", a.kind().id());
      var features = node.putArray("features");
      a.features().forEach(features::add);
      node.putObject("window").put("start", a.windowStart()).put("end", a.windowEnd());
      var statistic = node.putObject("statistic").put("name", a.statistic());
      number(statistic, "value", a.value());
      number(statistic, "threshold", a.threshold());
      node.put("severity", a.kind().severity().name());
      node.putObject("atlas").put("id", a.kind().technique().id()).put("name", a.kind().technique().name());
      node.put("detail", a.detail());
    }
    var windows = monitor.putArray("windows");
    result.windows().forEach(w -> {
      var node = windows.addObject().put("index", w.index()).put("start", w.startEvent()).put("end", w.endEvent())
          .put("firstTs", w.firstTs()).put("lastTs", w.lastTs());
      number(node, "estimatedAccuracy", w.estimatedAccuracy());
      number(node, "reconstructionError", w.reconstructionError());
      var drifted = node.putArray("drifted");
      w.drifted().forEach(drifted::add);
      var effects = node.putObject("effects");
      w.effects().forEach((k, v) -> number(effects, k, v));
    });
    monitor.put("droppedWindows", result.droppedWindows());
    var realised = monitor.putArray("realised");
    result.realised().forEach(r -> {
      var node = realised.addObject().put("event", r.event()).put("labelled", r.labelled()).put("accuracy", r.accuracy());
      number(node, "estimated", r.estimated());
    });
    monitor.set("input", MAPPER.valueToTree(result.input()));
    var notes = monitor.putArray("notes");
    result.notes().forEach(notes::add);
  }

  private static void number(ObjectNode node, String field, double v) {
    if (Double.isFinite(v)) {
      node.put(field, v);
    } else {
      node.putNull(field);
    }
  }

  public static void printTable(PrintStream out, WatchResult result, String stream) {
    var in = result.input();
    out.printf("%s: %d events, %d windows, profile %s%n", stream, in.events(),
        result.windows().size() + result.droppedWindows(), result.profileDigest());
    out.printf("input: %d malformed, %d NaN/infinite, %d out of order, %d labels (%d late, %d unmatched)%s%n%n",
        in.malformed(), in.nonFinite(), in.outOfOrder(), in.labels(), in.lateLabels(), in.unmatchedLabels(),
        in.unknownFeatures().isEmpty() ? "" : ", unknown features " + in.unknownFeatures().keySet());
    if (result.alerts().isEmpty()) {
      out.println("No alerts.");
    } else {
      out.println("Alerts:");
      for (Alert a : result.alerts()) {
        out.printf("  %-8s %-27s event %-8d %s%n", a.kind().severity(), a.kind().id(), a.event(),
            a.features().isEmpty() ? "" : String.join(", ", a.features()));
        out.printf("           %s%n", a.detail());
      }
    }
    result.notes().forEach(n -> out.println("Note: " + n));
    out.println();
  }
}
