package dev.rampart.server.promotion;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.integrity.attest.AttestationVerifier;
import dev.rampart.integrity.attest.PredicateType;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.server.Json;
import dev.rampart.server.facts.Attestations;
import dev.rampart.server.facts.FactRecord;
import dev.rampart.server.facts.Poison;
import dev.rampart.server.facts.TrustPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The facts a gate policy reads about a model version, gathered in one place. Each is either computed by the server
 * from bytes it holds (scan, findings, history) or attested, and attested facts are verified again here against the
 * project's trust policy of this moment: a revoked key's signature, provenance and evaluations no longer count.
 */
public final class Facts {
  /** The evaluation kinds the default policies read. */
  static final Set<String> EVALUATIONS = Set.of("robustness", "backdoor", "llm");

  private Facts() {}

  private record Version(long projectId, String name, int version, String digest, String verdict, boolean incomplete, long critical,
      long high, long medium, long low, boolean signatureVerified, String method, String signer, String signature, Long keyId,
      String provenance) {}

  public static Map<String, Object> of(Handle h, long versionId, Promotions.Env env, int approvals) {
    var v = h.createQuery("""
            select m.project_id, m.name, mv.version, mv.digest, mv.scan_verdict, mv.scan_incomplete, mv.findings_critical,
              mv.findings_high, mv.findings_medium, mv.findings_low, mv.signature_verified, mv.signature_method,
              mv.signature_signer, mv.signature, mv.signature_key_id, mv.provenance
            from model_versions mv join models m on m.id = mv.model_id where mv.id = :v""")
        .bind("v", versionId).map((rs, ctx) -> new Version(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4),
            rs.getString(5), rs.getBoolean(6), rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10), rs.getBoolean(11),
            rs.getString(12), rs.getString(13), rs.getString(14), (Long) rs.getObject(15, Long.class), rs.getString(16)))
        .one();
    var trust = TrustPolicy.keys(h, v.projectId());
    var attesters = trust.stream().map(k -> new AttestationVerifier.TrustedKey(k.name(), k.publicKey(), k.may())).toList();
    var facts = new LinkedHashMap<String, Object>();
    facts.put("model", Map.of("name", v.name(), "version", (long) v.version(), "digest", v.digest()));
    facts.put("scan", Map.of("verdict", v.verdict(), "incomplete", v.incomplete()));
    facts.put("findings", Map.of("critical", v.critical(), "high", v.high(), "medium", v.medium(), "low", v.low(), "total",
        v.critical() + v.high() + v.medium() + v.low()));
    boolean signed = v.signatureVerified() && dev.rampart.server.facts.ModelSignature.holds(v.signature(), v.digest(),
        TrustPolicy.active(h, v.projectId(), v.keyId()).map(TrustPolicy.Key::publicKey).orElse(null));
    facts.put("signature", Map.of("verified", signed, "method", nz(v.method()), "signer", signed ? nz(v.signer()) : ""));
    facts.put("provenance", dev.rampart.server.facts.ProvenanceFact.of(v.provenance(), v.digest(), attesters).toValue());

    List<FactRecord> records = Attestations.about(h, v.projectId(), v.digest(), attesters);
    var list = new ArrayList<Object>();
    var latestVerified = new LinkedHashMap<String, Object>();
    for (int i = 0; i < records.size(); i++) {
      FactRecord r = records.get(i);
      boolean superseded = false;
      for (int j = i + 1; j < records.size(); j++) {
        superseded |= records.get(j).verified() && records.get(j).type().equals(r.type());
      }
      list.add(Map.of("type", r.type(), "verified", r.verified(), "superseded", superseded, "attested_by", r.attestedBy(),
          "predicate", toValue(r.predicate()), "sha256", r.statementSha256()));
      if (r.verified()) {
        latestVerified.put(r.type(), toValue(r.predicate()));
      }
    }
    facts.put("attestations", list);
    facts.put("evaluations", latestVerified);
    facts.put("robustness", latestVerified.getOrDefault("robustness", Map.of()));
    facts.put("datasets", datasets(h, v.projectId(), versionId, attesters));
    facts.put("approvals", Map.of("count", (long) approvals, "required", (long) env.requiredApprovals()));
    facts.put("environment", Map.of("name", env.name(), "protected", env.protectedEnv()));
    List<String> deployedIn = h.createQuery("""
            select distinct e.name from deployments d join environments e on e.id = d.environment_id
            where d.model_version_id = :v order by e.name""").bind("v", versionId).mapTo(String.class).list();
    facts.put("history", Map.of("deployed_in", deployedIn));
    return facts;
  }

  /**
   * The training datasets by digest (run inputs and provenance alike): each is checked clean only when the latest
   * dataset-check attestation that verifies today says clean, and poisoned when its digest carries an uncleared mark.
   */
  private static Map<String, Object> datasets(Handle h, long projectId, long versionId, List<AttestationVerifier.TrustedKey> trust) {
    long count = 0;
    boolean clean = true;
    var poisoned = new ArrayList<Object>();
    var items = new ArrayList<Object>();
    for (String digest : Poison.lineage(h, versionId)) {
      count++;
      String verdict = "unchecked";
      String by = "";
      for (FactRecord r : Attestations.about(h, projectId, digest, trust)) {
        if (r.verified() && r.type().equals(PredicateType.DATASET_CHECK.shortName())) {
          verdict = Attestations.datasetVerdict(r.predicate());
          by = r.attestedBy();
        }
      }
      boolean marked = Poison.marked(h, projectId, digest);
      if (marked) {
        poisoned.add(digest);
      }
      clean &= verdict.equals("clean") && !marked;
      items.add(Map.of("digest", digest, "verdict", verdict, "attested_by", by, "poisoned", marked));
    }
    return Map.of("count", count, "all_checked_clean", count > 0 && clean, "any_poisoned", !poisoned.isEmpty(),
        "poisoned", poisoned, "items", items);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /** JSON to the value types CEL knows: maps, lists, strings, booleans, int64 and double. */
  public static Object toValue(JsonNode n) {
    if (n == null) {
      return Map.of();
    }
    if (n.isObject()) {
      var m = new LinkedHashMap<String, Object>();
      n.fields().forEachRemaining(e -> m.put(e.getKey(), toValue(e.getValue())));
      return m;
    }
    if (n.isArray()) {
      var l = new ArrayList<Object>();
      n.forEach(x -> l.add(toValue(x)));
      return l;
    }
    if (n.isIntegralNumber()) {
      return n.asLong();
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    return n.isNull() ? "" : n.asText();
  }
}
