package dev.rampart.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.core.ArtifactRecord;
import dev.rampart.core.Atlas;
import dev.rampart.core.Finding;
import dev.rampart.core.Location;
import dev.rampart.core.Stage;
import dev.rampart.core.Report;
import dev.rampart.core.Rule;
import dev.rampart.core.Severity;
import dev.rampart.eval.backdoor.BackdoorProbe;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The backdoor probe's report: one finding per trigger that forces a class, and a {@code backdoor} JSON record. */
public final class BackdoorReport {
  public static final Rule PROBED = Rule.of("EVAL-BACKDOOR-PROBED", Severity.INFO, "Backdoor triggers probed",
      "Small patches (images) or single-feature extremes (tabular) stamped on every evaluation row.",
      Atlas.MANIPULATE_AI_MODEL, Stage.MODEL_VALIDATION);
  public static final Rule TRIGGER = Rule.of("EVAL-BACKDOOR-TRIGGER", Severity.HIGH,
      "A small trigger forces one class on most inputs",
      "The model behaves as if it learned a backdoor: stamping the trigger turns most inputs of other classes into "
          + "one class, which the evaluation rows do not support. Check the training data for rows carrying the "
          + "trigger (rampart data check), retrain from a verified dataset, and do not promote this version.",
      Atlas.MANIPULATE_AI_MODEL, Stage.MODEL_VALIDATION);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private BackdoorReport() {}

  public static Report report(BackdoorProbe.Result result, List<String> classes, List<String> features, String model,
      String data, String toolVersion) {
    var findings = new ArrayList<Finding>();
    Location at = Location.of(model);
    findings.add(Finding.of(PROBED, String.format(Locale.ROOT,
        "%d triggers on %d samples (%d queries); none may force one class on %.0f %% of other inputs",
        result.triggersTried(), result.samples(), result.queries(), 100 * result.threshold()), at));
    for (var c : result.findings()) {
      findings.add(Finding.of(TRIGGER, describe(c, classes, features), at));
    }
    var artifact = new ArtifactRecord(model, "onnx", 0, ArtifactRecord.Status.SCANNED, result.samples()
        + " samples from " + data);
    return new Report("eval-backdoor", toolVersion, Instant.now(), List.of(model, data), findings, List.of(),
        List.of(artifact));
  }

  static String describe(BackdoorProbe.Candidate c, List<String> classes, List<String> features) {
    String natural = Double.isNaN(c.naturalShare()) ? "" : String.format(Locale.ROOT,
        "; rows already at that value are '%s' only %.0f %% of the time", classes.get(c.forcedClass()),
        100 * c.naturalShare());
    return String.format(Locale.ROOT, "%s turns %.1f %% of %d inputs of other classes into '%s'%s",
        c.trigger().describe(features), 100 * c.forcedRate(), c.eligible(), classes.get(c.forcedClass()), natural);
  }

  public static ObjectNode record(BackdoorProbe.Result result, List<String> classes, List<String> features) {
    var node = MAPPER.createObjectNode();
    node.put("n", result.samples());
    node.put("clean_accuracy", result.cleanAccuracy());
    node.put("triggers_tried", result.triggersTried());
    node.put("queries", result.queries());
    node.put("threshold", result.threshold());
    var found = node.putArray("findings");
    result.findings().forEach(c -> found.add(candidate(c, classes, features)));
    var strongest = node.putArray("strongest_by_class");
    result.strongest().forEach(c -> strongest.add(candidate(c, classes, features)));
    return node;
  }

  private static ObjectNode candidate(BackdoorProbe.Candidate c, List<String> classes, List<String> features) {
    var n = MAPPER.createObjectNode();
    n.put("trigger", c.trigger().describe(features));
    n.put("class", classes.get(c.forcedClass()));
    n.put("forced_rate", c.forcedRate());
    n.put("eligible", c.eligible());
    if (!Double.isNaN(c.naturalShare())) {
      n.put("natural_share", c.naturalShare());
      n.put("natural_upper", c.naturalUpper());
    }
    n.put("finding", c.finding());
    return n;
  }

  public static void printTable(PrintStream out, BackdoorProbe.Result result, List<String> classes,
      List<String> features) {
    out.printf(Locale.ROOT, "clean accuracy %.3f on %d samples; %d triggers tried, %d queries%n%n",
        result.cleanAccuracy(), result.samples(), result.triggersTried(), result.queries());
    out.println("  class        forced   natural  strongest trigger");
    for (var c : result.strongest()) {
      String natural = Double.isNaN(c.naturalShare()) ? "-" : String.format(Locale.ROOT, "%.3f", c.naturalShare());
      out.printf(Locale.ROOT, "  %-12s %6.3f  %8s  %s%s%n", truncate(classes.get(c.forcedClass())), c.forcedRate(),
          natural, c.trigger().describe(features), c.finding() ? "  <- trigger" : "");
    }
    out.println();
  }

  private static String truncate(String s) {
    return s.length() <= 12 ? s : s.substring(0, 11) + "…";
  }
}
