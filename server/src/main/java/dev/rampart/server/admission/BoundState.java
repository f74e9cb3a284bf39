package dev.rampart.server.admission;

import dev.rampart.server.audit.StateLedger;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The registry rows an admission answer for a deployed version rests on, as state keys of the audit log. */
final class BoundState {
  private BoundState() {}

  private record Version(String model, int version, String digest, String keyName, String run) {}

  /**
   * The deployment slot, the version (scan verdict, findings, signature), the facts about its digest, its signing key,
   * the environment's gate policy, its run and the poison marks on every dataset of its lineage.
   */
  static List<String> of(Handle h, String project, String env, long versionId) {
    var v = h.createQuery("""
            select m.name, mv.version, mv.digest, k.name, r.name from model_versions mv join models m on m.id = mv.model_id
            left join signing_keys k on k.id = mv.signature_key_id left join runs r on r.id = mv.run_id where mv.id = :v""")
        .bind("v", versionId).map((rs, ctx) -> new Version(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
            rs.getString(5))).one();
    var keys = new ArrayList<String>();
    keys.add(StateLedger.key("deployments", project, env, v.model()));
    keys.add(StateLedger.key("model_versions", project, v.model(), v.version()));
    keys.add(StateLedger.key("attestations", project, v.digest()));
    keys.add(StateLedger.key("policies", project, env));
    if (v.keyName() != null) {
      keys.add(StateLedger.key("signing_keys", project, v.keyName()));
    }
    if (v.run() != null) {
      keys.add(StateLedger.key("runs", project, v.run()));
    }
    for (String d : dev.rampart.server.facts.Poison.lineage(h, versionId)) {
      keys.add(StateLedger.key("poisoned_digests", project, d));
    }
    return keys;
  }
}
