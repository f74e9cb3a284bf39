package dev.rampart.server.promotion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.server.Json;
import dev.rampart.server.api.ApiException;
import dev.rampart.server.api.ErrorCode;
import dev.rampart.server.audit.AuditLog;
import dev.rampart.server.auth.Principal;
import dev.rampart.server.gate.DefaultPolicies;
import dev.rampart.server.gate.GatePolicy;
import dev.rampart.server.gate.PolicyEngine;
import dev.rampart.server.registry.Names;
import dev.rampart.server.registry.Registry;
import dev.rampart.server.store.Writes;
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
        .orElseThrow(() -> ApiException.notFound("environment '" + Names.preview(name) + "'"));
  }

  record StoredPolicy(long id, GatePolicy policy, String sha256) {}

  static StoredPolicy policy(Handle h, long envId) {
    return h.createQuery("select id, rules, sha256 from policies where environment_id = :e order by version desc limit 1")
        .bind("e", envId).map((rs, ctx) -> new StoredPolicy(rs.getLong(1), GatePolicy.parse(Json.read(rs.getString(2))), rs.getString(3)))
        .one();
  }

  // --- request -------------------------------------------------------------------------------------------------

  /** The engine gates are evaluated with; dry runs use the same one (and its compiled rules). */
  public PolicyEngine engine() {
    return engine;
  }

  public ObjectNode request(String project, JsonNode body, Principal by) {
    String model = Json.text(body, "model");
    int version = body.path("version").asInt(-1);
    String envName = Json.text(body, "environment");
    return writes.run(h -> {
      long pid = Registry.projectId(h, project);
      long vid = Registry.modelVersionId(h, pid, model, version);
      Env env = env(h, pid, envName);
      Long active = activeVersion(h, env.id());
      if (active != null && active == vid) {
        throw new ApiException(ErrorCode.CONFLICT, model + " v" + version + " is already deployed to " + envName);
      }
      if (h.createQuery("select count(*) from promotions where environment_id = :e and model_version_id = :v and status = 'pending'")
          .bind("e", env.id()).bind("v", vid).mapTo(Integer.class).one() > 0) {
        throw new ApiException(ErrorCode.CONFLICT, "a promotion of " + model + " v" + version + " to " + envName + " is already pending");
      }
      var stored = policy(h, env.id());
      var facts = Facts.of(h, vid, env, 0);
      var decision = engine.evaluate(stored.policy(), facts);
      String status = !decision.allowed() ? "blocked" : env.protectedEnv() && env.requiredApprovals() > 0 ? "pending" : "deployed";
      long promotionId = h.createUpdate("""
              insert into promotions(environment_id, model_version_id, requested_by, requested_at, status, policy_id, policy_sha256,
                decision_input, decision_allowed, failed_rules, reason)
              values (:e, :v, :u, :t, :s, :pid, :sha, :in, :ok, :failed, :reason)""")
          .bind("e", env.id()).bind("v", vid).bind("u", by.id()).bind("t", registry.now()).bind("s", status)
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
      if (status.equals("deployed")) {
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

  public ObjectNode approve(String project, long promotionId, String comment, Principal by) {
    return decide(project, promotionId, "approve", comment, by);
  }

  public ObjectNode reject(String project, long promotionId, String comment, Principal by) {
    return decide(project, promotionId, "reject", comment, by);
  }

  private ObjectNode decide(String project, long promotionId, String decision, String comment, Principal by) {
    return writes.run(h -> {
      long pid = Registry.projectId(h, project);
      var p = h.createQuery("""
              select pr.status, pr.requested_by, pr.model_version_id, pr.environment_id, mv.uploaded_by, r.created_by, e.project_id,
                m.name, mv.version
              from promotions pr join model_versions mv on mv.id = pr.model_version_id join models m on m.id = mv.model_id
              left join runs r on r.id = mv.run_id join environments e on e.id = pr.environment_id where pr.id = :id""")
          .bind("id", promotionId).map((rs, ctx) -> new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
              rs.getLong(5), rs.getObject(6), rs.getLong(7), rs.getString(8), rs.getInt(9)}).findOne()
          .orElseThrow(() -> ApiException.notFound("promotion " + promotionId));
      if ((Long) p[6] != pid) {
        throw ApiException.notFound("promotion " + promotionId);
      }
      if (!"pending".equals(p[0])) {
        throw new ApiException(ErrorCode.INVALID_STATE, "promotion " + promotionId + " is " + p[0] + ", not pending");
      }
      separationOfDuties(by, (Long) p[1], (Long) p[4], p[5] == null ? null : ((Number) p[5]).longValue());
      if (h.createQuery("select count(*) from approvals where promotion_id = :p and approver_id = :u").bind("p", promotionId)
          .bind("u", by.id()).mapTo(Integer.class).one() > 0) {
        throw new ApiException(ErrorCode.CONFLICT, "you already decided on promotion " + promotionId);
      }
      h.createUpdate("insert into approvals(promotion_id, approver_id, decision, comment, created_at) values (:p, :u, :d, :c, :t)")
          .bind("p", promotionId).bind("u", by.id()).bind("d", decision).bind("c", comment).bind("t", registry.now()).execute();
      audit.append(h, "promotion." + decision, by.name(), Map.of("project", project, "promotion", promotionId,
          "comment", comment == null ? "" : comment));
      Env env = h.createQuery("select id, name, protected, required_approvals from environments where id = :e").bind("e", (Long) p[3])
          .map((rs, ctx) -> new Env(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getInt(4))).one();
      if (decision.equals("reject")) {
        h.createUpdate("update promotions set status = 'rejected', reason = :r where id = :id").bind("r", "rejected by " + by.name())
            .bind("id", promotionId).execute();
      } else {
        int approvals = h.createQuery("select count(*) from approvals where promotion_id = :p and decision = 'approve'")
            .bind("p", promotionId).mapTo(Integer.class).one();
        if (approvals >= env.requiredApprovals()) {
          var stored = policy(h, env.id());
          var facts = Facts.of(h, (Long) p[2], env, approvals);
          var d = engine.evaluate(stored.policy(), facts);
          if (!d.allowed()) {
            h.createUpdate("update promotions set status = 'blocked', reason = :r, failed_rules = :f, policy_sha256 = :s where id = :id")
                .bind("r", reason(d)).bind("f", Json.write(d.failed())).bind("s", stored.sha256()).bind("id", promotionId).execute();
            audit.append(h, "gate.decision", by.name(), Map.of("project", project, "promotion", promotionId,
                "policySha256", stored.sha256(), "allowed", false));
          } else {
            deploy(h, env, (Long) p[2], promotionId, by, project, (String) p[7], (Integer) p[8]);
          }
        }
      }
      return describe(h, promotionId);
    });
  }

  /** Nobody approves their own work; service accounts approve nothing. */
  static void separationOfDuties(Principal by, long requester, long uploader, Long runAuthor) {
    if (by.service()) {
      throw new ApiException(ErrorCode.SEPARATION_OF_DUTIES, "service accounts cannot approve promotions");
    }
    if (by.id() == requester) {
      throw new ApiException(ErrorCode.SEPARATION_OF_DUTIES, "you requested this promotion, so someone else must approve it");
    }
    if (by.id() == uploader) {
      throw new ApiException(ErrorCode.SEPARATION_OF_DUTIES, "you uploaded this model version, so someone else must approve it");
    }
    if (runAuthor != null && by.id() == runAuthor) {
      throw new ApiException(ErrorCode.SEPARATION_OF_DUTIES, "you ran the training that produced this version, so someone else must approve it");
    }
  }

  private void deploy(Handle h, Env env, long versionId, long promotionId, Principal by, String project, String model, int version) {
    h.createUpdate("update deployments set status = 'superseded' where environment_id = :e and status = 'active'")
        .bind("e", env.id()).execute();
    h.createUpdate("""
            insert into deployments(environment_id, model_version_id, promotion_id, deployed_at, deployed_by, status)
            values (:e, :v, :p, :t, :u, 'active')""")
        .bind("e", env.id()).bind("v", versionId).bind("p", promotionId).bind("t", registry.now()).bind("u", by.id()).execute();
    h.createUpdate("update promotions set status = 'deployed' where id = :id").bind("id", promotionId).execute();
    audit.append(h, "deployment.activated", by.name(), Map.of("project", project, "environment", env.name(), "model", model,
        "version", version, "promotion", promotionId));
  }

  static Long activeVersion(Handle h, long envId) {
    return h.createQuery("select model_version_id from deployments where environment_id = :e and status = 'active'")
        .bind("e", envId).mapTo(Long.class).findOne().orElse(null);
  }

  // --- rollback ------------------------------------------------------------------------------------------------

  /** Returns the environment to the last version that was deployed there through an approved promotion. */
  public ObjectNode rollback(String project, String envName, String reason, Principal by) {
    return writes.run(h -> {
      long pid = Registry.projectId(h, project);
      Env env = env(h, pid, envName);
      var current = h.createQuery("select id, model_version_id from deployments where environment_id = :e and status = 'active'")
          .bind("e", env.id()).map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).findOne()
          .orElseThrow(() -> new ApiException(ErrorCode.INVALID_STATE, "nothing is deployed to " + envName));
      var previous = h.createQuery("""
              select d.model_version_id, d.promotion_id from deployments d
              where d.environment_id = :e and d.status = 'superseded' and d.model_version_id <> :cur
                and d.promotion_id is not null
                and not exists (select 1 from deployments x where x.environment_id = d.environment_id
                                and x.model_version_id = d.model_version_id and x.status = 'rolled_back')
              order by d.deployed_at desc, d.id desc limit 1""")
          .bind("e", env.id()).bind("cur", current[1]).map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getObject(2)}).findOne()
          .orElseThrow(() -> new ApiException(ErrorCode.INVALID_STATE, "no earlier approved version of " + envName + " to roll back to"));
      h.createUpdate("update deployments set status = 'rolled_back' where id = :id").bind("id", current[0]).execute();
      h.createUpdate("""
              insert into deployments(environment_id, model_version_id, promotion_id, deployed_at, deployed_by, status, rollback_of)
              values (:e, :v, :p, :t, :u, 'active', :of)""")
          .bind("e", env.id()).bind("v", (Long) previous[0]).bind("p", previous[1] == null ? null : ((Number) previous[1]).longValue())
          .bind("t", registry.now()).bind("u", by.id()).bind("of", current[0]).execute();
      var restored = h.createQuery("select m.name, mv.version, mv.digest from model_versions mv join models m on m.id = mv.model_id where mv.id = :v")
          .bind("v", (Long) previous[0]).map((rs, ctx) -> new Object[] {rs.getString(1), rs.getInt(2), rs.getString(3)}).one();
      audit.append(h, "deployment.rolled_back", by.name(), Map.of("project", project, "environment", envName,
          "restored", restored[0] + " v" + restored[1], "reason", reason == null ? "" : reason));
      var out = Json.MAPPER.createObjectNode();
      out.put("environment", envName);
      out.put("model", (String) restored[0]);
      out.put("version", (Integer) restored[1]);
      out.put("digest", (String) restored[2]);
      return out;
    });
  }

  // --- reading and policies -------------------------------------------------------------------------------------

  public ObjectNode get(String project, long id) {
    return jdbi.withHandle(h -> {
      long pid = Registry.projectId(h, project);
      var p = describe(h, id);
      if (!p.path("projectId").isMissingNode() && p.get("projectId").asLong() != pid) {
        throw ApiException.notFound("promotion " + id);
      }
      p.remove("projectId");
      return p;
    });
  }

  static ObjectNode describe(Handle h, long id) {
    return h.createQuery("""
            select pr.id, pr.status, e.name, m.name, mv.version, mv.digest, pr.policy_sha256, pr.decision_allowed, pr.failed_rules,
              pr.reason, u.name, e.required_approvals, e.project_id
            from promotions pr join environments e on e.id = pr.environment_id join model_versions mv on mv.id = pr.model_version_id
            join models m on m.id = mv.model_id join principals u on u.id = pr.requested_by where pr.id = :id""")
        .bind("id", id).map((rs, ctx) -> {
          var o = Json.MAPPER.createObjectNode();
          o.put("id", rs.getLong(1));
          o.put("status", rs.getString(2));
          o.put("environment", rs.getString(3));
          o.put("model", rs.getString(4));
          o.put("version", rs.getInt(5));
          o.put("digest", rs.getString(6));
          o.put("policySha256", rs.getString(7));
          o.put("gateAllowed", rs.getBoolean(8));
          o.set("failedRules", Json.read(rs.getString(9)));
          o.put("reason", rs.getString(10));
          o.put("requestedBy", rs.getString(11));
          o.put("requiredApprovals", rs.getInt(12));
          o.put("projectId", rs.getLong(13));
          return o;
        }).findOne().map(o -> {
          var approvals = o.putArray("approvals");
          h.createQuery("select u.name, a.decision, a.comment from approvals a join principals u on u.id = a.approver_id where a.promotion_id = :p")
              .bind("p", id).map((rs, ctx) -> approvals.addObject().put("by", rs.getString(1)).put("decision", rs.getString(2))
                  .put("comment", rs.getString(3))).list();
          return o;
        }).orElseThrow(() -> ApiException.notFound("promotion " + id));
  }

  /**
   * The environment with its newest {@code limit} deployments older than {@code before} (a deployment id; null for the
   * newest). Every deployment, rollbacks included, is a new row; {@code nextBefore} names the next page when there is
   * one, and {@code current} is the active deployment whichever page is read.
   */
  public ObjectNode environment(String project, String envName, int limit, Long before) {
    return jdbi.withHandle(h -> {
      long pid = Registry.projectId(h, project);
      Env env = env(h, pid, envName);
      var o = Json.MAPPER.createObjectNode();
      o.put("name", env.name());
      o.put("protected", env.protectedEnv());
      o.put("requiredApprovals", env.requiredApprovals());
      int n = Math.max(1, limit);
      var page = h.createQuery(
              DEPLOYMENTS + " where d.environment_id = :e and d.id < :before order by d.id desc limit :n")
          .bind("e", env.id()).bind("before", before == null ? Long.MAX_VALUE : before).bind("n", n + 1)
          .map((rs, ctx) -> deployment(rs)).list();
      var history = o.putArray("deployments");
      page.stream().limit(n).forEach(history::add);
      if (page.size() > n) {
        o.put("nextBefore", page.get(n - 1).get("id").asLong());
      }
      // every deployment, rollbacks included, is a new row, so the active one heads the newest page
      if (before == null) {
        page.stream().findFirst().filter(d -> d.get("status").asText().equals("active"))
            .ifPresent(d -> o.set("current", d));
      } else {
        h.createQuery(DEPLOYMENTS + " where d.environment_id = :e and d.status = 'active'")
            .bind("e", env.id()).map((rs, ctx) -> deployment(rs)).findOne().ifPresent(d -> o.set("current", d));
      }
      var stored = policy(h, env.id());
      o.set("policy", stored.policy().toJson());
      o.put("policySha256", stored.sha256());
      return o;
    });
  }

  /** Deployment rows as {@link #deployment} reads them; callers add the condition. */
  private static final String DEPLOYMENTS = """
      select d.id, m.name, mv.version, mv.digest, d.status, d.deployed_at, u.name from deployments d
      join model_versions mv on mv.id = d.model_version_id join models m on m.id = mv.model_id
      join principals u on u.id = d.deployed_by""";

  private static ObjectNode deployment(java.sql.ResultSet rs) throws java.sql.SQLException {
    return Json.MAPPER.createObjectNode().put("id", rs.getLong(1)).put("model", rs.getString(2)).put("version", rs.getInt(3))
        .put("digest", rs.getString(4)).put("status", rs.getString(5))
        .put("deployedAt", rs.getObject(6, OffsetDateTime.class).toString()).put("deployedBy", rs.getString(7));
  }

  public ObjectNode setPolicy(String project, String envName, JsonNode body, Principal by) {
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
      var o = policy.toJson();
      o.put("version", version);
      o.put("sha256", policy.sha256());
      return o;
    });
  }

  public List<String> environments(String project) {
    return jdbi.withHandle(h -> h.createQuery("select name from environments where project_id = :p order by id")
        .bind("p", Registry.projectId(h, project)).mapTo(String.class).list());
  }
}
