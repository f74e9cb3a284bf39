package dev.rampart.integrity.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.core.Sha256;
import dev.rampart.integrity.dsse.Envelope;
import dev.rampart.integrity.log.Merkle;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.sign.Pem;
import dev.rampart.integrity.sign.VerificationException.UntrustedSigner;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

/**
 * Offline verification of a keyless (Sigstore) OMS bundle: the Fulcio certificate chains to a trusted CA at the
 * time the transparency log recorded the entry, names the expected identity and issuer, and the Rekor entry is
 * bound to this signature by its inclusion proof, its signed checkpoint and its signed entry timestamp. The
 * certificate's embedded certificate-transparency timestamps must include one from a CT log of the trusted root.
 *
 * RFC 3161 timestamps, when the bundle has them, must come from a timestamp authority of the trusted root, cover
 * this signature and fall inside the certificate's validity. The log's signed integration time remains the time at
 * which the chain is validated.
 */
public final class KeylessVerifier {
  private static final String ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
  private static final String ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private KeylessVerifier() {}

  public static void verify(Bundle.Sigstore material, Envelope envelope, TrustedRoot root, String identity, String issuer)
      throws UntrustedSigner {
    X509Certificate leaf = material.leaf();
    JsonNode entry = material.tlogEntries().get(0);
    byte[] logId = b64(entry.path("logId").path("keyId").asText(), "logId");
    var log = root.tlogs().stream().filter(l -> Arrays.equals(l.logId(), logId)).findFirst()
        .orElseThrow(() -> new UntrustedSigner("the transparency log " + Base64.getEncoder().encodeToString(logId)
            + " is not in the trusted root"));
    long integrated = number(entry, "integratedTime");
    Instant time = Instant.ofEpochSecond(integrated);
    byte[] body = b64(entry.path("canonicalizedBody").asText(), "canonicalizedBody");
    checkBody(body, envelope, leaf);
    checkInclusion(entry, body, log);
    checkSet(entry, body, integrated, log);
    X509Certificate leafIssuer = checkCertificate(leaf, root, time);
    CertificateTransparency.check(leaf, leafIssuer, root.ctlogs());
    SignedTimestamps.verify(material.timestampData(), envelope.signatures().get(0).sig(), leaf, root);
    checkIdentity(leaf, identity, issuer);
  }

  /** The log entry must be this envelope: same payload hash, same signature, same certificate. */
  private static void checkBody(byte[] body, Envelope envelope, X509Certificate leaf) throws UntrustedSigner {
    JsonNode b;
    try {
      b = JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new UntrustedSigner("the log entry body is not JSON");
    }
    String kind = b.path("kind").asText();
    if (!kind.equals("dsse")) {
      throw new UntrustedSigner("the log entry is of kind '" + kind + "', expected dsse");
    }
    String payloadHash = b.path("spec").path("payloadHash").path("value").asText();
    if (!payloadHash.equals(HexFormat.of().formatHex(Sha256.newDigest().digest(envelope.payload())))) {
      throw new UntrustedSigner("the log entry records another payload than the bundle's");
    }
    JsonNode sig = b.path("spec").path("signatures").path(0);
    if (!Arrays.equals(b64(sig.path("signature").asText(), "logged signature"), envelope.signatures().get(0).sig())) {
      throw new UntrustedSigner("the log entry records another signature than the bundle's");
    }
    String verifier = new String(b64(sig.path("verifier").asText(), "logged verifier"), StandardCharsets.US_ASCII);
    try {
      if (!Pem.certificates(verifier).get(0).equals(leaf)) {
        throw new UntrustedSigner("the log entry records another signing certificate than the bundle's");
      }
    } catch (java.io.IOException e) {
      throw new UntrustedSigner("the log entry's verifier is not a certificate");
    }
  }

  private static void checkInclusion(JsonNode entry, byte[] body, TrustedRoot.Log log) throws UntrustedSigner {
    JsonNode proof = entry.path("inclusionProof");
    if (!proof.isObject()) {
      throw new UntrustedSigner("the log entry has no inclusion proof");
    }
    long index = number(proof, "logIndex");
    long size = number(proof, "treeSize");
    byte[] rootHash = b64(proof.path("rootHash").asText(), "rootHash");
    var hashes = new ArrayList<byte[]>();
    for (JsonNode h : proof.path("hashes")) {
      hashes.add(b64(h.asText(), "proof hash"));
    }
    if (!Merkle.verifyInclusion(index, size, Merkle.leafHash(body), hashes, rootHash)) {
      throw new UntrustedSigner("the inclusion proof does not lead to the logged tree root");
    }
    String note = proof.path("checkpoint").path("envelope").asText("");
    int split = note.indexOf("\n\n");
    if (split < 0) {
      throw new UntrustedSigner("the log checkpoint is missing or malformed");
    }
    String text = note.substring(0, split + 1);
    String[] lines = text.split("\n");
    if (lines.length < 3 || !lines[1].equals(Long.toString(size)) || !Arrays.equals(b64(lines[2], "checkpoint root"), rootHash)) {
      throw new UntrustedSigner("the log checkpoint does not match the inclusion proof");
    }
    boolean signed = false;
    for (String line : note.substring(split + 2).split("\n")) {
      int space = line.lastIndexOf(' ');
      if (!line.startsWith("\u2014 ") || space < 0) {
        continue;
      }
      byte[] raw = b64(line.substring(space + 1), "checkpoint signature");
      if (raw.length > 4 && log.verifies(text.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(raw, 4, raw.length))) {
        signed = true;
        break;
      }
    }
    if (!signed) {
      throw new UntrustedSigner("the log checkpoint is not signed by the trusted log key");
    }
  }

  /** The signed entry timestamp: the log's promise that it integrated this body at this time. */
  private static void checkSet(JsonNode entry, byte[] body, long integrated, TrustedRoot.Log log) throws UntrustedSigner {
    String set = entry.path("inclusionPromise").path("signedEntryTimestamp").asText("");
    if (set.isEmpty()) {
      throw new UntrustedSigner("the log entry has no signed entry timestamp");
    }
    String canonical = "{\"body\":\"" + Base64.getEncoder().encodeToString(body) + "\",\"integratedTime\":" + integrated
        + ",\"logID\":\"" + HexFormat.of().formatHex(log.logId()) + "\",\"logIndex\":" + number(entry, "logIndex") + "}";
    if (!log.verifies(canonical.getBytes(StandardCharsets.UTF_8), b64(set, "signedEntryTimestamp"))) {
      throw new UntrustedSigner("the signed entry timestamp does not verify: the log entry or its time was altered");
    }
  }

  /** Validates the chain at the log's time and returns the certificate that issued the leaf. */
  private static X509Certificate checkCertificate(X509Certificate leaf, TrustedRoot root, Instant time)
      throws UntrustedSigner {
    if (time.isBefore(leaf.getNotBefore().toInstant()) || time.isAfter(leaf.getNotAfter().toInstant())) {
      throw new UntrustedSigner("the log integrated the entry at " + time + ", outside the certificate's validity");
    }
    for (var ca : root.authorities()) {
      if (!ca.validAt(time)) {
        continue;
      }
      try {
        ca.validate(List.of(leaf), time);
        return ca.issuer();
      } catch (java.security.GeneralSecurityException e) {
        // try the next authority
      }
    }
    throw new UntrustedSigner("the signing certificate does not chain to a Fulcio authority of the trusted root");
  }

  private static void checkIdentity(X509Certificate leaf, String identity, String issuer) throws UntrustedSigner {
    var names = new ArrayList<String>();
    try {
      if (leaf.getSubjectAlternativeNames() != null) {
        for (List<?> san : leaf.getSubjectAlternativeNames()) {
          names.add(String.valueOf(san.get(1)));
        }
      }
    } catch (java.security.cert.CertificateParsingException e) {
      throw new UntrustedSigner("the certificate's identities cannot be read");
    }
    if (!names.contains(identity)) {
      throw new UntrustedSigner("the certificate identity is " + names + ", not " + identity);
    }
    String actual = issuerOf(leaf);
    if (!issuer.equals(actual)) {
      throw new UntrustedSigner("the certificate's OIDC issuer is " + actual + ", not " + issuer);
    }
  }

  private static String issuerOf(X509Certificate leaf) {
    try {
      byte[] v2 = leaf.getExtensionValue(ISSUER_V2);
      if (v2 != null) {
        var inner = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(v2).getOctets());
        return ((ASN1String) inner).getString();
      }
      byte[] v1 = leaf.getExtensionValue(ISSUER_V1);
      if (v1 != null) {
        return new String(ASN1OctetString.getInstance(v1).getOctets(), StandardCharsets.UTF_8);
      }
    } catch (java.io.IOException | ClassCastException e) {
      return "(unreadable)";
    }
    return "(none)";
  }

  private static long number(JsonNode n, String field) throws UntrustedSigner {
    try {
      return Long.parseLong(n.path(field).asText());
    } catch (NumberFormatException e) {
      throw new UntrustedSigner("the log entry's " + field + " is missing or not a number");
    }
  }

  private static byte[] b64(String s, String what) throws UntrustedSigner {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new UntrustedSigner(what + " is not base64");
    }
  }
}
