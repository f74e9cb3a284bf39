package dev.rampart.server.domain;

/** The caller is known but may not do this. */
public final class Forbidden extends RampartException {
  /** The codes of this kind. */
  public enum Reason implements Code {
    FORBIDDEN,
    /** Nobody approves their own work; service accounts approve nothing. */
    SEPARATION_OF_DUTIES,
    /** A derived token would outlive or outrank the token it is minted with. */
    EXCEEDS_PARENT
  }

  public Forbidden(String message) {
    super(Reason.FORBIDDEN, message);
  }

  public Forbidden(Reason reason, String message) {
    super(reason, message);
  }
}
