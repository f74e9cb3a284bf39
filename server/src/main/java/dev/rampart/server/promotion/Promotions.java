package dev.rampart.server.promotion;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.server.Json;
import dev.rampart.server.audit.AuditLog;
import dev.rampart.server.auth.Principal;
import dev.rampart.server.domain.Conflict;
import dev.rampart.server.domain.Forbidden;
import dev.rampart.server.domain.InvalidInput;
import dev.rampart.server.domain.NotFound;
import dev.rampart.server.gate.DefaultPolicies;
import dev.rampart.server.gate.GatePolicy;
import dev.rampart.server.gate.PolicyEngine;
import dev.rampart.server.registry.Names;
import dev.rampart.server.registry.Registry;
import dev.rampart.server.store.Writes;
import dev.rampart.server.workflow.Decisions;
import dev.rampart.server.workflow.Decisions.Status;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Promotion of a model version to an environment: the gate decides on the version's facts, protected environments
 * then need approvals from approvers who are none of the version's author, the run's author, the uploader or the
 * requester, and never a service account. Deployment, rejection and rollback are recorded and audited.
 */
public final class Promotions {
  private final Jdbi jdbi;
  private final Writes writes;
  private final AuditLog audit;
  private final Registry registry;
  private final PolicyEngine engine;

  public Promotions(Jdbi jdbi, Writes writes, AuditLog audit, Registry registry, PolicyEngine engine) {
    this.jdbi = jdbi;
    this.writes = writes;
    this.audit = audit;
    this.registry = registry;
    this.engine = engine;
  }

  record Env(long id, String name, boolean protectedEnv, int requiredApprovals) {}

  static Env env(Handle h, long projectId, String name) {
    return h.createQuery("select id, name, protected, required_approvals from environments where project_id = :p and name = :n")
        .bind("p", projectId).bind("n", name)
        .map((rs, ctx) -> new Env(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getInt(4))).findOne()
        .orElseThrow(() -> NotFound.of("environment '" + Names.preview(name) + "'"));
  }

  record StoredPolicy(long id, GatePolicy policy, String sha256) {}

  static StoredPolicy policy(Handle h, long envId) {
    return h.createQuery("select id, rules, sha256 from policies where environment_id = :e order by version desc limit 1")
        .bind("e", envId).map((rs, ctx) -> new StoredPolicy(rs.getLong(1), GatePolicy.parse(Json.read(rs.getString(2))), rs.getString(3)))
        .one();
  }

  // --- request -------------------------------------------------------------------------------------------------

  /** What {@code policy} would decide on facts recorded at an earlier decision: the gate replayed, poison rule included. */
  public PolicyEngine.Decision replay(GatePolicy policy, Map<String, Object> recordedFacts) {
    return Gate.replay(engine, policy, recordedFacts);
  }

  /** The engine gates are evaluated with; dry runs use the same one (and its compiled rules). */
  public PolicyEngine engine() {
    return engine;
  }

  public Promotion request(String project, JsonNode body, Principal by) {
    String model = Json.text(body, "model");
    int version = body.path("version").asInt(-1);
    String envName = Json.text(body, "environment");
    return writes.run(h -> {
      long pid = Registry.projectId(h, project);
      long vid = Registry.modelVersionId(h, pid, model, version);
      Env env = env(h, pid, envName);
      if (isActive(h, env.id(), vid)) {
        throw new Conflict(model + " v" + version + " is already deployed to " + envName);
      }
      if (h.createQuery("select count(*) from promotions where environment_id = :e and model_version_id = :v and status = :s")
          .bind("s", Status.PENDING.wire()).bind("e", env.id()).bind("v", vid).mapTo(Integer.class).one() > 0) {
        throw new Conflict("a promotion of " + model + " v" + version + " to " + envName + " is already pending");
      }
      var gate = Gate.evaluate(h, engine, pid, vid, env, 0);
      var stored = gate.stored();
      var facts = gate.facts();
      var decision = gate.decision();
      Status status = Decisions.onRequest(decision.allowed(), env.protectedEnv(), env.requiredApprovals());
      long promotionId = h.createUpdate("""
              insert into promotions(environment_id, model_version_id, requested_by, requested_at, status, policy_id, policy_sha256,
                decision_input, decision_allowed, failed_rules, reason)
              values (:e, :v, :u, :t, :s, :pid, :sha, :in, :ok, :failed, :reason)""")
          .bind("e", env.id()).bind("v", vid).bind("u", by.id()).bind("t", registry.now()).bind("s", status.wire())
          .bind("pid", stored.id()).bind("sha", stored.sha256()).bind("in", Json.write(facts)).bind("ok", decision.allowed())
          .bind("failed", Json.write(decision.failed())).bind("reason", reason(decision))
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      var details = new LinkedHashMap<String, Object>();
      details.put("project", project);
      details.put("promotion", promotionId);
      details.put("model", model);
      details.put("version", version);
      details.put("environment", envName);
      details.put("policySha256", stored.sha256());
      details.put("allowed", decision.allowed());
      details.put("failedRules", decision.failed().stream().map(PolicyEngine.RuleResult::name).toList());
      audit.append(h, "gate.decision", by.name(), details);
      if (status == Status.DEPLOYED) {
        deploy(h, env, vid, promotionId, by, project, model, version);
      }
      return describe(h, promotionId);
    });
  }

  static String reason(PolicyEngine.Decision d) {
    if (d.failed().isEmpty()) {
      return "";
    }
    var parts = new ArrayList<String>();
    d.failed().forEach(r -> parts.add(r.name() + ": " + r.message()));
    return (d.allowed() ? "warnings: " : "") + String.join("; ", parts);
  }

  // --- approvals -----------------------------------------------------------------------------------------------

  public Promotion approve(String project, long promotionId, String comment, Principal by) {
    return decide(project, promotionId, Promotion.Verdict.APPROVE, comment, by);
  }

  public Promotion reject(String project, long promotionId, String comment, Principal by) {
    return decide(project, promotionId, Promotion.Verdict.REJECT, comment, by);
  }

  private Promotion decide(String project, long promotionId, Promotion.Verdict decision, String comment, Principal by) {
    return writes.run(h -> {
      long pid = Registry.projectId(h, project);
      var p = h.createQuery("""
              select pr.status, pr.requested_by, pr.model_version_id, pr.environment_id, mv.uploaded_by, r.created_by, e.project_id,
                m.name, mv.version
              from promotions pr join model_versions mv on mv.id = pr.model_version_id join models m on m.id = mv.model_id
              left join runs r on r.id = mv.run_id join environments e on e.id = pr.environment_id where pr.id = :id""")
          .bind("id", promotionId).map((rs, ctx) -> new Pending(Status.parse(rs.getString(1)), rs.getLong(2), rs.getLong(3),
              rs.getLong(4), rs.getLong(5), rs.getObject(6, Long.class), rs.getLong(7), rs.getString(8), rs.getInt(9)))
          .findOne().filter(row -> row.projectId() == pid)
          .orElseThrow(() -> NotFound.of("promotion " + promotionId));
      if (p.status() != Status.PENDING) {
        throw new Conflict(Conflict.Reason.INVALID_STATE, "promotion " + promotionId + " is " + p.status().wire() + ", not pending");
      }
      separationOfDuties(by, p.requestedBy(), p.uploadedBy(), p.runAuthor());
      if (h.createQuery("select count(*) from approvals where promotion_id = :p and approver_id = :u").bind("p", promotionId)
          .bind("u", by.id()).mapTo(Integer.class).one() > 0) {
        throw new Conflict("you already decided on promotion " + promotionId);
      }
      h.createUpdate("insert into approvals(promotion_id, approver_id, decision, comment, created_at) values (:p, :u, :d, :c, :t)")
          .bind("p", promotionId).bind("u", by.id()).bind("d", decision.wire()).bind("c", comment).bind("t", registry.now()).execute();
      audit.append(h, "promotion." + decision.wire(), by.name(), Map.of("project", project, "promotion", promotionId,
          "comment", comment == null ? "" : comment));
      Env env = h.createQuery("select id, name, protected, required_approvals from environments where id = :e").bind("e", p.environmentId())
          .map((rs, ctx) -> new Env(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getInt(4))).one();
      if (decision == Promotion.Verdict.REJECT) {
        h.createUpdate("update promotions set status = :s, reason = :r where id = :id").bind("s", Status.REJECTED.wire())
            .bind("r", "rejected by " + by.name())
            .bind("id", promotionId).execute();
      } else {
        int approvals = h.createQuery("select count(*) from approvals where promotion_id = :p and decision = :d")
            .bind("p", promotionId).bind("d", Promotion.Verdict.APPROVE.wire()).mapTo(Integer.class).one();
        var gateNow = new java.util.concurrent.atomic.AtomicReference<Gate.Outcome>();
        var next = Decisions.onApproval(approvals, env.requiredApprovals(), () -> {
          // the gate decides again on the facts as they stand now: a key revoked or data poisoned since the request counts
          gateNow.set(Gate.evaluate(h, engine, pid, p.versionId(), env, approvals));
          return gateNow.get().allowed();
        });
        if (next != Status.PENDING) {
          var gate = gateNow.get();
          var stored = gate.stored();
          var d = gate.decision();
          h.createUpdate("""
                  update promotions set decision_allowed = :ok, reason = :r, failed_rules = :f, policy_id = :pid, policy_sha256 = :s,
                    decision_input = :in where id = :id""")
              .bind("ok", d.allowed()).bind("r", reason(d)).bind("f", Json.write(d.failed())).bind("pid", stored.id())
              .bind("s", stored.sha256()).bind("in", Json.write(gate.facts())).bind("id", promotionId).execute();
          if (!d.allowed()) {
            h.createUpdate("update promotions set status = :s where id = :id").bind("s", Status.BLOCKED.wire())
                .bind("id", promotionId).execute();
            audit.append(h, "gate.decision", by.name(), Map.of("project", project, "promotion", promotionId,
                "policySha256", stored.sha256(), "allowed", false,
                "failedRules", d.failed().stream().map(PolicyEngine.RuleResult::name).toList()));
          } else {
            deploy(h, env, p.versionId(), promotionId, by, project, p.model(), p.version());
          }
        }
      }
      return describe(h, promotionId);
    });
  }

  /** A promotion as an approval reads it. */
  private record Pending(Status status, long requestedBy, long versionId, long environmentId, long uploadedBy,
      Long runAuthor, long projectId, String model, int version) {}

  /** Nobody approves their own work; service accounts approve nothing. */
  static void separationOfDuties(Principal by, long requester, long uploader, Long runAuthor) {
    if (by.service()) {
      throw new Forbidden(Forbidden.Reason.SEPARATION_OF_DUTIES, "service accounts cannot approve promotions");
    }
    if (by.id() == requester) {
      throw new Forbidden(Forbidden.Reason.SEPARATION_OF_DUTIES, "you requested this promotion, so someone else must approve it");
    }
    if (by.id() == uploader) {
      throw new Forbidden(Forbidden.Reason.SEPARATION_OF_DUTIES, "you uploaded this model version, so someone else must approve it");
    }
    if (runAuthor != null && by.id() == runAuthor) {
      throw new Forbidden(Forbidden.Reason.SEPARATION_OF_DUTIES, "you ran the training that produced this version, so someone else must approve it");
    }
  }

  private void deploy(Handle h, Env env, long versionId, long promotionId, Principal by, String project, String model, int version) {
    // an environment holds one active deployment per model: a new version supersedes only its own model's
    h.createUpdate("""
            update deployments set status = :superseded where environment_id = :e and status = :active
              and model_version_id in (select id from model_versions where model_id = (select model_id from model_versions where id = :v))""")
        .bind("superseded", Deployment.Status.SUPERSEDED.wire()).bind("active", Deployment.Status.ACTIVE.wire()).bind("e", env.id()).bind("v", versionId).execute();
    h.createUpdate("""
            insert into deployments(environment_id, model_version_id, promotion_id, deployed_at, deployed_by, status)
            values (:e, :v, :p, :t, :u, :s)""")
        .bind("s", Deployment.Status.ACTIVE.wire()).bind("e", env.id()).bind("v", versionId).bind("p", promotionId).bind("t", registry.now()).bind("u", by.id()).execute();
    h.createUpdate("update promotions set status = :s where id = :id").bind("s", Status.DEPLOYED.wire()).bind("id", promotionId)
        .execute();
    audit.append(h, "deployment.activated", by.name(), Map.of("project", project, "environment", env.name(), "model", model,
        "version", version, "promotion", promotionId));
  }

  static boolean isActive(Handle h, long envId, long versionId) {
    return h.createQuery("select count(*) from deployments where environment_id = :e and model_version_id = :v and status = :s")
        .bind("s", Deployment.Status.ACTIVE.wire()).bind("e", envId).bind("v", versionId).mapTo(Integer.class).one() > 0;
  }

  // --- rollback ------------------------------------------------------------------------------------------------

  private record Active(long deploymentId, long versionId, long modelId, String model, int version) {}

  private record Candidate(long versionId, int version, String digest, Long promotionId) {}

  /**
   * Rolls one deployment back: the model's deployment in the environment returns to the most recent earlier version of
   * that model that was deployed there through a promotion and that passes the environment's current gate on today's
   * facts (a poisoned lineage or a revoked key disqualifies it). The choice is recorded as a decision; when no earlier
   * version qualifies, the rollback is refused with each candidate's reason and nothing changes.
   *
   * @param model the model whose deployment rolls back; may be null when the environment holds exactly one
   */
  public Rollback rollback(String project, String envName, String model, String reason, Principal by) {
    return writes.run(h -> {
      long pid = Registry.projectId(h, project);
      Env env = env(h, pid, envName);
      var actives = h.createQuery("""
              select d.id, mv.id, m.id, m.name, mv.version from deployments d join model_versions mv on mv.id = d.model_version_id
              join models m on m.id = mv.model_id where d.environment_id = :e and d.status = :s order by m.name""")
          .bind("s", Deployment.Status.ACTIVE.wire()).bind("e", env.id()).map((rs, ctx) -> new Active(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getInt(5)))
          .list();
      Active current;
      if (model != null) {
        current = actives.stream().filter(a -> a.model().equals(model)).findFirst().orElseThrow(() ->
            new Conflict(Conflict.Reason.INVALID_STATE, "model '" + Names.preview(model) + "' is not deployed to " + envName));
      } else if (actives.size() == 1) {
        current = actives.get(0);
      } else if (actives.isEmpty()) {
        throw new Conflict(Conflict.Reason.INVALID_STATE, "nothing is deployed to " + envName);
      } else {
        throw new InvalidInput(envName + " holds " + actives.size() + " deployments (" + String.join(", ",
            actives.stream().map(Active::model).toList()) + "); say which model rolls back ('model')");
      }
      var candidates = h.createQuery("""
              select mv.id, mv.version, mv.digest, max(d.promotion_id) from deployments d join model_versions mv on mv.id = d.model_version_id
              where d.environment_id = :e and mv.model_id = :m and mv.version < :v and d.promotion_id is not null
              group by mv.id, mv.version, mv.digest order by mv.version desc""")
          .bind("e", env.id()).bind("m", current.modelId()).bind("v", current.version())
          .map((rs, ctx) -> new Candidate(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getObject(4, Long.class))).list();
      var refusals = new ArrayList<String>();
      var gates = new java.util.HashMap<Long, Gate.Outcome>();
      var chosen = dev.rampart.server.workflow.Decisions.rollbackTarget(candidates, c -> {
        int approvals = c.promotionId() == null ? 0 : h.createQuery(
                "select count(*) from approvals where promotion_id = :p and decision = :d")
            .bind("p", c.promotionId()).bind("d", Promotion.Verdict.APPROVE.wire()).mapTo(Integer.class).one();
        var gate = Gate.evaluate(h, engine, pid, c.versionId(), env, Math.max(approvals, env.requiredApprovals()));
        gates.put(c.versionId(), gate);
        return gate.allowed() ? java.util.Optional.empty() : java.util.Optional.of("v" + c.version() + ": " + reason(gate.decision()));
      }, refusals);
      if (chosen.isPresent()) {
        Candidate c = chosen.get();
        var gate = gates.get(c.versionId());
        long decision = h.createUpdate("""
                insert into promotions(environment_id, model_version_id, requested_by, requested_at, status, policy_id, policy_sha256,
                  decision_input, decision_allowed, failed_rules, reason)
                values (:e, :v, :u, :t, :s, :pid, :sha, :in, true, :failed, :reason)""")
            .bind("s", Status.DEPLOYED.wire()).bind("e", env.id()).bind("v", c.versionId()).bind("u", by.id()).bind("t", registry.now()).bind("pid", gate.stored().id())
            .bind("sha", gate.stored().sha256()).bind("in", Json.write(gate.facts())).bind("failed", Json.write(gate.decision().failed()))
            .bind("reason", truncate("rollback of " + current.model() + " v" + current.version() + (reason == null ? "" : ": " + reason)))
            .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        h.createUpdate("update deployments set status = :s where id = :id").bind("s", Deployment.Status.ROLLED_BACK.wire())
            .bind("id", current.deploymentId()).execute();
        h.createUpdate("""
                insert into deployments(environment_id, model_version_id, promotion_id, deployed_at, deployed_by, status, rollback_of)
                values (:e, :v, :p, :t, :u, :s, :of)""")
            .bind("s", Deployment.Status.ACTIVE.wire()).bind("e", env.id()).bind("v", c.versionId()).bind("p", decision).bind("t", registry.now()).bind("u", by.id())
            .bind("of", current.deploymentId()).execute();
        var details = new LinkedHashMap<String, Object>();
        details.put("project", project);
        details.put("environment", envName);
        details.put("model", current.model());
        details.put("from", current.version());
        details.put("restored", current.model() + " v" + c.version());
        details.put("decision", decision);
        details.put("policySha256", gate.stored().sha256());
        details.put("skipped", refusals);
        details.put("reason", reason == null ? "" : reason);
        audit.append(h, "deployment.rolled_back", by.name(), details);
        return new Rollback(envName, current.model(), c.version(), c.digest(), decision, refusals);
      }
      throw new Conflict(Conflict.Reason.INVALID_STATE, "no earlier version of " + current.model() + " in " + envName
          + " passes the gate now" + (refusals.isEmpty() ? " (none was deployed there before)" : ": " + String.join("; ", refusals)));
    });
  }

  private static String truncate(String s) {
    return s.length() > 2000 ? s.substring(0, 2000) : s;
  }

  /**
   * Why the environment's gate, evaluated now on the version's current facts (poison included), would not allow a
   * version that is deployed there; empty when it would.
   */
  public java.util.Optional<String> refusalNow(Handle h, long projectId, long versionId, long envId) {
    Env env = h.createQuery("select id, name, protected, required_approvals from environments where id = :e").bind("e", envId)
        .map((rs, ctx) -> new Env(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getInt(4))).one();
    var gate = Gate.evaluate(h, engine, projectId, versionId, env, env.requiredApprovals());
    return gate.allowed() ? java.util.Optional.empty() : java.util.Optional.of(reason(gate.decision()));
  }

  // --- reading and policies -------------------------------------------------------------------------------------

  public Promotion get(String project, long id) {
    return jdbi.withHandle(h -> {
      long pid = Registry.projectId(h, project);
      if (h.createQuery("select e.project_id from promotions pr join environments e on e.id = pr.environment_id where pr.id = :id")
          .bind("id", id).mapTo(Long.class).findOne().filter(p -> p == pid).isEmpty()) {
        throw NotFound.of("promotion " + id);
      }
      return describe(h, id);
    });
  }

  private static final org.jdbi.v3.core.mapper.RowMapper<Promotion.Approval> APPROVAL = (rs, ctx) -> new Promotion.Approval(
      rs.getString(1), Promotion.Verdict.parse(rs.getString(2)), rs.getString(3));

  static Promotion describe(Handle h, long id) {
    var approvals = h.createQuery("""
            select u.name, a.decision, a.comment from approvals a join principals u on u.id = a.approver_id
            where a.promotion_id = :p order by a.created_at, u.name""")
        .bind("p", id).map(APPROVAL).list();
    return h.createQuery("""
            select pr.id, pr.status, e.name, m.name, mv.version, mv.digest, pr.policy_sha256, pr.decision_allowed, pr.failed_rules,
              pr.reason, u.name, e.required_approvals
            from promotions pr join environments e on e.id = pr.environment_id join model_versions mv on mv.id = pr.model_version_id
            join models m on m.id = mv.model_id join principals u on u.id = pr.requested_by where pr.id = :id""")
        .bind("id", id).map((rs, ctx) -> new Promotion(rs.getLong(1), Status.parse(rs.getString(2)), rs.getString(3),
            rs.getString(4), rs.getInt(5), rs.getString(6), rs.getString(7), rs.getBoolean(8), ruleResults(rs.getString(9)),
            rs.getString(10), rs.getString(11), rs.getInt(12), approvals))
        .findOne().orElseThrow(() -> NotFound.of("promotion " + id));
  }

  private static List<PolicyEngine.RuleResult> ruleResults(String stored) {
    try {
      return List.of(Json.MAPPER.readValue(stored, PolicyEngine.RuleResult[].class));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The environment with its newest {@code limit} deployments older than {@code before} (a deployment id; null for the
   * newest). Every deployment, rollbacks included, is a new row; {@code nextBefore} names the next page when there is
   * one, and {@code current} is the active deployment whichever page is read.
   */
  public EnvironmentView environment(String project, String envName, int limit, Long before) {
    return jdbi.withHandle(h -> {
      long pid = Registry.projectId(h, project);
      Env env = env(h, pid, envName);
      int n = Math.max(1, limit);
      var page = h.createQuery(
              DEPLOYMENTS + " where d.environment_id = :e and d.id < :before order by d.id desc limit :n")
          .bind("e", env.id()).bind("before", before == null ? Long.MAX_VALUE : before).bind("n", n + 1)
          .map(DEPLOYMENT).list();
      // one active deployment per model; 'current' is the newest of them, 'active' lists them all
      var active = h.createQuery(DEPLOYMENTS + " where d.environment_id = :e and d.status = :s order by d.id desc")
          .bind("e", env.id()).bind("s", Deployment.Status.ACTIVE.wire()).map(DEPLOYMENT).list();
      var stored = policy(h, env.id());
      return new EnvironmentView(env.name(), env.protectedEnv(), env.requiredApprovals(), page.stream().limit(n).toList(),
          page.size() > n ? page.get(n - 1).id() : null, active.isEmpty() ? null : active.get(0), active,
          stored.policy().toJson(), stored.sha256(), Json.MAPPER.createArrayNode());
    });
  }

  /** Deployment rows as {@link #DEPLOYMENT} reads them; callers add the condition. */
  private static final String DEPLOYMENTS = """
      select d.id, m.name, mv.version, mv.digest, d.status, d.deployed_at, u.name from deployments d
      join model_versions mv on mv.id = d.model_version_id join models m on m.id = mv.model_id
      join principals u on u.id = d.deployed_by""";

  private static final org.jdbi.v3.core.mapper.RowMapper<Deployment> DEPLOYMENT = (rs, ctx) -> new Deployment(rs.getLong(1),
      rs.getString(2), rs.getInt(3), rs.getString(4), Deployment.Status.parse(rs.getString(5)),
      rs.getObject(6, OffsetDateTime.class).toString(), rs.getString(7));

  public PolicyVersion setPolicy(String project, String envName, JsonNode body, Principal by) {
    GatePolicy policy = GatePolicy.parse(body);
    engine.validate(policy);
    return writes.run(h -> {
      long pid = Registry.projectId(h, project);
      Env env = env(h, pid, envName);
      int version = h.createQuery("select coalesce(max(version), 0) + 1 from policies where environment_id = :e").bind("e", env.id())
          .mapTo(Integer.class).one();
      DefaultPolicies.store(h, env.id(), version, policy, by.id(), registry.now());
      audit.append(h, "policy.changed", by.name(), Map.of("project", project, "environment", envName, "version", version,
          "sha256", policy.sha256(), "mode", policy.mode().wire()));
      return PolicyVersion.of(policy, version);
    });
  }

  public List<String> environments(String project) {
    return jdbi.withHandle(h -> h.createQuery("select name from environments where project_id = :p order by id")
        .bind("p", Registry.projectId(h, project)).mapTo(String.class).list());
  }
}
