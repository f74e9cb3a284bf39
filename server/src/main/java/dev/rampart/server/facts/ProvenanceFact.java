package dev.rampart.server.facts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.integrity.attest.AttestationVerifier;
import dev.rampart.integrity.attest.PredicateType;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.sign.VerificationException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A model version's provenance as a gate fact: present, verified (a SLSA provenance statement about this digest,
 * signed by a key the project trusts for provenance) and complete (it records datasets and the code commit).
 * Provenance that does not verify is never complete, whatever it says.
 */
public record ProvenanceFact(boolean present, boolean verified, boolean complete, String attestedBy,
    @dev.rampart.server.domain.Nullable String detail) {

  public static ProvenanceFact of(String bundleJson, String digest, List<AttestationVerifier.TrustedKey> trust) {
    if (bundleJson == null) {
      return new ProvenanceFact(false, false, false, "", "no provenance");
    }
    try {
      var v = AttestationVerifier.verify(Bundle.parse(bundleJson.getBytes(StandardCharsets.UTF_8)), digest, trust);
      if (v.type() != PredicateType.SLSA_PROVENANCE) {
        return new ProvenanceFact(true, false, false, "", "not SLSA provenance but " + v.type().shortName());
      }
      boolean datasets = false;
      boolean code = false;
      for (JsonNode d : v.predicate().at("/buildDefinition/resolvedDependencies")) {
        datasets |= "dataset".equals(d.path("annotations").path("role").asText());
        code |= d.path("digest").has("gitCommit");
      }
      return new ProvenanceFact(true, true, datasets && code, v.signer(),
          datasets && code ? "" : "the provenance records no dataset or no code commit");
    } catch (VerificationException e) {
      return new ProvenanceFact(true, false, false, "", e.getMessage());
    }
  }

  public Map<String, Object> toValue() {
    return Map.of("present", present, "verified", verified, "complete", complete, "attested_by", attestedBy, "detail",
        detail == null ? "" : detail);
  }
}
