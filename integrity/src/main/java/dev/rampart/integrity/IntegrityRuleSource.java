package dev.rampart.integrity;

import dev.rampart.core.Rule;
import dev.rampart.core.RuleSource;
import java.util.List;

/** Signature, provenance and transparency-log rules. */
public final class IntegrityRuleSource implements RuleSource {
  @Override
  public List<Rule> rules() {
    return IntegrityRules.all();
  }
}
