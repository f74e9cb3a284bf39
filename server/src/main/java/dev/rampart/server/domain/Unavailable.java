package dev.rampart.server.domain;

/**
 * The server cannot serve writes safely right now. Not sealed further so that the audit log can name its own case
 * ({@code LogDivergedException}) where it is detected.
 */
public non-sealed class Unavailable extends RampartException {
  /** The codes of this kind. */
  public enum Reason implements Code {
    /** The database lost or rewrote audit history the server signed; writes wait for a restore. */
    LOG_DIVERGED,
    /** No checkpoint has been cosigned by the required witness quorum yet; writes are durable and wait to be served. */
    WITNESS_QUORUM_PENDING
  }

  public Unavailable(Reason reason, String message) {
    super(reason, message);
  }
}
