package dev.rampart.server.console;

import dev.rampart.server.auth.Principal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The console's read model: the lists and counts its pages show, each one query with a limit, so pages stay quick on
 * large inventories. Everything is filtered to the projects the caller may see; writes go through the services.
 */
final class Queries {
  static final int PAGE = 50;

  private final Jdbi jdbi;
  /** Live findings per technique: parsing thousands of reports per view is kept until the next write. */
  private final dev.rampart.server.store.Generation.Cache<String, Map<String, Integer>> techniqueCounts;

  Queries(Jdbi jdbi, dev.rampart.server.store.Generation generation) {
    this.jdbi = jdbi;
    this.techniqueCounts = generation.cache(1_000);
  }

  record Project(long id, String name, String role) {}

  record Counts(long datasets, long datasetVersions, long models, long modelVersions, long deployments,
      long critical, long high, long medium, long low, long poisoned) {}

  record Decision(long id, String project, String model, int version, String environment, String status,
      String reason, String requestedBy, OffsetDateTime at) {}

  record Admission(String project, String environment, String digest, String reason, String caller, OffsetDateTime at) {}

  record Alert(String project, String environment, String model, int version, String kind, String severity,
      long event, String detail, boolean rolledBack, OffsetDateTime at) {}

  record VersionRow(int version, String digest, String verdict, boolean signed, int critical, int high, String run,
      OffsetDateTime at) {}

  record ModelRow(String name, int versions, int latest, String latestVerdict) {}

  List<Project> projects(Principal p) {
    return jdbi.withHandle(h -> (p.admin()
        ? h.createQuery("select id, name, 'admin' from projects order by name")
        : h.createQuery("""
            select pr.id, pr.name, m.role from projects pr join memberships m on m.project_id = pr.id
            where m.principal_id = :u order by pr.name""").bind("u", p.id()))
        .map((rs, ctx) -> new Project(rs.getLong(1), rs.getString(2), rs.getString(3))).list());
  }

  /**
   * Inventory counts, and open findings: those of each model's latest version and of every version deployed now,
   * since an old superseded version's findings need no action.
   */
  Counts counts(List<Long> projects) {
    if (projects.isEmpty()) {
      return new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
    return jdbi.withHandle(h -> {
      long[] inventory = h.createQuery("""
              select
                (select count(*) from datasets where project_id in (<p>)),
                (select count(*) from dataset_versions v join datasets d on d.id = v.dataset_id
                   where d.project_id in (<p>)),
                (select count(*) from models where project_id in (<p>)),
                (select count(*) from model_versions mv join models m on m.id = mv.model_id
                   where m.project_id in (<p>)),
                (select count(*) from deployments dp join environments e on e.id = dp.environment_id
                   where e.project_id in (<p>) and dp.status = 'active'),
                (select count(*) from dataset_versions v join datasets d on d.id = v.dataset_id
                   where d.project_id in (<p>) and (v.poisoned or v.check_verdict = 'poisoned'))""")
          .bindList("p", projects)
          .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
              rs.getLong(6)}).one();
      long[] open = h.createQuery("""
              select coalesce(sum(mv.findings_critical), 0), coalesce(sum(mv.findings_high), 0),
                coalesce(sum(mv.findings_medium), 0), coalesce(sum(mv.findings_low), 0)
              from model_versions mv join models m on m.id = mv.model_id
              where m.project_id in (<p>)
                and (mv.version = (select max(l.version) from model_versions l where l.model_id = mv.model_id)
                  or exists (select 1 from deployments d where d.model_version_id = mv.id and d.status = 'active'))""")
          .bindList("p", projects)
          .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)}).one();
      return new Counts(inventory[0], inventory[1], inventory[2], inventory[3], inventory[4], open[0], open[1],
          open[2], open[3], inventory[5]);
    });
  }

  List<Decision> decisions(List<Long> projects, int limit) {
    if (projects.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(h -> h.createQuery("""
            select pr.id, p.name, m.name, mv.version, e.name, pr.status, pr.reason, u.name, pr.requested_at
            from promotions pr join environments e on e.id = pr.environment_id join projects p on p.id = e.project_id
            join model_versions mv on mv.id = pr.model_version_id join models m on m.id = mv.model_id
            join principals u on u.id = pr.requested_by
            where e.project_id in (<p>) order by pr.id desc limit :n""")
        .bindList("p", projects).bind("n", limit)
        .map((rs, ctx) -> new Decision(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
            rs.getString(6), rs.getString(7), rs.getString(8), rs.getObject(9, OffsetDateTime.class))).list());
  }

  List<Decision> decisionsOfVersion(long projectId, String model, int version) {
    return jdbi.withHandle(h -> h.createQuery("""
            select pr.id, p.name, m.name, mv.version, e.name, pr.status, pr.reason, u.name, pr.requested_at
            from promotions pr join environments e on e.id = pr.environment_id join projects p on p.id = e.project_id
            join model_versions mv on mv.id = pr.model_version_id join models m on m.id = mv.model_id
            join principals u on u.id = pr.requested_by
            where m.project_id = :p and m.name = :m and mv.version = :v order by pr.id desc""")
        .bind("p", projectId).bind("m", model).bind("v", version)
        .map((rs, ctx) -> new Decision(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
            rs.getString(6), rs.getString(7), rs.getString(8), rs.getObject(9, OffsetDateTime.class))).list());
  }

  /** The newest refused admissions across the projects. */
  List<Admission> denials(List<Long> projects, int limit) {
    return projects.isEmpty() ? List.of() : admissions("and a.allowed = false", projects, limit);
  }

  /** The newest admission decisions of one environment, allowed or not. */
  List<Admission> admissions(long projectId, long environmentId, int limit) {
    return admissions("and e.id = " + environmentId, List.of(projectId), limit);
  }

  /** {@code filter} is SQL of ours (never user text) narrowing the caller's projects' admissions. */
  private List<Admission> admissions(String filter, List<Long> projects, int limit) {
    return jdbi.withHandle(h -> h.createQuery("""
            select p.name, e.name, a.digest, a.reason, u.name, a.created_at, a.allowed from admissions a
            join environments e on e.id = a.environment_id join projects p on p.id = e.project_id
            join principals u on u.id = a.caller
            where e.project_id in (<p>) <filter> order by a.id desc limit :n""")
        .define("filter", filter).bindList("p", projects).bind("n", limit)
        .map((rs, ctx) -> new Admission(rs.getString(1), rs.getString(2), rs.getString(3),
            (rs.getBoolean(7) ? "allowed: " : "denied: ") + rs.getString(4), rs.getString(5),
            rs.getObject(6, OffsetDateTime.class))).list());
  }

  List<Alert> alerts(List<Long> projects, Long environment, int limit) {
    if (projects.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(h -> h.createQuery("""
            select p.name, e.name, m.name, mv.version, a.kind, a.severity, a.event_index, a.detail, a.rolled_back,
              a.created_at
            from monitor_alerts a join deployments d on d.id = a.deployment_id
            join environments e on e.id = d.environment_id join projects p on p.id = e.project_id
            join model_versions mv on mv.id = d.model_version_id join models m on m.id = mv.model_id
            where e.project_id in (<p>) <env> order by a.id desc limit :n""")
        .define("env", environment == null ? "" : "and e.id = " + environment.longValue())
        .bindList("p", projects).bind("n", limit)
        .map((rs, ctx) -> new Alert(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
            rs.getString(5), rs.getString(6), rs.getLong(7), rs.getString(8), rs.getBoolean(9),
            rs.getObject(10, OffsetDateTime.class))).list());
  }

  List<ModelRow> models(long projectId) {
    return jdbi.withHandle(h -> h.createQuery("""
            select m.name, count(mv.id), max(mv.version),
              (select l.scan_verdict from model_versions l where l.model_id = m.id order by l.version desc limit 1)
            from models m left join model_versions mv on mv.model_id = m.id where m.project_id = :p
            group by m.id, m.name order by m.name""")
        .bind("p", projectId)
        .map((rs, ctx) -> new ModelRow(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getString(4))).list());
  }

  /** One page of a model's versions, newest first. */
  List<VersionRow> versions(long projectId, String model, int page) {
    return jdbi.withHandle(h -> h.createQuery("""
            select mv.version, mv.digest, mv.scan_verdict, mv.signature_verified, mv.findings_critical,
              mv.findings_high, r.name, mv.created_at
            from model_versions mv join models m on m.id = mv.model_id left join runs r on r.id = mv.run_id
            where m.project_id = :p and m.name = :m order by mv.version desc limit :n offset :o""")
        .bind("p", projectId).bind("m", model).bind("n", PAGE).bind("o", Math.max(0, page) * PAGE)
        .map((rs, ctx) -> new VersionRow(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
            rs.getInt(5), rs.getInt(6), rs.getString(7), rs.getObject(8, OffsetDateTime.class))).list());
  }

  /** The lineage of a model: each version's run and datasets, and where versions are deployed now. */
  record Edge(String from, String to) {}

  record Lineage(List<String> datasets, List<String> runs, List<String> versions, List<String> environments,
      List<Edge> edges, Map<String, String> status) {}

  Lineage lineage(long projectId, String model, int page) {
    return jdbi.withHandle(h -> LineageQuery.of(h, projectId, model, page));
  }

  record DatasetVersion(String digest, String uri, String verdict, boolean poisoned, String report, String by,
      OffsetDateTime at) {}

  java.util.Optional<DatasetVersion> datasetVersion(long projectId, String dataset, int version) {
    return jdbi.withHandle(h -> h.createQuery("""
            select v.digest, v.uri, v.check_verdict, v.poisoned, v.check_report, u.name, v.created_at
            from dataset_versions v join datasets d on d.id = v.dataset_id join principals u on u.id = v.created_by
            where d.project_id = :p and d.name = :d and v.version = :v""")
        .bind("p", projectId).bind("d", dataset).bind("v", version)
        .map((rs, ctx) -> new DatasetVersion(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
            rs.getString(5), rs.getString(6), rs.getObject(7, OffsetDateTime.class))).findOne());
  }

  record PastDecision(long id, String model, int version, String status, boolean allowed, String facts) {}

  List<PastDecision> pastDecisions(long environmentId, int limit) {
    return jdbi.withHandle(h -> h.createQuery("""
            select pr.id, m.name, mv.version, pr.status, pr.decision_allowed, pr.decision_input from promotions pr
            join model_versions mv on mv.id = pr.model_version_id join models m on m.id = mv.model_id
            where pr.environment_id = :e and pr.decision_input is not null order by pr.id desc limit :n""")
        .bind("e", environmentId).bind("n", limit)
        .map((rs, ctx) -> new PastDecision(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4),
            rs.getBoolean(5), rs.getString(6))).list());
  }

  /** Live findings per ATLAS technique in the newest model versions' scans, the dataset checks and the alerts. */
  Map<String, Integer> findingsByTechnique(List<Long> projects, int versions) {
    return techniqueCounts.get(versions + ":" + projects, () -> countFindingsByTechnique(projects, versions));
  }

  private Map<String, Integer> countFindingsByTechnique(List<Long> projects, int versions) {
    if (projects.isEmpty()) {
      return Map.of();
    }
    var out = new java.util.TreeMap<String, Integer>();
    jdbi.useHandle(h -> {
      h.createQuery("""
              select mv.scan_report from model_versions mv join models m on m.id = mv.model_id
              where m.project_id in (<p>) and (mv.findings_critical + mv.findings_high + mv.findings_medium
                + mv.findings_low) > 0 order by mv.id desc limit :n""")
          .bindList("p", projects).bind("n", versions).mapTo(String.class)
          .forEach(r -> count(out, r));
      h.createQuery("""
              select v.check_report from dataset_versions v join datasets d on d.id = v.dataset_id
              where d.project_id in (<p>) and v.check_report is not null order by v.id desc limit :n""")
          .bindList("p", projects).bind("n", versions).mapTo(String.class)
          .forEach(r -> count(out, r));
      h.createQuery("""
              select a.kind, count(*) from monitor_alerts a join deployments d on d.id = a.deployment_id
              join environments e on e.id = d.environment_id where e.project_id in (<p>) group by a.kind""")
          .bindList("p", projects).map((rs, ctx) -> new AlertCount(rs.getString(1), rs.getInt(2))).list()
          .forEach(r -> dev.rampart.data.monitor.Alert.Kind.byId(r.kind())
              .ifPresent(k -> out.merge(k.technique().id(), r.count(), Integer::sum)));
    });
    return java.util.Collections.unmodifiableMap(out);
  }

  private record AlertCount(String kind, int count) {}

  private static void count(java.util.Map<String, Integer> out, String report) {
    for (var f : dev.rampart.server.Json.read(report).path("findings")) {
      String id = f.path("atlas").path("id").asText("");
      if (!id.isEmpty()) {
        out.merge(id, 1, Integer::sum);
      }
    }
  }

  /** The CEL expression of each rule of the policy a decision was made under, by rule name. */
  Map<String, String> policyExpressions(long projectId, String environment, String sha256) {
    var out = new java.util.HashMap<String, String>();
    jdbi.useHandle(h -> h.createQuery("""
            select p.rules from policies p join environments e on e.id = p.environment_id
            where e.project_id = :p and e.name = :e and p.sha256 = :s""")
        .bind("p", projectId).bind("e", environment).bind("s", String.valueOf(sha256)).mapTo(String.class).findFirst()
        .ifPresent(rules -> dev.rampart.server.Json.read(rules).path("rules").forEach(r ->
            out.put(r.path("name").asText(), r.path("expression").asText()))));
    return out;
  }

  long environmentId(long projectId, String env) {
    return jdbi.withHandle(h -> environmentId(h, projectId, env));
  }

  long environmentId(Handle h, long projectId, String env) {
    return dev.rampart.server.registry.Registry.environmentId(h, projectId, env);
  }

  Jdbi jdbi() {
    return jdbi;
  }
}
