package dev.rampart.integrity.sign;

/**
 * Why a signature did not verify. Each failure kind is its own type: a malformed bundle, a signature that does not
 * verify (wrong key, altered payload), untrusted signer material, or a model that differs from what was signed.
 */
public abstract sealed class VerificationException extends Exception
    permits VerificationException.MalformedBundle, VerificationException.BadSignature,
        VerificationException.UntrustedSigner, VerificationException.ModelMismatch {

  protected VerificationException(String message) {
    super(message);
  }

  /** The bundle or its statement is malformed, or not the format Rampart verifies. */
  public static final class MalformedBundle extends VerificationException {
    public MalformedBundle(String message) {
      super(message);
    }
  }

  /** The signature does not verify with the given key or certificate: wrong key, or bytes changed. */
  public static final class BadSignature extends VerificationException {
    public BadSignature(String message) {
      super(message);
    }
  }

  /** The signer's certificate, identity or log evidence is not trusted. */
  public static final class UntrustedSigner extends VerificationException {
    public UntrustedSigner(String message) {
      super(message);
    }
  }

  /** The signature is genuine but the model on disk is not what was signed. */
  public static final class ModelMismatch extends VerificationException {
    private final java.util.List<String> modified;
    private final java.util.List<String> missing;
    private final java.util.List<String> extra;

    public ModelMismatch(java.util.List<String> modified, java.util.List<String> missing, java.util.List<String> extra,
        String detail) {
      super(detail);
      this.modified = java.util.List.copyOf(modified);
      this.missing = java.util.List.copyOf(missing);
      this.extra = java.util.List.copyOf(extra);
    }

    public java.util.List<String> modified() {
      return modified;
    }

    public java.util.List<String> missing() {
      return missing;
    }

    public java.util.List<String> extra() {
      return extra;
    }
  }
}
