package dev.rampart.server.api;

/** Stable error codes of the REST API; clients match on these, never on messages. */
public enum ErrorCode {
  UNAUTHENTICATED(401),
  INVALID_TOKEN(401),
  TOKEN_EXPIRED(401),
  TOKEN_REVOKED(401),
  FORBIDDEN(403),
  SEPARATION_OF_DUTIES(403),
  NOT_FOUND(404),
  MALFORMED_JSON(400),
  INVALID_REQUEST(400),
  INVALID_NAME(400),
  INVALID_POLICY(400),
  /** A fact was asserted (a verdict, a report) where only a server-computed or attested one counts. */
  SELF_ASSERTED(400),
  /** An attestation whose signature, signer authority or subject does not verify. */
  ATTESTATION_UNVERIFIED(422),
  /** A derived token would outlive or outrank the token it is minted with. */
  EXCEEDS_PARENT(403),
  PAYLOAD_TOO_LARGE(413),
  CONFLICT(409),
  GATE_BLOCKED(409),
  INVALID_STATE(409),
  /** The version's training data is marked poisoned. */
  POISONED(409),
  INTERNAL_ERROR(500),
  /** The database lost or rewrote audit history the server signed; writes wait for a restore. */
  LOG_DIVERGED(503),
  /** No checkpoint has been cosigned by the required witness quorum yet; writes are durable and wait to be served. */
  WITNESS_QUORUM_PENDING(503);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
