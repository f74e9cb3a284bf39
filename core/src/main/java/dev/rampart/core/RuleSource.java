package dev.rampart.core;

import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The rules one module can raise, registered under {@code META-INF/services}. ATLAS coverage, rule documentation and
 * the console's matrix are computed from the sources installed, so a module added to the build is counted without
 * anyone keeping a second list.
 */
public interface RuleSource {
  List<Rule> rules();

  /** Every installed module's rules, one per id, in id order. */
  static List<Rule> installed() {
    var byId = new TreeMap<String, Rule>();
    for (RuleSource source : ServiceLoader.load(RuleSource.class, RuleSource.class.getClassLoader())) {
      for (Rule rule : source.rules()) {
        Rule previous = byId.putIfAbsent(rule.id(), rule);
        if (previous != null && !previous.equals(rule)) {
          throw new IllegalStateException("two different rules share the id " + rule.id());
        }
      }
    }
    return byId.values().stream().sorted(Comparator.comparing(Rule::id)).toList();
  }
}
