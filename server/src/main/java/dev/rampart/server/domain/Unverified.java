package dev.rampart.server.domain;

/** A signed document whose signature, signer authority or subject does not verify against the trust policy. */
public final class Unverified extends RampartException {
  /** The codes of this kind. */
  public enum Reason implements Code {
    ATTESTATION_UNVERIFIED
  }

  public Unverified(String message) {
    super(Reason.ATTESTATION_UNVERIFIED, message);
  }
}
