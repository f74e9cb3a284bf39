package dev.rampart.server.facts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.server.domain.Nullable;

/**
 * One submitted fact about a digest, as it stands now: verified when its bundle verifies with a key the project trusts
 * today for its predicate type, otherwise an unverified claim that may block a gate but never satisfy one.
 *
 * @param type the short predicate type (robustness, backdoor, llm, dataset-check, provenance, scan) or evaluation:NAME
 * @param predicateType the statement's predicate type URI; empty for an unsigned claim
 * @param attestedBy the key that signed it when verified, else who submitted it
 * @param signer the project key whose signature the bundle carries, with its state today; null for an unsigned claim
 * @param detail why it does not count, when it does not
 * @param at when it was recorded (ISO-8601)
 */
public record FactRecord(long id, String type, String predicateType, boolean verified, String attestedBy,
    @Nullable Signer signer, String detail, JsonNode predicate, String statementSha256, String submittedBy, String at) {

  /** Who signed a fact, as the project's keys know it today. */
  public record Signer(String key, String fingerprint, KeyState state, @Nullable String revokedAt) {
    static final Signer UNKNOWN = new Signer("", "", KeyState.UNKNOWN, null);
  }

  /** Where the signing key stands in the trust policy now. */
  public enum KeyState {
    /** Trusted for this predicate type: the fact counts. */
    TRUSTED,
    /** A project key that may not attest this predicate type. */
    NOT_AUTHORIZED,
    /** A project key since revoked: its facts no longer count. */
    REVOKED,
    /** No key the project has ever had verifies the signature. */
    UNKNOWN;

    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
