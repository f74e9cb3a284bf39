package dev.rampart.server.workflow;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The workflow's decisions as pure functions, shared by the server (which feeds them facts read from its database)
 * and by the state machine the property tests drive: what a promotion becomes when requested and when approved, which
 * version a rollback restores, and whether admission lets a digest load.
 */
public final class Decisions {
  private Decisions() {}

  /** Where a promotion stands. */
  public enum Status {
    BLOCKED,
    PENDING,
    REJECTED,
    DEPLOYED;

    /** The status as stored and as clients read it. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A stored status; anything else is a corrupt row, never guessed at. */
    public static Status parse(String stored) {
      return valueOf(stored.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** A request: the gate decides first; a protected environment then waits for its approvals. */
  public static Status onRequest(boolean gateAllows, boolean protectedEnv, int requiredApprovals) {
    if (!gateAllows) {
      return Status.BLOCKED;
    }
    return protectedEnv && requiredApprovals > 0 ? Status.PENDING : Status.DEPLOYED;
  }

  /**
   * An approval of a pending promotion: with enough approvals the gate decides again on the facts of now, so a key
   * revoked or data poisoned since the request blocks it.
   */
  public static Status onApproval(int approvals, int requiredApprovals, java.util.function.BooleanSupplier gateAllowsNow) {
    if (approvals < requiredApprovals) {
      return Status.PENDING;
    }
    return gateAllowsNow.getAsBoolean() ? Status.DEPLOYED : Status.BLOCKED;
  }

  /**
   * The rollback target: the first candidate (most recent earlier version first) that the gate allows now; the refusal
   * of each skipped one is reported by {@code refusal} (empty when allowed).
   *
   * @return the chosen candidate, or empty when none qualifies
   */
  public static <C> Optional<C> rollbackTarget(List<C> newestFirst, Function<C, Optional<String>> refusal, List<String> skipped) {
    for (C c : newestFirst) {
      var why = refusal.apply(c);
      if (why.isEmpty()) {
        return Optional.of(c);
      }
      skipped.add(why.get());
    }
    return Optional.empty();
  }

  /** Admission's answer. */
  public record Admission(boolean allowed, String reason) {}

  /**
   * Admission: only a digest deployed in the environment, whose signature still holds and which the gate allows now
   * (poison included), may load. The checks run in this order so the reason names the first that fails.
   */
  public static Admission admission(boolean deployedHere, String notDeployedReason, boolean signatureHolds,
      java.util.function.Supplier<Optional<String>> gateRefusalNow, String allowedReason) {
    if (!deployedHere) {
      return new Admission(false, notDeployedReason);
    }
    if (!signatureHolds) {
      return new Admission(false, "the approved version's signature does not verify with a key the project still trusts");
    }
    var refusal = gateRefusalNow.get();
    return refusal.map(r -> new Admission(false, r)).orElseGet(() -> new Admission(true, allowedReason));
  }
}
