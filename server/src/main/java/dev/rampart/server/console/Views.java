package dev.rampart.server.console;

import dev.rampart.server.audit.AuditLog;
import dev.rampart.server.auth.Permission;
import dev.rampart.server.domain.InvalidInput;
import dev.rampart.server.monitor.Monitoring;
import dev.rampart.server.promotion.Promotions;
import dev.rampart.server.registry.ModelVersions;
import dev.rampart.server.registry.Registry;
import io.javalin.http.Context;

/** What the console's pages read and call: the API's services, the sessions and the read model. */
public record Views(Registry registry, ModelVersions models, Promotions promotions, Monitoring monitoring,
    AuditLog audit, dev.rampart.server.auth.AuthService auth, Sessions sessions, Queries queries,
    java.util.Set<String> trustedProxies) {

  public static Views of(Registry registry, ModelVersions models, Promotions promotions, Monitoring monitoring,
      AuditLog audit, dev.rampart.server.auth.AuthService auth, dev.rampart.server.store.Writes writes,
      dev.rampart.server.store.Generation generation, java.util.Set<String> trustedProxies) {
    return new Views(registry, models, promotions, monitoring, audit, auth,
        new Sessions(registry.jdbi(), writes, auth, java.time.Clock.systemUTC()), new Queries(registry.jdbi(), generation),
        java.util.Set.copyOf(trustedProxies));
  }

  void define(Console c) {
    var home = new OverviewPages(this);
    var models = new ModelPages(this);
    var data = new DatasetPages(this);
    var envs = new EnvironmentPages(this);
    var audit = new AuditPages(this);
    String p = "/projects/{project}";
    c.get("/static/console.css", Permission.PUBLIC, OverviewPages::css);
    c.get("/login", Permission.PUBLIC, home::login);
    c.post("/login", Permission.PUBLIC, home::signIn);
    c.post("/logout", Permission.AUTHENTICATED, home::signOut);
    c.get("/", Permission.AUTHENTICATED, home::overview);
    c.get(p, Permission.PROJECT_VIEW, home::project);
    c.get(p + "/models/{model}", Permission.PROJECT_VIEW, models::model);
    c.get(p + "/models/{model}/versions/{version}", Permission.PROJECT_VIEW, models::version);
    c.get(p + "/models/{model}/versions/{version}/bom", Permission.PROJECT_VIEW, models::bom);
    c.post(p + "/promotions/{id}/approve", Permission.PROJECT_APPROVE, models::approve);
    c.post(p + "/promotions/{id}/reject", Permission.PROJECT_APPROVE, models::reject);
    c.get(p + "/datasets", Permission.PROJECT_VIEW, data::datasets);
    c.get(p + "/datasets/{dataset}/versions/{version}", Permission.PROJECT_VIEW, data::version);
    c.get(p + "/environments/{env}", Permission.PROJECT_VIEW, envs::environment);
    c.post(p + "/environments/{env}/rollback", Permission.PROJECT_APPROVE, envs::rollback);
    c.get(p + "/environments/{env}/policy", Permission.PROJECT_VIEW, envs::policy);
    c.post(p + "/environments/{env}/policy", Permission.PROJECT_ADMIN, envs::editPolicy);
    c.get("/audit", Permission.SERVER_ADMIN, audit::audit);
    c.post("/audit/verify", Permission.SERVER_ADMIN, audit::verifyNow);
    c.get("/atlas", Permission.AUTHENTICATED, audit::atlas);
  }

  static int intParam(Context ctx, String name) {
    try {
      return Integer.parseInt(ctx.pathParam(name));
    } catch (NumberFormatException e) {
      throw new InvalidInput(name + " must be a number");
    }
  }

  static int page(Context ctx) {
    long page = number(ctx, "page", 0);
    return page < 0 || page > Integer.MAX_VALUE ? 0 : (int) page;
  }

  /** A numeric query parameter; a page link someone mangled shows the default rather than an error. */
  static long number(Context ctx, String name, long absent) {
    try {
      return Long.parseLong(ctx.queryParamAsClass(name, String.class).getOrDefault(Long.toString(absent)));
    } catch (NumberFormatException e) {
      return absent;
    }
  }
}
