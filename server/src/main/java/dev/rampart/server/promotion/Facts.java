package dev.rampart.server.promotion;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.server.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** The facts a gate policy reads about a model version, gathered from the registry in one place. */
final class Facts {
  private Facts() {}

  static Map<String, Object> of(Handle h, long versionId, Promotions.Env env, int approvals) {
    var facts = new LinkedHashMap<String, Object>();
    h.createQuery("""
            select m.name, mv.version, mv.digest, mv.scan_verdict, mv.scan_incomplete, mv.findings_critical, mv.findings_high,
              mv.findings_medium, mv.findings_low, mv.signature_verified, mv.signature_method, mv.signature_signer,
              mv.provenance is not null, mv.provenance_complete, mv.evaluations, mv.run_id
            from model_versions mv join models m on m.id = mv.model_id where mv.id = :v""")
        .bind("v", versionId).map((rs, ctx) -> {
          facts.put("model", Map.of("name", rs.getString(1), "version", (long) rs.getInt(2), "digest", rs.getString(3)));
          facts.put("scan", Map.of("verdict", rs.getString(4), "incomplete", rs.getBoolean(5)));
          long c = rs.getInt(6);
          long hi = rs.getInt(7);
          long me = rs.getInt(8);
          long lo = rs.getInt(9);
          facts.put("findings", Map.of("critical", c, "high", hi, "medium", me, "low", lo, "total", c + hi + me + lo));
          facts.put("signature", Map.of("verified", rs.getBoolean(10), "method", nz(rs.getString(11)), "signer", nz(rs.getString(12))));
          facts.put("provenance", Map.of("present", rs.getBoolean(13), "complete", rs.getBoolean(14)));
          JsonNode evals = Json.read(rs.getString(15));
          facts.put("evaluations", toValue(evals));
          facts.put("robustness", evals.has("robustness") ? toValue(evals.get("robustness")) : Map.of());
          return null;
        }).one();
    long count = 0;
    boolean clean = true;
    boolean poisoned = false;
    for (var row : h.createQuery("""
            select v.check_verdict, v.poisoned from model_versions mv join run_inputs i on i.run_id = mv.run_id
            join dataset_versions v on v.id = i.dataset_version_id where mv.id = :v""")
        .bind("v", versionId).map((rs, ctx) -> new Object[] {rs.getString(1), rs.getBoolean(2)}).list()) {
      count++;
      clean &= "clean".equals(row[0]);
      poisoned |= (Boolean) row[1];
    }
    facts.put("datasets", Map.of("count", count, "all_checked_clean", count > 0 && clean, "any_poisoned", poisoned));
    facts.put("approvals", Map.of("count", (long) approvals, "required", (long) env.requiredApprovals()));
    facts.put("environment", Map.of("name", env.name(), "protected", env.protectedEnv()));
    List<String> deployedIn = h.createQuery("""
            select distinct e.name from deployments d join environments e on e.id = d.environment_id
            where d.model_version_id = :v order by e.name""").bind("v", versionId).mapTo(String.class).list();
    facts.put("history", Map.of("deployed_in", deployedIn));
    return facts;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /** JSON to the value types CEL knows: maps, lists, strings, booleans, int64 and double. */
  static Object toValue(JsonNode n) {
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
