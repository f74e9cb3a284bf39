package dev.rampart.server.store;

import dev.rampart.server.domain.NotFound;
import org.jdbi.v3.core.Handle;

/** Row ids by the names clients use; a name that is not there is {@link NotFound}, named as the client wrote it. */
public final class Lookups {
  private Lookups() {}

  public static long projectId(Handle h, String name) {
    return h.createQuery("select id from projects where name = :n").bind("n", name).mapTo(Long.class).findOne()
        .orElseThrow(() -> NotFound.named("project", name));
  }

  /** The id of a row of a project-scoped table ({@code models}, {@code datasets}, {@code environments}) by name. */
  public static long id(Handle h, String table, long projectId, String name, String what) {
    return h.createQuery("select id from " + table + " where project_id = :p and name = :n").bind("p", projectId)
        .bind("n", name).mapTo(Long.class).findOne().orElseThrow(() -> NotFound.named(what, name));
  }

  /** A model version row, by project, model name and version number. */
  public static long modelVersionId(Handle h, long projectId, String model, int version) {
    long modelId = id(h, "models", projectId, model, "model");
    return h.createQuery("select id from model_versions where model_id = :m and version = :v").bind("m", modelId)
        .bind("v", version).mapTo(Long.class).findOne()
        .orElseThrow(() -> NotFound.of("version " + version + " of model '" + NotFound.preview(model) + "'"));
  }

  public static long environmentId(Handle h, long projectId, String env) {
    return id(h, "environments", projectId, env, "environment");
  }
}
