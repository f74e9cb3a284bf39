package dev.rampart.scan;

import dev.rampart.core.Rule;
import dev.rampart.core.RuleSource;
import java.util.ArrayList;
import java.util.List;

/** Model, secret and misconfiguration rules, and the inventory rules of discovery. */
public final class ScanRuleSource implements RuleSource {
  @Override
  public List<Rule> rules() {
    var rules = new ArrayList<Rule>();
    RuleCatalog.all().forEach(e -> rules.add(e.rule()));
    rules.addAll(List.of(Discovery.SHADOW_MODEL, Discovery.MODEL_DIFFERS, Discovery.SHADOW_SERVICE));
    return rules;
  }
}
