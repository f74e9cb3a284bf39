package dev.rampart.server.promotion;

import dev.rampart.server.facts.Poison;
import dev.rampart.server.gate.PolicyEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The gate as every workflow step asks it: the environment's current policy over the version's facts as they stand
 * now, plus one rule no policy can switch off: a version whose training data is marked poisoned is never allowed.
 */
final class Gate {
  static final String POISON_RULE = "training-data-not-poisoned";

  private Gate() {}

  record Outcome(Promotions.StoredPolicy stored, Map<String, Object> facts, PolicyEngine.Decision decision) {
    boolean allowed() {
      return decision.allowed();
    }
  }

  static Outcome evaluate(Handle h, PolicyEngine engine, long projectId, long versionId, Promotions.Env env, int approvals) {
    var stored = Promotions.policy(h, env.id());
    var facts = Facts.of(h, versionId, env, approvals);
    var decision = engine.evaluate(stored.policy(), facts);
    List<String> poisoned = Poison.reaching(h, projectId, versionId);
    if (!poisoned.isEmpty()) {
      var results = new ArrayList<>(decision.results());
      results.add(new PolicyEngine.RuleResult(POISON_RULE, false, "the training data sha256:" + poisoned.get(0)
          + (poisoned.size() > 1 ? " (and " + (poisoned.size() - 1) + " more)" : "") + " is marked poisoned"));
      decision = new PolicyEngine.Decision(false, decision.mode(), results);
    }
    return new Outcome(stored, facts, decision);
  }
}
