package dev.rampart.server.facts;

import dev.rampart.integrity.attest.AttestationVerifier;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.sign.VerificationException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;

/**
 * Re-checks a stored model signature without the files: the bundle's statement must name this digest (the upload
 * checked the files against it) and its envelope must verify with the key that verified it then, if still trusted.
 */
public final class ModelSignature {
  private ModelSignature() {}

  public static boolean holds(String bundleJson, String digest, PublicKey key) {
    if (bundleJson == null || key == null) {
      return false;
    }
    try {
      Bundle b = Bundle.parse(bundleJson.getBytes(StandardCharsets.UTF_8));
      return digest.equals(b.statement().subjectSha256()) && AttestationVerifier.signatureHolds(b.envelope(), key);
    } catch (VerificationException | RuntimeException e) {
      return false;
    }
  }
}
