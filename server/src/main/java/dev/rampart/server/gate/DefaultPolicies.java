package dev.rampart.server.gate;

import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The environments and policies every project starts with: dev (warn on critical findings), staging (enforce a clean,
 * complete, signed scan; one approval) and production (also provenance, clean datasets, and, when the evaluations
 * exist, a robustness floor, no backdoor trigger and no working LLM probe; a prior staging deployment; two
 * approvals).
 */
public final class DefaultPolicies {
  private DefaultPolicies() {}

  static final PolicyRule NO_CRITICAL = new PolicyRule("no-critical-findings", "findings.critical == 0",
      "the scan found CRITICAL findings");
  static final PolicyRule NO_HIGH = new PolicyRule("no-high-findings", "findings.high == 0", "the scan found HIGH findings");
  static final PolicyRule SCAN_COMPLETE = new PolicyRule("scan-complete", "!scan.incomplete",
      "part of the model could not be analysed");
  static final PolicyRule SIGNED = new PolicyRule("signature-verified", "signature.verified",
      "the model has no signature that verifies with a trusted project key");
  static final PolicyRule PROVENANCE = new PolicyRule("provenance-complete", "provenance.verified && provenance.complete",
      "no complete provenance, signed by a key trusted for provenance, ties this model to its datasets and code");
  static final PolicyRule DATASETS = new PolicyRule("datasets-clean",
      "datasets.count > 0 && datasets.all_checked_clean && !datasets.any_poisoned",
      "the training datasets are unknown, unchecked, or flagged as poisoned");
  /*
   * Evaluations are append-only: every attestation and unsigned claim stays. One that a later attestation of the same
   * kind from a trusted evaluator supersedes is resolved; every other must pass. So the latest trusted result must
   * pass, and a failing result, signed or not, blocks until a trusted evaluator attests a pass.
   */
  static final PolicyRule ROBUSTNESS = new PolicyRule("robustness-floor",
      "attestations.all(a, a.type != 'robustness' || a.superseded || double(a.predicate.robust_accuracy) >= 0.5)",
      "robust accuracy is below 0.5 (or a robustness result is unresolved)");
  static final PolicyRule NO_BACKDOOR = new PolicyRule("no-backdoor-trigger",
      "attestations.all(a, a.type != 'backdoor' || a.superseded || size(a.predicate.findings) == 0)",
      "the backdoor probe found a trigger that forces one class");
  static final PolicyRule LLM_PROBES = new PolicyRule("llm-probes-resisted",
      "attestations.all(a, a.type != 'llm' || a.superseded"
          + " || a.predicate.categories.all(c, int(c.succeeded) == 0 && int(c.answered) > 0))",
      "an LLM probe worked, or a probe category went unanswered");
  static final PolicyRule STAGED = new PolicyRule("deployed-to-staging-first", "'staging' in history.deployed_in",
      "the version has not been deployed to staging");

  public static GatePolicy dev() {
    return new GatePolicy(GatePolicy.Mode.WARN, List.of(NO_CRITICAL));
  }

  public static GatePolicy staging() {
    return new GatePolicy(GatePolicy.Mode.ENFORCE, List.of(NO_CRITICAL, NO_HIGH, SCAN_COMPLETE, SIGNED));
  }

  public static GatePolicy production() {
    return new GatePolicy(GatePolicy.Mode.ENFORCE,
        List.of(NO_CRITICAL, NO_HIGH, SCAN_COMPLETE, SIGNED, PROVENANCE, DATASETS, ROBUSTNESS, NO_BACKDOOR,
            LLM_PROBES, STAGED));
  }

  public static void createEnvironments(Handle h, long projectId, long by, OffsetDateTime now) {
    create(h, projectId, "dev", false, 0, dev(), by, now);
    create(h, projectId, "staging", true, 1, staging(), by, now);
    create(h, projectId, "production", true, 2, production(), by, now);
  }

  public static long create(Handle h, long projectId, String name, boolean prot, int approvals, GatePolicy policy, long by,
      OffsetDateTime now) {
    long env = h.createUpdate("insert into environments(project_id, name, protected, required_approvals) values (:p, :n, :pr, :a)")
        .bind("p", projectId).bind("n", name).bind("pr", prot).bind("a", approvals).executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class).one();
    store(h, env, 1, policy, by, now);
    return env;
  }

  public static long store(Handle h, long env, int version, GatePolicy policy, long by, OffsetDateTime now) {
    return h.createUpdate("""
            insert into policies(environment_id, version, mode, rules, sha256, created_at, created_by)
            values (:e, :v, :m, :r, :s, :t, :u)""")
        .bind("e", env).bind("v", version).bind("m", policy.mode().wire()).bind("r", policy.canonical()).bind("s", policy.sha256())
        .bind("t", now).bind("u", by).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
  }
}
