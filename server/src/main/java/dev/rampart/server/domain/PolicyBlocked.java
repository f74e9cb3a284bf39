package dev.rampart.server.domain;

/** A gate refused the action: the environment's policy, or a rule no policy can remove (poisoned training data). */
public final class PolicyBlocked extends RampartException {
  /** The codes of this kind. */
  public enum Reason implements Code {
    GATE_BLOCKED,
    /** The version's training data is marked poisoned. */
    POISONED
  }

  public PolicyBlocked(Reason reason, String message) {
    super(reason, message);
  }
}
