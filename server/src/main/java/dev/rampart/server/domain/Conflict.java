package dev.rampart.server.domain;

/** The request is well formed but the state it would act on does not allow it (already done, not pending, ...). */
public final class Conflict extends RampartException {
  /** The codes of this kind. */
  public enum Reason implements Code {
    CONFLICT,
    INVALID_STATE
  }

  public Conflict(String message) {
    super(Reason.CONFLICT, message);
  }

  public Conflict(Reason reason, String message) {
    super(reason, message);
  }
}
