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
    return new Outcome(stored, facts, withPoison(decision, poisoned));
  }

  /** The rule no policy can remove: poisoned training data blocks, whatever the policy decided. */
  private static PolicyEngine.Decision withPoison(PolicyEngine.Decision decision, List<String> poisoned) {
    if (poisoned.isEmpty()) {
      return decision;
    }
    var results = new ArrayList<>(decision.results());
    results.add(new PolicyEngine.RuleResult(POISON_RULE, false, "the training data sha256:" + poisoned.get(0)
        + (poisoned.size() > 1 ? " (and " + (poisoned.size() - 1) + " more)" : "") + " is marked poisoned"));
    return new PolicyEngine.Decision(false, decision.mode(), results);
  }

  /**
   * The gate over facts recorded at an earlier decision (a dry run): the policy, and the poison rule as those facts
   * recorded the training data, so replaying the policy that decided gives the decision it gave.
   */
  static PolicyEngine.Decision replay(PolicyEngine engine, dev.rampart.server.gate.GatePolicy policy, Map<String, Object> facts) {
    var poisoned = new ArrayList<String>();
    if (facts.get("datasets") instanceof Map<?, ?> datasets && datasets.get("poisoned") instanceof List<?> digests) {
      digests.forEach(d -> poisoned.add(String.valueOf(d)));
    }
    return withPoison(engine.evaluate(policy, facts), poisoned);
  }
}
