package dev.rampart.cli.atlas;

import dev.rampart.core.Rule;
import dev.rampart.core.atlas.AtlasData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Which ATLAS techniques Rampart's rules detect, which its controls mitigate, and which are gaps. */
public final class Coverage {
  /** How Rampart covers a technique. */
  public enum Level {
    DETECTED,
    MITIGATED,
    GAP
  }

  /** One technique's coverage: the rules that report it and the Rampart controls that mitigate it. */
  public record Row(AtlasData.Technique technique, Level level, List<String> rules, List<String> controls) {}

  /** ATLAS mitigations Rampart implements, with the command or service that does. */
  public static final Map<String, String> CONTROLS =
      Map.of(
          "AML.M0005", "registry access control (rampart server)",
          "AML.M0013", "model signing and verification (rampart sign / verify)",
          "AML.M0014", "artifact verification (rampart scan / verify)",
          "AML.M0016", "vulnerability scanning (rampart scan: misconfiguration and version floors)",
          "AML.M0019", "deploy-time admission and promotion gates (rampart admit / promote)",
          "AML.M0023", "AI bill of materials (rampart bom)",
          "AML.M0025", "dataset and training provenance (rampart provenance, dataset register)");

  private Coverage() {}

  public static List<Row> compute(AtlasData data, List<Rule> rules) {
    Map<String, TreeSet<String>> byTechnique = new LinkedHashMap<>();
    for (Rule r : rules) {
      byTechnique.computeIfAbsent(r.technique().id(), k -> new TreeSet<>()).add(r.id());
    }
    var rows = new ArrayList<Row>();
    for (var t : data.techniques()) {
      var ruleIds = new ArrayList<>(byTechnique.getOrDefault(t.id(), new TreeSet<>()));
      var controls = t.mitigations().stream().filter(CONTROLS::containsKey).toList();
      Level level = !ruleIds.isEmpty() ? Level.DETECTED : !controls.isEmpty() ? Level.MITIGATED : Level.GAP;
      rows.add(new Row(t, level, List.copyOf(ruleIds), controls));
    }
    return rows;
  }

  /** Rule techniques the data does not know: a mapping error or an older data version. */
  public static List<String> unknownTechniques(AtlasData data, List<Rule> rules) {
    var known = new java.util.HashSet<String>();
    data.techniques().forEach(t -> known.add(t.id()));
    return rules.stream().map(r -> r.technique().id()).filter(id -> !known.contains(id)).distinct().sorted().toList();
  }
}
