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
import dev.rampart.eval.backdoor.TriggerInversion;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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

  public static final Rule INVERTED = Rule.of("EVAL-BACKDOOR-INVERTED", Severity.HIGH,
      "Trigger inversion finds an unusually small trigger for one class",
      "Neural Cleanse-style trigger inversion found, for this class, a mask and pattern that send nearly every input "
          + "of the other classes to it and are much smaller than those the other classes need (anomaly index by "
          + "median absolute deviation above the threshold): the signature of a planted backdoor. Check the "
          + "training data for rows carrying the recovered trigger (rampart data check), retrain from a verified "
          + "dataset, and do not promote this version.",
      Atlas.MANIPULATE_AI_MODEL, Stage.MODEL_VALIDATION);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private BackdoorReport() {}

  public static Report report(BackdoorProbe.Result result, Optional<TriggerInversion.Result> inversion,
      List<String> classes, List<String> features, String model, String data, String toolVersion) {
    var findings = new ArrayList<Finding>();
    Location at = Location.of(model);
    findings.add(Finding.of(PROBED, String.format(Locale.ROOT,
        "%d triggers on %d samples (%d queries); none may force one class on %.0f %% of other inputs",
        result.triggersTried(), result.samples(), result.queries(), 100 * result.threshold()), at));
    for (var c : result.findings()) {
      findings.add(Finding.of(TRIGGER, describe(c, classes, features), at));
    }
    inversion.ifPresent(inv -> {
      findings.add(Finding.of(PROBED, String.format(Locale.ROOT,
          "trigger inversion for %d classes by %s on %d rows (%d queries); median trigger norm %.2f, MAD %.2f%s",
          inv.classes().size(), inv.method(), inv.optimised(), inv.queries(), inv.median(), inv.mad(),
          inv.reason().isEmpty() ? "" : "; gradients estimated from scores because " + inv.reason()), at));
      for (var c : inv.findings()) {
        findings.add(Finding.of(INVERTED, describe(c, inv, classes, features), at));
      }
    });
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

  static String describe(TriggerInversion.Inverted c, TriggerInversion.Result inv, List<String> classes,
      List<String> features) {
    return String.format(Locale.ROOT, "class '%s': a trigger of norm %.2f (median of all classes %.2f, anomaly index "
        + "%.2f) at %s sends %.1f %% of other-class inputs to it", classes.get(c.target()), c.norm(), inv.median(),
        c.anomaly(), where(c, inv, features), 100 * c.verified());
  }

  /** The mask's bounding box: pixel rows and columns for images, a feature range for tabular rows. */
  static String where(TriggerInversion.Inverted c, TriggerInversion.Result inv, List<String> features) {
    int[] b = c.box();
    if (inv.image()) {
      return String.format(Locale.ROOT, "rows %d-%d, columns %d-%d", b[0], b[2], b[1], b[3]);
    }
    return b[1] == b[3] ? "feature " + name(features, b[1])
        : "features " + name(features, b[1]) + " to " + name(features, b[3]);
  }

  private static String name(List<String> features, int j) {
    return j < features.size() ? features.get(j) : String.valueOf(j);
  }

  /** The mask as text, one line per pixel row: ' ' below 0.1, '.' below 0.3, '+' below 0.6, '#' above. */
  public static List<String> render(TriggerInversion.Inverted c, int width) {
    var lines = new ArrayList<String>();
    float[] m = c.mask();
    for (int start = 0; start < m.length; start += width) {
      var line = new StringBuilder();
      for (int s = start; s < Math.min(m.length, start + width); s++) {
        line.append(m[s] < 0.1f ? ' ' : m[s] < 0.3f ? '.' : m[s] < 0.6f ? '+' : '#');
      }
      lines.add(line.toString());
    }
    return lines;
  }

  public static ObjectNode record(BackdoorProbe.Result result, Optional<TriggerInversion.Result> inversion,
      List<String> classes, List<String> features) {
    var node = MAPPER.createObjectNode();
    node.put("n", result.samples());
    node.put("clean_accuracy", result.cleanAccuracy());
    node.put("triggers_tried", result.triggersTried());
    node.put("queries", result.queries());
    node.put("threshold", result.threshold());
    var found = node.putArray("findings");
    result.findings().forEach(c -> found.add(candidate(c, classes, features)));
    // inverted triggers are findings too, so a gate on the size of this list sees them
    inversion.ifPresent(inv -> inv.findings().forEach(c -> {
      var n = found.addObject();
      n.put("trigger", "inverted mask of norm " + String.format(Locale.ROOT, "%.2f", c.norm()) + " at "
          + where(c, inv, features));
      n.put("class", classes.get(c.target()));
      n.put("forced_rate", c.verified());
      n.put("eligible", c.eligible());
      n.put("anomaly_index", c.anomaly());
      n.put("finding", true);
    }));
    var strongest = node.putArray("strongest_by_class");
    result.strongest().forEach(c -> strongest.add(candidate(c, classes, features)));
    inversion.ifPresent(inv -> node.set("inversion", inversion(inv, classes, features)));
    return node;
  }

  private static ObjectNode inversion(TriggerInversion.Result inv, List<String> classes, List<String> features) {
    var node = MAPPER.createObjectNode();
    node.put("method", inv.method());
    if (!inv.reason().isEmpty()) {
      node.put("why_estimated", inv.reason());
    }
    node.put("optimised_rows", inv.optimised());
    node.put("verified_rows", inv.samples());
    node.put("queries", inv.queries());
    node.put("median_norm", inv.median());
    node.put("mad", inv.mad());
    node.put("anomaly_threshold", inv.threshold());
    var rows = node.putArray("classes");
    for (var c : inv.classes()) {
      var n = rows.addObject();
      n.put("class", classes.get(c.target()));
      n.put("norm", c.norm());
      n.put("found", c.found());
      n.put("verified_rate", c.verified());
      n.put("anomaly_index", c.anomaly());
      var box = n.putObject("box");
      box.put("top", c.box()[0]);
      box.put("left", c.box()[1]);
      box.put("bottom", c.box()[2]);
      box.put("right", c.box()[3]);
      n.put("where", where(c, inv, features));
      n.put("finding", c.finding());
      if (inv.image()) {
        var mask = n.putArray("mask");
        render(c, inv.width()).forEach(mask::add);
      }
    }
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

  public static void printTable(PrintStream out, BackdoorProbe.Result result,
      Optional<TriggerInversion.Result> inversion, List<String> classes, List<String> features) {
    out.printf(Locale.ROOT, "clean accuracy %.3f on %d samples; %d triggers tried, %d queries%n%n",
        result.cleanAccuracy(), result.samples(), result.triggersTried(), result.queries());
    out.println("  class        forced   natural  strongest trigger");
    for (var c : result.strongest()) {
      String natural = Double.isNaN(c.naturalShare()) ? "-" : String.format(Locale.ROOT, "%.3f", c.naturalShare());
      out.printf(Locale.ROOT, "  %-12s %6.3f  %8s  %s%s%n", truncate(classes.get(c.forcedClass())), c.forcedRate(),
          natural, c.trigger().describe(features), c.finding() ? "  <- trigger" : "");
    }
    out.println();
    inversion.ifPresent(inv -> printInversion(out, inv, classes, features));
  }

  private static void printInversion(PrintStream out, TriggerInversion.Result inv, List<String> classes,
      List<String> features) {
    out.printf(Locale.ROOT, "trigger inversion (%s, %d rows): median norm %.2f, MAD %.2f, flagged above anomaly %.1f%n",
        inv.method(), inv.optimised(), inv.median(), inv.mad(), inv.threshold());
    if (!inv.reason().isEmpty()) {
      out.println("  gradients estimated from scores: " + inv.reason());
    }
    out.println("  class        norm  anomaly  verified  mask");
    for (var c : inv.classes()) {
      out.printf(Locale.ROOT, "  %-12s %5s  %7.2f  %8.3f  %s%s%n", truncate(classes.get(c.target())),
          c.found() ? String.format(Locale.ROOT, "%5.2f", c.norm()) : "none", c.anomaly(), c.verified(),
          where(c, inv, features), c.finding() ? "  <- backdoor" : "");
    }
    for (var c : inv.findings()) {
      if (inv.image()) {
        out.printf(Locale.ROOT, "%n  recovered trigger for '%s' (# mask above 0.6, + above 0.3, . above 0.1):%n",
            classes.get(c.target()));
        render(c, inv.width()).forEach(line -> out.println("    |" + line + "|"));
      }
    }
    out.println();
  }

  private static String truncate(String s) {
    return s.length() <= 12 ? s : s.substring(0, 11) + "…";
  }
}
