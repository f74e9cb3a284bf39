package dev.rampart.server.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Builds a model's lineage graph (datasets → runs → versions → environments) for one page of its versions. */
final class LineageQuery {
  private LineageQuery() {}

  private record VersionRow(long id, int version, String verdict, String run) {}

  static Queries.Lineage of(Handle h, long projectId, String model, int page) {
    var datasets = new LinkedHashSet<String>();
    var runs = new LinkedHashSet<String>();
    var versions = new ArrayList<String>();
    var environments = new LinkedHashSet<String>();
    var edges = new LinkedHashSet<Queries.Edge>();
    var status = new LinkedHashMap<String, String>();
    var rows = h.createQuery("""
            select mv.id, mv.version, mv.scan_verdict, r.name from model_versions mv join models m on m.id = mv.model_id
            left join runs r on r.id = mv.run_id where m.project_id = :p and m.name = :m
            order by mv.version desc limit :n offset :o""")
        .bind("p", projectId).bind("m", model).bind("n", 12).bind("o", Math.max(0, page) * 12)
        .map((rs, ctx) -> new VersionRow(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4))).list();
    List<Long> ids = new ArrayList<>();
    for (VersionRow r : rows) {
      String v = "v" + r.version();
      versions.add(v);
      status.put(v, r.verdict());
      ids.add(r.id());
      if (r.run() != null) {
        String run = "run " + r.run();
        runs.add(run);
        edges.add(new Queries.Edge(run, v));
      }
    }
    if (ids.isEmpty()) {
      return new Queries.Lineage(List.of(), List.of(), List.of(), List.of(), List.of(), status);
    }
    h.createQuery("""
            select distinct r.name, d.name, dv.version, dv.check_verdict, dv.poisoned from model_versions mv
            join runs r on r.id = mv.run_id join run_inputs i on i.run_id = r.id
            join dataset_versions dv on dv.id = i.dataset_version_id join datasets d on d.id = dv.dataset_id
            where mv.id in (<ids>)""")
        .bindList("ids", ids).map((rs, ctx) -> {
          String ds = rs.getString(2) + " v" + rs.getInt(3);
          datasets.add(ds);
          status.put(ds, rs.getBoolean(5) ? "poisoned" : rs.getString(4));
          edges.add(new Queries.Edge(ds, "run " + rs.getString(1)));
          return ds;
        }).list();
    h.createQuery("""
            select mv.version, e.name, d.status from deployments d join environments e on e.id = d.environment_id
            join model_versions mv on mv.id = d.model_version_id where mv.id in (<ids>) and d.status = 'active'""")
        .bindList("ids", ids).map((rs, ctx) -> {
          String env = rs.getString(2);
          environments.add(env);
          status.put(env, "active");
          edges.add(new Queries.Edge("v" + rs.getInt(1), env));
          return env;
        }).list();
    return new Queries.Lineage(List.copyOf(datasets), List.copyOf(runs), versions, List.copyOf(environments),
        List.copyOf(edges), status);
  }
}
