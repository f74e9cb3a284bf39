package dev.rampart.integrity.sign;

import dev.rampart.integrity.sigstore.TrustedRoot;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** What the verifier trusts; it must match the bundle's signing method. */
public sealed interface Trust {
  /** The {@code key} method: this public key. */
  record Key(PublicKey publicKey) implements Trust {}

  /** The {@code certificate} method: chains must end at one of these anchors. */
  record Certificates(List<X509Certificate> anchors) implements Trust {
    public Certificates {
      anchors = List.copyOf(anchors);
    }
  }

  /** The {@code sigstore} method: a trusted root, checked offline, and the expected signer identity and issuer. */
  record Sigstore(TrustedRoot root, String identity, String issuer) implements Trust {}
}
