package dev.rampart.scan;

import dev.rampart.core.Rule;
import dev.rampart.scan.misconfig.MisconfigRules;
import dev.rampart.scan.secrets.SecretCheck;
import dev.rampart.scan.secrets.SecretDetector;
import java.util.ArrayList;
import java.util.List;

/** Every rule the scanner can raise, by family: for documentation, SARIF rule tables and ATLAS coverage. */
public final class RuleCatalog {
  /** A rule and the check family that raises it. */
  public record Entry(Check family, Rule rule) {}

  private static final List<Entry> ALL = collect();
  private static final java.util.Map<String, Check> FAMILY_BY_ID =
      ALL.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(e -> e.rule().id(), Entry::family));

  private RuleCatalog() {}

  public static List<Entry> all() {
    return ALL;
  }

  /** The family that raises {@code rule}; rules outside the scanner's catalogue count as model rules. */
  static Check familyOf(Rule rule) {
    return FAMILY_BY_ID.getOrDefault(rule.id(), Check.MODELS);
  }

  public static List<Rule> rules(Check family) {
    return ALL.stream().filter(e -> e.family() == family).map(Entry::rule).toList();
  }

  private static List<Entry> collect() {
    var entries = new ArrayList<Entry>();
    ScanRules.all().forEach(r -> entries.add(new Entry(Check.MODELS, r)));
    new SecretCheck(SecretDetector.defaults()).rules().forEach(r -> entries.add(new Entry(Check.SECRETS, r)));
    MisconfigRules.all().forEach(r -> entries.add(new Entry(Check.MISCONFIG, r)));
    return List.copyOf(entries);
  }
}
