package dev.rampart.server.domain;

/** The caller could not be identified: no credential, or one that is unknown, expired or revoked. */
public final class Unauthorized extends RampartException {
  /** The codes of this kind. */
  public enum Reason implements Code {
    UNAUTHENTICATED,
    INVALID_TOKEN,
    TOKEN_EXPIRED,
    TOKEN_REVOKED
  }

  public Unauthorized(Reason reason, String message) {
    super(reason, message);
  }
}
