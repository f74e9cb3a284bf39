package dev.rampart.integrity.attest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rampart.integrity.dsse.Envelope;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.sign.Curve;
import dev.rampart.integrity.sign.Pem;
import dev.rampart.integrity.sign.VerificationException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Verifies an attestation against a trust policy: the envelope's signature must verify with a key of the policy, that
 * key must be allowed to attest the statement's predicate type, and the statement's subject must be the expected
 * digest. One code path for provenance, evaluation and dataset-check attestations, at ingestion, promotion and
 * admission alike.
 */
public final class AttestationVerifier {
  private static final ObjectMapper STRICT = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  static {
    STRICT.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(64).maxStringLength(16 * 1024 * 1024).maxNumberLength(64).maxDocumentLength(16L * 1024 * 1024).build());
  }

  /** A key the project trusts, with the predicate types it may attest; a revoked key is simply left out. */
  public record TrustedKey(String name, PublicKey key, Set<PredicateType> may) {
    public TrustedKey {
      may = Set.copyOf(may);
    }
  }

  /** What a verified attestation says, and who said it. */
  public record Verified(PredicateType type, String subjectSha256, JsonNode predicate, String signer, String envelopeSha256) {}

  private AttestationVerifier() {}

  /** The SHA-256 (hex) of the signed statement bytes: what identifies the attestation in records and the audit log. */
  public static String digest(Bundle bundle) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle.envelope().payload()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The statement of a bundle, read strictly but without trusting it: for display and routing only. */
  public static JsonNode statement(Bundle bundle) throws VerificationException.MalformedBundle {
    JsonNode st;
    try {
      st = STRICT.readTree(bundle.envelope().payload());
    } catch (IOException e) {
      throw new VerificationException.MalformedBundle("the statement is not valid JSON");
    }
    if (st == null || !st.isObject() || !Attestation.STATEMENT_TYPE.equals(st.path("_type").asText())) {
      throw new VerificationException.MalformedBundle("not an in-toto Statement v1 (_type must be " + Attestation.STATEMENT_TYPE + ")");
    }
    JsonNode subjects = st.path("subject");
    if (!subjects.isArray() || subjects.size() != 1) {
      throw new VerificationException.MalformedBundle("an attestation names exactly one subject");
    }
    String sha = subjects.get(0).path("digest").path("sha256").asText("");
    if (!sha.matches("[0-9a-f]{64}")) {
      throw new VerificationException.MalformedBundle("the subject has no sha256 digest (64 lower-case hex digits)");
    }
    if (!st.path("predicateType").isTextual()) {
      throw new VerificationException.MalformedBundle("the statement has no predicateType");
    }
    return st;
  }

  /**
   * Verifies the bundle: signature by a trusted key, that key's authority for the predicate type, and the subject.
   *
   * @param expectedSubject the sha256 (hex) the statement must be about
   * @throws VerificationException.BadSignature when no trusted key verifies the signature
   * @throws VerificationException.UntrustedSigner when the signing key may not attest this predicate type
   * @throws VerificationException.ModelMismatch when the subject is another digest
   */
  public static Verified verify(Bundle bundle, String expectedSubject, List<TrustedKey> trusted) throws VerificationException {
    JsonNode st = statement(bundle);
    String typeUri = st.get("predicateType").asText();
    PredicateType type = PredicateType.ofUri(typeUri)
        .orElseThrow(() -> new VerificationException.MalformedBundle("unknown predicateType '" + preview(typeUri) + "'"));
    TrustedKey signer = null;
    for (TrustedKey k : trusted) {
      if (signatureHolds(bundle.envelope(), k.key())) {
        signer = k;
        break;
      }
    }
    if (signer == null) {
      throw new VerificationException.BadSignature(trusted.isEmpty()
          ? "the project trusts no key, so no attestation can verify"
          : "the signature does not verify with any key the project trusts");
    }
    if (!signer.may().contains(type)) {
      throw new VerificationException.UntrustedSigner("key '" + signer.name() + "' is not trusted to attest " + type.shortName()
          + " (it may attest " + signer.may().stream().map(PredicateType::shortName).sorted().toList() + ")");
    }
    String subject = st.at("/subject/0/digest/sha256").asText();
    if (!subject.equals(expectedSubject)) {
      throw new VerificationException.ModelMismatch(List.of(), List.of(), List.of(),
          "the attestation is about sha256:" + subject + ", not sha256:" + expectedSubject);
    }
    return new Verified(type, subject, st.path("predicate"), signer.name(), digest(bundle));
  }

  /** True when the envelope's one signature verifies over the DSSE pre-authentication encoding with this key. */
  public static boolean signatureHolds(Envelope envelope, PublicKey key) {
    if (envelope.signatures().size() != 1) {
      return false;
    }
    try {
      var s = Signature.getInstance(Curve.of(key).signatureAlgorithm());
      s.initVerify(key);
      s.update(envelope.pae());
      return s.verify(envelope.signatures().get(0).sig());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The key hint, for showing who signed. */
  public static String hint(PublicKey key) {
    return Pem.hint(key);
  }

  private static String preview(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }
}
