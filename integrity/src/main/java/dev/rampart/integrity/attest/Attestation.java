package dev.rampart.integrity.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.integrity.dsse.Envelope;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.sign.Pem;
import dev.rampart.integrity.sign.SigningKey;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Writes in-toto Statement v1 attestations: the subject is the OMS root digest of a model or dataset version, the
 * predicate a tool's result, wrapped in a DSSE envelope inside the same Sigstore bundle format as model signatures.
 */
public final class Attestation {
  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private Attestation() {}

  /** The statement bytes: one subject, named and identified by its sha256 digest (hex). */
  public static byte[] statement(String subjectName, String subjectSha256, PredicateType type, JsonNode predicate) {
    ObjectNode root = JSON.createObjectNode();
    root.put("_type", STATEMENT_TYPE);
    var subject = root.putArray("subject").addObject();
    subject.put("name", subjectName);
    subject.putObject("digest").put("sha256", subjectSha256);
    root.put("predicateType", type.uri());
    root.set("predicate", predicate == null ? JSON.createObjectNode() : predicate);
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs a statement with a key; the bundle names the key by its hint only, so trust comes from the verifier. */
  public static Bundle sign(byte[] statement, SigningKey key) {
    byte[] sig = key.sign(Envelope.pae(Envelope.IN_TOTO, statement));
    return new Bundle(new Bundle.PublicKeyMaterial(Optional.of(Pem.hint(key.publicKey())), Optional.empty()),
        new Envelope(Envelope.IN_TOTO, statement, List.of(new Envelope.Sig(sig, Optional.of(Pem.hint(key.publicKey()))))));
  }

  public static Bundle sign(String subjectName, String subjectSha256, PredicateType type, JsonNode predicate, SigningKey key) {
    return sign(statement(subjectName, subjectSha256, type, predicate), key);
  }
}
