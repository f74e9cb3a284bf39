package dev.rampart.server.domain;

/** The request itself is wrong: malformed, out of range, badly named, or asserting what only the server may decide. */
public final class InvalidInput extends RampartException {
  /** The codes of this kind. */
  public enum Reason implements Code {
    INVALID_REQUEST,
    MALFORMED_JSON,
    INVALID_NAME,
    INVALID_POLICY,
    /** A fact was asserted (a verdict, a report) where only a server-computed or attested one counts. */
    SELF_ASSERTED
  }

  public InvalidInput(String message) {
    super(Reason.INVALID_REQUEST, message);
  }

  public InvalidInput(Reason reason, String message) {
    super(reason, message);
  }
}
