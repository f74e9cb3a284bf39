package dev.rampart.server.audit;

import dev.rampart.core.Sha256;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The registry tables whose rows the audit log vouches for, each with the canonical form of the state under one key.
 * A key is the table name followed by the natural key of its rows, '/'-separated (names never contain '/'); the state
 * of a key is the list of its rows, each a map of fixed field names, in the order given here. Long text (reports,
 * signatures, bundles) is represented by its SHA-256, so the digest stays small to compute and the row is still bound.
 */
enum StateTable {
  /** A model version: what it is, what the scan found, and who vouches for it. */
  MODEL_VERSIONS("model_versions", """
      select p.name, m.name, mv.version from model_versions mv join models m on m.id = mv.model_id
      join projects p on p.id = m.project_id""") {
    @Override
    List<Map<String, Object>> rows(Handle h, String[] k) {
      return bindKey(h.createQuery("""
              select mv.digest, mv.files, mv.bytes, mv.scan_verdict, mv.scan_incomplete, mv.findings_critical, mv.findings_high,
                mv.findings_medium, mv.findings_low, mv.scan_report, mv.signature, mv.signature_verified, mv.signature_key_id,
                mv.provenance, mv.provenance_complete, r.name
              from model_versions mv join models m on m.id = mv.model_id join projects p on p.id = m.project_id
              left join runs r on r.id = mv.run_id where p.name = :k0 and m.name = :k1 and mv.version = :k2"""), k, true)
          .map((rs, ctx) -> row("digest", rs.getString(1), "files", rs.getInt(2), "bytes", rs.getLong(3),
              "scanVerdict", rs.getString(4), "scanIncomplete", rs.getBoolean(5),
              "findings", List.of(rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getInt(9)),
              "scanReportSha256", sha(rs.getString(10)), "signatureSha256", sha(rs.getString(11)),
              "signatureVerified", rs.getBoolean(12), "signatureKeyId", rs.getObject(13, Long.class),
              "provenanceSha256", sha(rs.getString(14)), "provenanceComplete", rs.getBoolean(15), "run", rs.getString(16)))
          .list();
    }
  },
  /** The active deployments of one model in one environment (normally one, or none). */
  DEPLOYMENTS("deployments", """
      select distinct p.name, e.name, m.name from deployments d join environments e on e.id = d.environment_id
      join projects p on p.id = e.project_id join model_versions mv on mv.id = d.model_version_id join models m on m.id = mv.model_id
      where d.status = 'active'""") {
    @Override
    List<Map<String, Object>> rows(Handle h, String[] k) {
      return bindKey(h.createQuery("""
              select d.id, mv.version, mv.digest, d.promotion_id from deployments d join environments e on e.id = d.environment_id
              join projects p on p.id = e.project_id join model_versions mv on mv.id = d.model_version_id
              join models m on m.id = mv.model_id
              where p.name = :k0 and e.name = :k1 and m.name = :k2 and d.status = 'active' order by d.id"""), k, false)
          .map((rs, ctx) -> row("deployment", rs.getLong(1), "version", rs.getInt(2), "digest", rs.getString(3),
              "promotion", rs.getObject(4, Long.class)))
          .list();
    }
  },
  /** A dataset version: its bytes, its latest attested verdict and whether those bytes are marked poisoned. */
  DATASET_VERSIONS("dataset_versions", """
      select p.name, d.name, v.version from dataset_versions v join datasets d on d.id = v.dataset_id
      join projects p on p.id = d.project_id""") {
    @Override
    List<Map<String, Object>> rows(Handle h, String[] k) {
      return bindKey(h.createQuery("""
              select v.digest, v.uri, v.check_verdict, v.check_report, v.poisoned from dataset_versions v
              join datasets d on d.id = v.dataset_id join projects p on p.id = d.project_id
              where p.name = :k0 and d.name = :k1 and v.version = :k2"""), k, true)
          .map((rs, ctx) -> row("digest", rs.getString(1), "uri", rs.getString(2), "checkVerdict", rs.getString(3),
              "checkReportSha256", sha(rs.getString(4)), "poisoned", rs.getBoolean(5)))
          .list();
    }
  },
  /** The poisoned marks on one digest, set and cleared. */
  POISONED_DIGESTS("poisoned_digests", "select distinct p.name, x.digest from poisoned_digests x join projects p on p.id = x.project_id") {
    @Override
    List<Map<String, Object>> rows(Handle h, String[] k) {
      return bindKey(h.createQuery("""
              select x.id, x.reason, x.marked_by, x.cleared_by from poisoned_digests x join projects p on p.id = x.project_id
              where p.name = :k0 and x.digest = :k1 order by x.id"""), k, false)
          .map((rs, ctx) -> row("mark", rs.getLong(1), "reasonSha256", sha(rs.getString(2)), "markedBy", rs.getLong(3),
              "clearedBy", rs.getObject(4, Long.class)))
          .list();
    }
  },
  /** Every fact recorded about one subject digest (append-only: a removed failing fact is a difference). */
  ATTESTATIONS("attestations", "select distinct p.name, a.subject_digest from attestations a join projects p on p.id = a.project_id") {
    @Override
    List<Map<String, Object>> rows(Handle h, String[] k) {
      return bindKey(h.createQuery("""
              select a.id, a.predicate_type, a.statement_sha256, a.bundle, a.predicate from attestations a
              join projects p on p.id = a.project_id where p.name = :k0 and a.subject_digest = :k1 order by a.id"""), k, false)
          .map((rs, ctx) -> row("attestation", rs.getLong(1), "predicateType", rs.getString(2), "statementSha256", rs.getString(3),
              "bundleSha256", sha(rs.getString(4)), "predicateSha256", sha(rs.getString(5))))
          .list();
    }
  },
  /** A trusted key, whether it is revoked, and what it may attest. */
  SIGNING_KEYS("signing_keys", "select p.name, s.name from signing_keys s join projects p on p.id = s.project_id") {
    @Override
    List<Map<String, Object>> rows(Handle h, String[] k) {
      return bindKey(h.createQuery("""
              select s.id, s.key_hint, s.public_key_pem, s.revoked_at is not null from signing_keys s
              join projects p on p.id = s.project_id where p.name = :k0 and s.name = :k1 order by s.id"""), k, false)
          .map((rs, ctx) -> row("key", rs.getLong(1), "hint", rs.getString(2), "publicKeySha256", sha(rs.getString(3)),
              "revoked", rs.getBoolean(4), "may", h.createQuery(
                  "select predicate_type from key_authorities where key_id = :k order by predicate_type")
                  .bind("k", rs.getLong(1)).mapTo(String.class).list()))
          .list();
    }
  },
  /** An environment's protection, required approvals and every version of its gate policy. */
  POLICIES("policies", "select p.name, e.name from environments e join projects p on p.id = e.project_id") {
    @Override
    List<Map<String, Object>> rows(Handle h, String[] k) {
      var env = bindKey(h.createQuery("""
              select e.id, e.protected, e.required_approvals from environments e join projects p on p.id = e.project_id
              where p.name = :k0 and e.name = :k1"""), k, false)
          .map((rs, ctx) -> row("environment", rs.getLong(1), "protected", rs.getBoolean(2), "requiredApprovals", rs.getInt(3)))
          .list();
      var out = new ArrayList<Map<String, Object>>(env);
      for (var e : env) {
        out.addAll(h.createQuery("select version, mode, sha256, rules from policies where environment_id = :e order by version")
            .bind("e", e.get("environment"))
            .map((rs, ctx) -> row("policy", rs.getInt(1), "mode", rs.getString(2), "sha256", rs.getString(3),
                "rulesSha256", sha(rs.getString(4))))
            .list());
      }
      return out;
    }
  },
  /** A training run and the dataset versions it declared: the lineage poison follows. */
  RUNS("runs", "select p.name, r.name from runs r join projects p on p.id = r.project_id") {
    @Override
    List<Map<String, Object>> rows(Handle h, String[] k) {
      return bindKey(h.createQuery("""
              select r.id, r.code_commit, r.parameters, r.metrics from runs r join projects p on p.id = r.project_id
              where p.name = :k0 and r.name = :k1"""), k, false)
          .map((rs, ctx) -> row("run", rs.getLong(1), "codeCommit", rs.getString(2), "parametersSha256", sha(rs.getString(3)),
              "metricsSha256", sha(rs.getString(4)), "inputs", h.createQuery("""
                  select v.digest from run_inputs i join dataset_versions v on v.id = i.dataset_version_id
                  where i.run_id = :r order by v.digest""").bind("r", rs.getLong(1)).mapTo(String.class).list()))
          .list();
    }
  },
  /** A promotion: its status, the decision recorded for it, and its approvals. */
  PROMOTIONS("promotions", """
      select p.name, cast(pr.id as varchar(20)) from promotions pr join environments e on e.id = pr.environment_id
      join projects p on p.id = e.project_id""") {
    @Override
    List<Map<String, Object>> rows(Handle h, String[] k) {
      long id;
      try {
        id = Long.parseLong(k[1]);
      } catch (NumberFormatException e) {
        return List.of();
      }
      return h.createQuery("""
              select pr.id, pr.environment_id, pr.model_version_id, pr.status, pr.decision_allowed, pr.policy_sha256
              from promotions pr join environments e on e.id = pr.environment_id join projects p on p.id = e.project_id
              where p.name = :k0 and pr.id = :id""").bind("k0", k[0]).bind("id", id)
          .map((rs, ctx) -> row("promotion", rs.getLong(1), "environment", rs.getLong(2), "modelVersion", rs.getLong(3),
              "status", rs.getString(4), "decisionAllowed", rs.getObject(5, Boolean.class), "policySha256", rs.getString(6),
              "approvals", h.createQuery("select approver_id, decision from approvals where promotion_id = :p order by approver_id")
                  .bind("p", rs.getLong(1)).map((a, c) -> a.getLong(1) + ":" + a.getString(2)).list()))
          .list();
    }
  };

  private final String table;
  private final String keysSql;

  StateTable(String table, String keysSql) {
    this.table = table;
    this.keysSql = keysSql;
  }

  String table() {
    return table;
  }

  /** The rows under one key (its parts after the table name), in their canonical order; empty when there are none. */
  abstract List<Map<String, Object>> rows(Handle h, String[] keyParts);

  /** Every key this table holds rows under now. */
  List<String> keys(Handle h) {
    return h.createQuery(keysSql).map((rs, ctx) -> {
      int n = rs.getMetaData().getColumnCount();
      var key = new StringBuilder(table);
      for (int i = 1; i <= n; i++) {
        key.append('/').append(rs.getString(i));
      }
      return key.toString();
    }).list();
  }

  static StateTable of(String table) {
    for (var t : values()) {
      if (t.table.equals(table)) {
        return t;
      }
    }
    throw new IllegalArgumentException("not a bound table: " + table);
  }

  /** Binds :k0.. from the key; a last part that must be a version number and is not makes the key match nothing. */
  private static Query bindKey(Query q, String[] k, boolean lastIsVersion) {
    for (int i = 0; i < k.length; i++) {
      if (lastIsVersion && i == k.length - 1) {
        int version;
        try {
          version = Integer.parseInt(k[i]);
        } catch (NumberFormatException e) {
          version = -1;
        }
        q.bind("k" + i, version);
      } else {
        q.bind("k" + i, k[i]);
      }
    }
    return q;
  }

  private static Map<String, Object> row(Object... kv) {
    var m = new LinkedHashMap<String, Object>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static String sha(String text) {
    return text == null ? null : Sha256.of(text);
  }
}
