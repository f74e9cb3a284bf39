package dev.rampart.data;

import dev.rampart.core.Rule;
import dev.rampart.core.RuleSource;
import dev.rampart.data.monitor.MonitorRules;
import dev.rampart.data.report.DataRules;
import java.util.ArrayList;
import java.util.List;

/** Dataset poisoning and tampering rules, and the monitoring rules for deployed models. */
public final class DataRuleSource implements RuleSource {
  @Override
  public List<Rule> rules() {
    var rules = new ArrayList<Rule>(DataRules.all());
    rules.addAll(MonitorRules.all());
    return rules;
  }
}
