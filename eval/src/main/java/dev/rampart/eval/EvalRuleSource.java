package dev.rampart.eval;

import dev.rampart.core.Rule;
import dev.rampart.core.RuleSource;
import dev.rampart.eval.report.BackdoorReport;
import dev.rampart.eval.report.LlmReport;
import dev.rampart.eval.report.RobustnessReport;
import java.util.ArrayList;
import java.util.List;

/** Robustness, backdoor and LLM probe rules. Loading this class touches no ONNX Runtime code. */
public final class EvalRuleSource implements RuleSource {
  @Override
  public List<Rule> rules() {
    var rules = new ArrayList<Rule>(Rule.declaredIn(RobustnessReport.class));
    rules.addAll(Rule.declaredIn(BackdoorReport.class));
    rules.addAll(LlmReport.rules());
    return rules;
  }
}
