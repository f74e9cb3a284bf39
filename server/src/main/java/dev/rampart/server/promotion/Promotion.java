package dev.rampart.server.promotion;

import dev.rampart.server.gate.PolicyEngine;
import dev.rampart.server.workflow.Decisions;
import java.util.List;

/**
 * A promotion and its decision as clients read it. {@code gateAllowed} is the gate's latest decision: a promotion
 * blocked when approved reports false, whatever the gate said at the request.
 */
public record Promotion(long id, Decisions.Status status, String environment, String model, int version, String digest,
    String policySha256, boolean gateAllowed, List<PolicyEngine.RuleResult> failedRules, String reason,
    String requestedBy, int requiredApprovals, List<Approval> approvals) {
  public Promotion {
    failedRules = List.copyOf(failedRules);
    approvals = List.copyOf(approvals);
  }

  /** One approver's decision on a promotion. */
  public record Approval(String by, Verdict decision, @dev.rampart.server.domain.Nullable String comment) {}

  /** What an approver decided, as stored. */
  public enum Verdict {
    APPROVE,
    REJECT;

    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Verdict parse(String stored) {
      return valueOf(stored.toUpperCase(java.util.Locale.ROOT));
    }
  }
}
