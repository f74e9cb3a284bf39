package dev.rampart.server.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.server.Json;
import dev.rampart.server.audit.AuditLog;
import dev.rampart.server.auth.Principal;
import dev.rampart.server.registry.Names;
import dev.rampart.server.registry.Registry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admission at deploy time: a serving system asks whether it may load a digest into an environment. Only a version
 * deployed there through the workflow is admitted, and only while its facts still hold: its signature verifies with a
 * key the project still trusts, no poisoned data reaches it, and the environment's gate, evaluated again on today's
 * facts, allows it. Answers are cached until the next state change; every call is recorded and audited.
 */
public final class Admission {
  private final org.jdbi.v3.core.Jdbi jdbi;
  private final dev.rampart.server.store.GroupCommit commits;
  private final AuditLog audit;
  private final Registry registry;
  private final dev.rampart.server.promotion.Promotions promotions;
  /** Environments are never renamed or deleted: their ids are kept once found. */
  private final Map<String, Long> environments = new ConcurrentHashMap<>();

  private record Verdict(boolean allowed, String reason, String code) {}

  private record Deployed(long versionId, String digest, boolean signatureVerified, String signature, Long keyId, String model,
      int version) {}

  private final dev.rampart.server.store.Generation.Cache<String, Verdict> verdicts;

  public Admission(org.jdbi.v3.core.Jdbi jdbi, dev.rampart.server.store.GroupCommit commits, AuditLog audit, Registry registry,
      dev.rampart.server.store.Generation generation, dev.rampart.server.promotion.Promotions promotions) {
    this.verdicts = generation.cache(10_000);
    this.jdbi = jdbi;
    this.commits = commits;
    this.audit = audit;
    this.registry = registry;
    this.promotions = promotions;
  }

  public ObjectNode check(String project, String envName, String digestText, Principal by) {
    return check(project, envName, digestText, by, false);
  }

  /**
   * Decides and records an admission. With {@code receipt}, the answer also carries the receipt of its audit entry (the
   * entry, the checkpoint that covers it and the inclusion proof), which anyone with the log's key verifies offline.
   */
  public ObjectNode check(String project, String envName, String digestText, Principal by, boolean receipt) {
    String digest = Names.digest(digestText);
    // decide on committed state without the write lock; then record the call, batched with concurrent ones
    long pid = registry.projectId(project);
    long envId = environments.computeIfAbsent(pid + "/" + envName,
        k -> jdbi.withHandle(h -> Registry.environmentId(h, pid, envName)));
    Verdict verdict = verdicts.get(envId + "/" + digest, () -> jdbi.withHandle(h -> decide(h, project, pid, envId, envName, digest)));
    boolean allowed = verdict.allowed();
    String reason = verdict.reason();
    var at = registry.now();
    var entry = new java.util.concurrent.atomic.AtomicLong(-1);
    commits.write(h -> {
      h.createUpdate("insert into admissions(environment_id, digest, allowed, reason, caller, created_at) values (:e,:d,:a,:r,:c,:t)")
          .bind("e", envId).bind("d", digest).bind("a", allowed).bind("r", reason).bind("c", by.id()).bind("t", at).execute();
      entry.set(audit.append(h, "admission." + (allowed ? "allowed" : "denied"), by.name(), Map.of("project", project, "environment", envName,
          "digest", digest, "reason", reason)));
    }, receipt);
    var out = Json.MAPPER.createObjectNode();
    out.put("allowed", allowed);
    out.put("environment", envName);
    out.put("digest", digest);
    out.put("reason", reason);
    out.put("code", verdict.code());
    if (receipt) {
      out.set("receipt", Json.MAPPER.valueToTree(dev.rampart.server.audit.Receipts.of(audit, entry.get()).toJson()));
    }
    return out;
  }

  private Verdict decide(org.jdbi.v3.core.Handle h, String project, long pid, long envId, String envName, String digest) {
    var active = h.createQuery("""
            select mv.id, mv.digest, mv.signature_verified, mv.signature, mv.signature_key_id, m.name, mv.version from deployments d
            join model_versions mv on mv.id = d.model_version_id join models m on m.id = mv.model_id
            where d.environment_id = :e and d.status = 'active' order by m.name""")
        .bind("e", envId).map((rs, ctx) -> new Deployed(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
            rs.getObject(5, Long.class), rs.getString(6), rs.getInt(7))).list();
    var match = active.stream().filter(d -> d.digest().equals(digest)).findFirst();
    if (match.isPresent()) {
      // nothing is answered from rows changed behind the server's back: each must hash to its latest log entry
      var keys = BoundState.of(h, project, envName, match.get().versionId());
      var tampered = audit.states().mismatch(h, keys);
      if (tampered.isPresent()) {
        // another server on the same database may have logged the change: read its entries before calling it tampering
        commits.refreshAudit();
        tampered = audit.states().mismatch(h, keys);
      }
      if (tampered.isPresent()) {
        return new Verdict(false, "state_mismatch: " + tampered.get(), "state_mismatch");
      }
    }
    String notDeployed = active.isEmpty() ? "no version is approved for " + envName
        : "sha256:" + digest + " is not the version approved for " + envName + " (" + String.join(", ",
            active.stream().map(d -> d.model() + " v" + d.version()).toList()) + ")";
    boolean signed = match.map(d -> d.signatureVerified() && dev.rampart.server.facts.ModelSignature.holds(d.signature(), digest,
        dev.rampart.server.facts.TrustPolicy.active(h, pid, d.keyId()).map(dev.rampart.server.facts.TrustPolicy.Key::publicKey)
            .orElse(null))).orElse(false);
    var answer = dev.rampart.server.workflow.Decisions.admission(match.isPresent(), notDeployed, signed,
        () -> promotions.refusalNow(h, pid, match.get().versionId(), envId).map(r -> match.get().model() + " v"
            + match.get().version() + " no longer passes the gate of " + envName + ": " + r),
        match.map(d -> "approved for " + envName + ": " + d.model() + " v" + d.version()).orElse(""));
    return new Verdict(answer.allowed(), answer.reason(), answer.allowed() ? "allowed" : match.isEmpty() ? "not_deployed"
        : signed ? "gate_refused" : "signature_untrusted");
  }
}
