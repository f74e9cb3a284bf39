package dev.rampart.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.integrity.sign.Pem;
import dev.rampart.server.Json;
import dev.rampart.server.audit.AuditLog;
import dev.rampart.server.auth.Principal;
import dev.rampart.server.auth.Role;
import dev.rampart.server.domain.Conflict;
import dev.rampart.server.domain.InvalidInput;
import dev.rampart.server.domain.NotFound;
import dev.rampart.server.gate.DefaultPolicies;
import dev.rampart.server.store.Writes;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The inventory: projects and members, datasets and versions, runs, models, environments, and lineage both ways. */
public final class Registry {
  private final Jdbi jdbi;
  private final Writes writes;
  private final AuditLog audit;
  private final Clock clock;

  public Registry(Jdbi jdbi, Writes writes, AuditLog audit, Clock clock) {
    this.jdbi = jdbi;
    this.writes = writes;
    this.audit = audit;
    this.clock = clock;
  }

  public OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  // --- lookups -------------------------------------------------------------------------------------------------

  private final java.util.Map<String, Long> projectIds = new java.util.concurrent.ConcurrentHashMap<>();

  /** Project ids never change and projects are never deleted, so found ids are kept. */
  public long projectId(String name) {
    Long id = projectIds.get(name);
    if (id == null) {
      id = jdbi.withHandle(h -> projectId(h, name));
      if (projectIds.size() < 100_000) {
        projectIds.put(name, id);
      }
    }
    return id;
  }

  public static long projectId(Handle h, String name) {
    return dev.rampart.server.store.Lookups.projectId(h, name);
  }

  public static long id(Handle h, String table, long projectId, String name, String what) {
    return dev.rampart.server.store.Lookups.id(h, table, projectId, name, what);
  }

  /** A model version row, by project, model name and version number. */
  public static long modelVersionId(Handle h, long projectId, String model, int version) {
    return dev.rampart.server.store.Lookups.modelVersionId(h, projectId, model, version);
  }

  public static long environmentId(Handle h, long projectId, String env) {
    return dev.rampart.server.store.Lookups.environmentId(h, projectId, env);
  }

  // --- projects ------------------------------------------------------------------------------------------------

  public Answers.Project createProject(String name, Principal by) {
    Names.name("project", name);
    return writes.run(h -> {
      if (h.createQuery("select count(*) from projects where name = :n").bind("n", name).mapTo(Integer.class).one() > 0) {
        throw new Conflict("project '" + name + "' exists");
      }
      long id = h.createUpdate("insert into projects(name, created_at, created_by) values (:n, :t, :u)")
          .bind("n", name).bind("t", now()).bind("u", by.id()).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      h.createUpdate("insert into memberships(project_id, principal_id, role) values (:p, :u, 'admin')").bind("p", id).bind("u", by.id()).execute();
      DefaultPolicies.createEnvironments(h, id, by.id(), now());
      audit.append(h, "project.created", by.name(), Map.of("project", name));
      return new Answers.Project(name, id);
    });
  }

  public List<String> projects(Principal p) {
    return jdbi.withHandle(h -> {
      var q = p.admin()
          ? h.createQuery("select name from projects order by name")
          : h.createQuery("select p.name from projects p join memberships m on m.project_id = p.id where m.principal_id = :u order by p.name")
              .bind("u", p.id());
      return q.mapTo(String.class).list();
    });
  }

  public void setMember(String project, String principalName, Role role, Principal by) {
    writes.run(h -> {
      long pid = projectId(h, project);
      long uid = h.createQuery("select id from principals where name = :n").bind("n", principalName).mapTo(Long.class).findOne()
          .orElseThrow(() -> NotFound.of("principal '" + Names.preview(principalName) + "'"));
      h.createUpdate("delete from memberships where project_id = :p and principal_id = :u").bind("p", pid).bind("u", uid).execute();
      h.createUpdate("insert into memberships(project_id, principal_id, role) values (:p, :u, :r)").bind("p", pid).bind("u", uid)
          .bind("r", role.wire()).execute();
      audit.append(h, "member.set", by.name(), Map.of("project", project, "principal", principalName, "role", role.wire()));
      return null;
    });
  }

  /**
   * Trusts a key for the project: for model signatures, and for attesting the given predicate types only (the trust
   * policy). A key given no predicate types attests nothing.
   */
  public Answers.TrustedKey addKey(String project, String name, String pem, List<String> predicateTypes, Principal by) {
    Names.name("key", name);
    var types = new java.util.TreeSet<String>();
    for (String t : predicateTypes) {
      types.add(dev.rampart.integrity.attest.PredicateType.parse(t).orElseThrow(() -> new InvalidInput("unknown predicate type '"
          + Names.preview(t) + "'; use " + java.util.Arrays.stream(dev.rampart.integrity.attest.PredicateType.values())
              .map(dev.rampart.integrity.attest.PredicateType::shortName).toList())).shortName());
    }
    String hint;
    try {
      hint = Pem.hint(Pem.publicKey(pem));
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new InvalidInput("publicKeyPem is not a PEM public key: " + e.getMessage());
    }
    return writes.run(h -> {
      long pid = projectId(h, project);
      if (h.createQuery("select count(*) from signing_keys where project_id = :p and key_hint = :k").bind("p", pid).bind("k", hint)
          .mapTo(Integer.class).one() > 0) {
        throw new Conflict("this key is already trusted");
      }
      if (h.createQuery("select count(*) from signing_keys where project_id = :p and name = :n").bind("p", pid).bind("n", name)
          .mapTo(Integer.class).one() > 0) {
        throw new Conflict("a key named '" + name + "' exists");
      }
      long kid = h.createUpdate("insert into signing_keys(project_id, name, public_key_pem, key_hint, created_at, created_by) values (:p,:n,:k,:h,:t,:u)")
          .bind("p", pid).bind("n", name).bind("k", pem).bind("h", hint).bind("t", now()).bind("u", by.id())
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      for (String t : types) {
        h.createUpdate("insert into key_authorities(key_id, predicate_type) values (:k, :t)").bind("k", kid).bind("t", t).execute();
      }
      audit.append(h, "signing_key.added", by.name(), Map.of("project", project, "key", name, "hint", hint,
          "predicateTypes", String.join(",", types)));
      return new Answers.TrustedKey(name, hint, List.copyOf(types), false);
    });
  }

  /** Revokes a key: its model signatures and attestations stop counting at the next gate, admission or rollback. */
  public void revokeKey(String project, String name, Principal by) {
    writes.run(h -> {
      long pid = projectId(h, project);
      int n = h.createUpdate("update signing_keys set revoked_at = :t where project_id = :p and name = :n and revoked_at is null")
          .bind("t", now()).bind("p", pid).bind("n", name).execute();
      if (n == 0) {
        throw NotFound.of("trusted key '" + Names.preview(name) + "'");
      }
      audit.append(h, "signing_key.revoked", by.name(), Map.of("project", project, "key", name));
      return null;
    });
  }

  /** The project's trust policy: each key, whether revoked, and what it may attest. */
  public List<Answers.TrustedKey> keys(String project) {
    return jdbi.withHandle(h -> {
      long pid = projectId(h, project);
      return h.createQuery("select id, name, key_hint, revoked_at is not null from signing_keys where project_id = :p order by id")
          .bind("p", pid).map((rs, ctx) -> new Answers.TrustedKey(rs.getString(2), rs.getString(3),
              h.createQuery("select predicate_type from key_authorities where key_id = :k order by predicate_type")
                  .bind("k", rs.getLong(1)).mapTo(String.class).list(), rs.getBoolean(4)))
          .list();
    });
  }

  // --- datasets ------------------------------------------------------------------------------------------------

  public Answers.DatasetVersion addDatasetVersion(String project, String dataset, JsonNode body, Principal by) {
    Names.name("dataset", dataset);
    String digest = Names.digest(Json.text(body, "digest"));
    String uri = Json.optionalText(body, "uri");
    if (body.has("verdict") || body.has("checkReport")) {
      throw new InvalidInput(InvalidInput.Reason.SELF_ASSERTED, "a dataset verdict is not taken on the registrant's word: register the "
          + "digest, then submit a dataset-check attestation ('rampart data check --attest KEY') signed by a key the project trusts "
          + "for dataset checks");
    }
    String verdict = "unchecked";
    JsonNode report = null;
    return writes.run(h -> {
      long pid = projectId(h, project);
      long did = h.createQuery("select id from datasets where project_id = :p and name = :n").bind("p", pid).bind("n", dataset)
          .mapTo(Long.class).findOne().orElseGet(() -> h.createUpdate(
              "insert into datasets(project_id, name, created_at, created_by) values (:p, :n, :t, :u)")
              .bind("p", pid).bind("n", dataset).bind("t", now()).bind("u", by.id())
              .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
      if (h.createQuery("select count(*) from dataset_versions where dataset_id = :d and digest = :g").bind("d", did).bind("g", digest)
          .mapTo(Integer.class).one() > 0) {
        throw new Conflict("this digest is already a version of dataset '" + dataset + "'");
      }
      int version = h.createQuery("select coalesce(max(version), 0) + 1 from dataset_versions where dataset_id = :d").bind("d", did)
          .mapTo(Integer.class).one();
      boolean poisoned = dev.rampart.server.facts.Poison.marked(h, pid, digest);
      h.createUpdate("""
              insert into dataset_versions(dataset_id, version, digest, uri, check_verdict, check_report, poisoned, created_at, created_by)
              values (:d, :v, :g, :u, :c, :r, :p, :t, :by)""")
          .bind("d", did).bind("v", version).bind("g", digest).bind("u", uri).bind("c", verdict)
          .bind("r", report == null ? null : Json.write(report))
          .bind("p", poisoned).bind("t", now()).bind("by", by.id())
          .execute();
      audit.append(h, "dataset_version.created", by.name(), Map.of("project", project, "dataset", dataset, "version", version,
          "digest", digest, "verdict", verdict));
      return new Answers.DatasetVersion(dataset, version, digest, verdict, poisoned, uri);
    });
  }

  public List<Answers.DatasetVersion> datasets(String project) {
    return jdbi.withHandle(h -> {
      long pid = projectId(h, project);
      return h.createQuery("""
              select d.name, v.version, v.digest, v.check_verdict, v.poisoned, v.uri from datasets d
              join dataset_versions v on v.dataset_id = d.id where d.project_id = :p order by d.name, v.version""")
          .bind("p", pid).map((rs, ctx) -> new Answers.DatasetVersion(rs.getString(1), rs.getInt(2), rs.getString(3),
              rs.getString(4), rs.getBoolean(5), rs.getString(6))).list();
    });
  }

  /** Everything a dataset version reached: the runs that used it, their model versions and where those are deployed. */
  public Answers.Affected affected(String project, String dataset, int version) {
    return jdbi.withHandle(h -> {
      long pid = projectId(h, project);
      long did = id(h, "datasets", pid, dataset, "dataset");
      long dvid = h.createQuery("select id from dataset_versions where dataset_id = :d and version = :v").bind("d", did).bind("v", version)
          .mapTo(Long.class).findOne().orElseThrow(() -> NotFound.of("version " + version + " of dataset '" + dataset + "'"));
      var runs = h.createQuery(
              "select r.name from runs r join run_inputs i on i.run_id = r.id where i.dataset_version_id = :d order by r.name")
          .bind("d", dvid).mapTo(String.class).list();
      var models = h.createQuery("""
              select m.name, mv.version, mv.digest from model_versions mv join models m on m.id = mv.model_id
              join run_inputs i on i.run_id = mv.run_id where i.dataset_version_id = :d order by m.name, mv.version""")
          .bind("d", dvid).map((rs, ctx) -> new Answers.ModelVersionRef(rs.getString(1), rs.getInt(2), rs.getString(3))).list();
      var deployments = h.createQuery("""
              select e.name, m.name, mv.version, dep.status, dep.deployed_at from deployments dep
              join environments e on e.id = dep.environment_id join model_versions mv on mv.id = dep.model_version_id
              join models m on m.id = mv.model_id join run_inputs i on i.run_id = mv.run_id
              where i.dataset_version_id = :d order by dep.deployed_at""")
          .bind("d", dvid).map((rs, ctx) -> new Answers.AffectedDeployment(rs.getString(1), rs.getString(2), rs.getInt(3),
              rs.getString(4))).list();
      return new Answers.Affected(dataset, version, runs, models, deployments);
    });
  }

  // --- runs ----------------------------------------------------------------------------------------------------

  public Answers.RunCreated createRun(String project, JsonNode body, Principal by) {
    String name = Names.name("run", Json.text(body, "name"));
    String commit = Json.optionalText(body, "codeCommit");
    if (commit != null && !commit.matches("[0-9a-f]{7,64}")) {
      throw new InvalidInput("codeCommit must be a hex commit id");
    }
    JsonNode params = body.path("parameters").isObject() ? body.get("parameters") : Json.MAPPER.createObjectNode();
    JsonNode metrics = body.path("metrics").isObject() ? body.get("metrics") : Json.MAPPER.createObjectNode();
    return writes.run(h -> {
      long pid = projectId(h, project);
      if (h.createQuery("select count(*) from runs where project_id = :p and name = :n").bind("p", pid).bind("n", name)
          .mapTo(Integer.class).one() > 0) {
        throw new Conflict("run '" + name + "' exists");
      }
      long rid = h.createUpdate("""
              insert into runs(project_id, name, code_commit, parameters, metrics, created_at, created_by)
              values (:p, :n, :c, :pa, :m, :t, :u)""")
          .bind("p", pid).bind("n", name).bind("c", commit).bind("pa", Json.write(params)).bind("m", Json.write(metrics))
          .bind("t", now()).bind("u", by.id()).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      var inputs = new java.util.ArrayList<Answers.InputRef>();
      for (JsonNode in : body.path("inputs")) {
        String ds = Json.text(in, "dataset");
        int v = in.path("version").asInt(-1);
        long did = id(h, "datasets", pid, ds, "dataset");
        long dvid = h.createQuery("select id from dataset_versions where dataset_id = :d and version = :v").bind("d", did).bind("v", v)
            .mapTo(Long.class).findOne().orElseThrow(() -> NotFound.of("version " + v + " of dataset '" + ds + "'"));
        h.createUpdate("insert into run_inputs(run_id, dataset_version_id) values (:r, :d)").bind("r", rid).bind("d", dvid).execute();
        inputs.add(new Answers.InputRef(ds, v));
      }
      var details = new LinkedHashMap<String, Object>();
      details.put("project", project);
      details.put("run", name);
      details.put("inputs", inputs.size());
      audit.append(h, "run.created", by.name(), details);
      return new Answers.RunCreated(name, inputs);
    });
  }

  public Answers.Run run(String project, String name) {
    return jdbi.withHandle(h -> {
      long pid = projectId(h, project);
      var row = h.createQuery("select id, code_commit, parameters, metrics from runs where project_id = :p and name = :n")
          .bind("p", pid).bind("n", name)
          .map((rs, ctx) -> new RunRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4))).findOne()
          .orElseThrow(() -> NotFound.named("run", name));
      var inputs = h.createQuery("""
              select d.name, v.version, v.digest from run_inputs i join dataset_versions v on v.id = i.dataset_version_id
              join datasets d on d.id = v.dataset_id where i.run_id = :r order by d.name""")
          .bind("r", row.id()).map((rs, ctx) -> new Answers.RunInput(rs.getString(1), rs.getInt(2), rs.getString(3))).list();
      return new Answers.Run(name, row.codeCommit(), Json.read(row.parameters()), Json.read(row.metrics()), inputs);
    });
  }

  private record RunRow(long id, String codeCommit, String parameters, String metrics) {}

  /** The database, for read models such as the console's; writes go through {@link Writes}. */
  public Jdbi jdbi() {
    return jdbi;
  }
}
