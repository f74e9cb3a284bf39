package dev.rampart.server.promotion;

import dev.rampart.server.gate.GatePolicy;
import dev.rampart.server.gate.PolicyRule;
import java.util.List;

/** A stored version of an environment's gate policy, named by its hash. */
public record PolicyVersion(String mode, List<PolicyRule> rules, int version, String sha256) {
  static PolicyVersion of(GatePolicy policy, int version) {
    return new PolicyVersion(policy.mode().wire(), policy.rules(), version, policy.sha256());
  }
}
