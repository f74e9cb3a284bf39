package dev.rampart.server.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.integrity.dsse.Envelope;
import dev.rampart.integrity.oms.Bundle;
import dev.rampart.integrity.sign.Curve;
import dev.rampart.integrity.sign.Pem;
import dev.rampart.server.Json;
import dev.rampart.server.audit.AuditLog;
import dev.rampart.server.auth.Principal;
import dev.rampart.server.registry.Names;
import dev.rampart.server.registry.Registry;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admission at deploy time: a serving system asks whether it may load a digest into an environment. Only the version
 * approved for that environment, with a signature that verifies against a trusted project key, is admitted. Every
 * call is recorded and audited.
 */
public final class Admission {
  private final org.jdbi.v3.core.Jdbi jdbi;
  private final dev.rampart.server.store.GroupCommit commits;
  private final AuditLog audit;
  private final Registry registry;
  /** Environments are never renamed or deleted: their ids are kept once found. */
  private final Map<String, Long> environments = new ConcurrentHashMap<>();
  /** Signature checks are pure functions of immutable rows: cache them by version id. */
  private final Map<Long, Boolean> verified = new ConcurrentHashMap<>();

  private final dev.rampart.server.store.Generation.Cache<Long, java.util.Optional<Object[]>> active;

  public Admission(org.jdbi.v3.core.Jdbi jdbi, dev.rampart.server.store.GroupCommit commits, AuditLog audit, Registry registry,
      dev.rampart.server.store.Generation generation) {
    this.active = generation.cache(10_000);
    this.jdbi = jdbi;
    this.commits = commits;
    this.audit = audit;
    this.registry = registry;
  }

  public ObjectNode check(String project, String envName, String digestText, Principal by) {
    String digest = Names.digest(digestText);
    // decide on committed state without the write lock; then record the call, batched with concurrent ones
    long pid = registry.projectId(project);
    Object[] decision = jdbi.withHandle(h -> {
      long envId = environments.computeIfAbsent(pid + "/" + envName, k -> Registry.environmentId(h, pid, envName));
      var row = active.get(envId, () -> h.createQuery("""
              select mv.id, mv.digest, mv.signature_verified, mv.signature, m.name, mv.version from deployments d
              join model_versions mv on mv.id = d.model_version_id join models m on m.id = mv.model_id
              where d.environment_id = :e and d.status = 'active'""")
          .bind("e", envId).map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
              rs.getString(5), rs.getInt(6)}).findOne());
      boolean allowed;
      String reason;
      if (row.isEmpty()) {
        allowed = false;
        reason = "no version is approved for " + envName;
      } else if (!row.get()[1].equals(digest)) {
        allowed = false;
        reason = "sha256:" + digest + " is not the version approved for " + envName + " (" + row.get()[4] + " v" + row.get()[5] + ")";
      } else if (!(Boolean) row.get()[2] || !signatureHolds(pid, (Long) row.get()[0], (String) row.get()[3], digest)) {
        allowed = false;
        reason = "the approved version's signature does not verify with a trusted project key";
      } else {
        allowed = true;
        reason = "approved for " + envName + ": " + row.get()[4] + " v" + row.get()[5];
      }
      return new Object[] {envId, allowed, reason};
    });
    long envId = (Long) decision[0];
    boolean allowed = (Boolean) decision[1];
    String reason = (String) decision[2];
    var at = registry.now();
    commits.write(h -> {
      h.createUpdate("insert into admissions(environment_id, digest, allowed, reason, caller, created_at) values (:e,:d,:a,:r,:c,:t)")
          .bind("e", envId).bind("d", digest).bind("a", allowed).bind("r", reason).bind("c", by.id()).bind("t", at).execute();
      audit.append(h, "admission." + (allowed ? "allowed" : "denied"), by.name(), Map.of("project", project, "environment", envName,
          "digest", digest, "reason", reason));
    });
    var out = Json.MAPPER.createObjectNode();
    out.put("allowed", allowed);
    out.put("environment", envName);
    out.put("digest", digest);
    out.put("reason", reason);
    return out;
  }

  /** Re-checks the stored bundle's signature and that it names this digest; the result is cached per version. */
  private boolean signatureHolds(long projectId, long versionId, String bundleJson, String digest) {
    return verified.computeIfAbsent(versionId, id -> {
      try {
        Bundle b = Bundle.parse(bundleJson.getBytes(StandardCharsets.UTF_8));
        if (!digest.equals(b.statement().subjectSha256())) {
          return false;
        }
        for (String pem : registry.trustedKeys(projectId)) {
          var key = Pem.publicKey(pem);
          var s = Signature.getInstance(Curve.of(key).signatureAlgorithm());
          s.initVerify(key);
          s.update(Envelope.pae(b.envelope().payloadType(), b.envelope().payload()));
          if (s.verify(b.envelope().signatures().get(0).sig())) {
            return true;
          }
        }
        return false;
      } catch (Exception e) {
        return false;
      }
    });
  }
}
