package dev.rampart.integrity.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.core.Sha256;
import dev.rampart.integrity.sign.VerificationException.UntrustedSigner;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * RFC 3161 timestamps in a Sigstore bundle: a timestamp authority's signed statement that the envelope's signature
 * existed at a time. Each must be issued by an authority of the trusted root, name a hash of this signature and fall
 * inside the signing certificate's validity; an altered or foreign timestamp is refused, not skipped.
 */
final class SignedTimestamps {
  private static final int MAX_TIMESTAMPS = 16;
  private static final String TIME_STAMPING = "1.3.6.1.5.5.7.3.8";

  private SignedTimestamps() {}

  /** Verifies every timestamp of the bundle and returns their times; empty when there are none. */
  static List<Instant> verify(JsonNode timestampData, byte[] signature, X509Certificate leaf, TrustedRoot root)
      throws UntrustedSigner {
    var times = new ArrayList<Instant>();
    JsonNode list = timestampData == null ? null : timestampData.path("rfc3161Timestamps");
    if (list == null || !list.isArray() || list.isEmpty()) {
      return times;
    }
    if (list.size() > MAX_TIMESTAMPS) {
      throw new UntrustedSigner("the bundle carries more than " + MAX_TIMESTAMPS + " timestamps");
    }
    if (root.timestampAuthorities().isEmpty()) {
      throw new UntrustedSigner("the bundle carries RFC 3161 timestamps but the trusted root names no timestamp "
          + "authority to check them with");
    }
    for (JsonNode t : list) {
      TimeStampToken token = token(t.path("signedTimestamp").asText(""));
      var info = token.getTimeStampInfo();
      if (!info.getMessageImprintAlgOID().getId().equals("2.16.840.1.101.3.4.2.1")
          || !Arrays.equals(info.getMessageImprintDigest(), Sha256.newDigest().digest(signature))) {
        throw new UntrustedSigner("a timestamp covers another signature than the bundle's");
      }
      Instant at = info.getGenTime().toInstant();
      if (!issuedByTrustedAuthority(token, root, at)) {
        throw new UntrustedSigner("a timestamp is not signed by a timestamp authority of the trusted root");
      }
      if (at.isBefore(leaf.getNotBefore().toInstant()) || at.isAfter(leaf.getNotAfter().toInstant())) {
        throw new UntrustedSigner("a timestamp of " + at + " falls outside the signing certificate's validity");
      }
      times.add(at);
    }
    return times;
  }

  private static TimeStampToken token(String base64) throws UntrustedSigner {
    try {
      var token = new TimeStampResponse(Base64.getDecoder().decode(base64)).getTimeStampToken();
      if (token == null) {
        throw new UntrustedSigner("a timestamp response holds no token (the authority refused the request)");
      }
      return token;
    } catch (IllegalArgumentException | java.io.IOException | org.bouncycastle.tsp.TSPException e) {
      throw new UntrustedSigner("a timestamp is not a readable RFC 3161 response: " + e.getMessage());
    }
  }

  /** The token verifies with the first certificate of an authority's chain, which chains to its root at that time. */
  private static boolean issuedByTrustedAuthority(TimeStampToken token, TrustedRoot root, Instant at) {
    for (var tsa : root.timestampAuthorities()) {
      if (!tsa.validAt(at)) {
        continue;
      }
      X509Certificate signer = tsa.issuer();
      try {
        if (!token.getSID().match(new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(signer))) {
          continue;
        }
        if (signer.getExtendedKeyUsage() == null || !signer.getExtendedKeyUsage().contains(TIME_STAMPING)) {
          continue;
        }
        token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(signer));
        tsa.validate(List.of(), at);
        return true;
      } catch (org.bouncycastle.tsp.TSPException | org.bouncycastle.operator.OperatorCreationException
          | java.security.GeneralSecurityException e) {
        // another authority may have issued it
      }
    }
    return false;
  }
}
