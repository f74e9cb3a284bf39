package dev.rampart.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.scan.Version;
import dev.rampart.server.Json;
import dev.rampart.server.admission.Admission;
import dev.rampart.server.audit.AuditLog;
import dev.rampart.server.auth.AuthService;
import dev.rampart.server.auth.Permission;
import dev.rampart.server.auth.Principal;
import dev.rampart.server.auth.Role;
import dev.rampart.server.auth.Scope;
import dev.rampart.server.promotion.Promotions;
import dev.rampart.server.registry.ModelVersions;
import dev.rampart.server.registry.Names;
import dev.rampart.server.registry.Registry;
import dev.rampart.server.store.Writes;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API under {@code /api/v1}. Every route is registered from one table with exactly one {@link Permission};
 * a single before-filter authenticates and authorizes, so no route can be reached without its rule.
 */
public final class Api {
  private static final Logger LOG = LoggerFactory.getLogger(Api.class);
  static final String PRINCIPAL = "rampart.principal";

  /** The services the routes call. */
  public record Services(AuthService auth, Registry registry, ModelVersions models, Promotions promotions, Admission admission,
      dev.rampart.server.monitor.Monitoring monitoring, AuditLog audit, Writes writes,
      dev.rampart.server.store.Generation generation, dev.rampart.server.facts.Attestations attestations,
      dev.rampart.server.facts.Poison poison) {}

  private final Services s;

  /** The services behind the routes, for embedding and tests. */
  public Services services() {
    return s;
  }
  private final List<Route> routes = new ArrayList<>();
  private final long maxUploadBytes;
  private final dev.rampart.server.console.Console console;

  public Api(Services services, long maxUploadBytes) {
    this(services, maxUploadBytes, java.util.Set.of());
  }

  /** @param trustedProxies reverse proxies whose X-Forwarded-Proto the console believes when it sets its cookie */
  public Api(Services services, long maxUploadBytes, java.util.Set<String> trustedProxies) {
    this.s = services;
    this.maxUploadBytes = maxUploadBytes;
    define();
    var views = dev.rampart.server.console.Views.of(s.registry(), s.models(), s.promotions(), s.monitoring(),
        s.audit(), s.auth(), s.writes(), s.generation(), trustedProxies);
    this.console = new dev.rampart.server.console.Console(views, s.auth(), s.registry());
  }

  /** The web console served beside the API. */
  public dev.rampart.server.console.Console console() {
    return console;
  }

  public List<Route> routes() {
    return List.copyOf(routes);
  }

  private void route(HandlerType m, String path, Permission p, String summary, io.javalin.http.Handler h) {
    routes.add(new Route(m, path, p, summary, h));
  }

  /** Builds the Javalin application (not started). */
  public Javalin app() {
    String openapi = OpenApi.document(routes, Version.current());
    return Javalin.create(config -> {
      config.concurrency.useVirtualThreads = true;
      config.http.maxRequestSize = 8L * 1024 * 1024;
      config.jetty.multipartConfig.maxFileSize(maxUploadBytes, SizeUnit.BYTES);
      config.jetty.multipartConfig.maxTotalRequestSize(maxUploadBytes, SizeUnit.BYTES);
      config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
      config.startup.showJavalinBanner = false;
      config.routes.beforeMatched(this::authorize);
      config.routes.after(ctx -> {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", "no-store");
      });
      for (Route r : routes) {
        config.routes.addHttpHandler(r.method(), r.path(), r.handler(), r.permission());
      }
      console.register(config);
      config.routes.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openapi), Permission.PUBLIC);
      config.routes.exception(ApiException.class, (e, ctx) -> {
        if (dev.rampart.server.console.Console.isConsole(ctx)) {
          dev.rampart.server.console.Console.error(ctx, e);
        } else {
          error(ctx, e.code(), e.getMessage());
        }
      });
      config.routes.exception(dev.rampart.server.audit.LogDivergedException.class,
          (e, ctx) -> error(ctx, ErrorCode.LOG_DIVERGED, e.getMessage()));
      config.routes.exception(HttpResponseException.class, (e, ctx) -> {
        ErrorCode code = switch (e.getStatus()) {
          case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
          case 404 -> ErrorCode.NOT_FOUND;
          case 401 -> ErrorCode.UNAUTHENTICATED;
          case 403 -> ErrorCode.FORBIDDEN;
          default -> ErrorCode.INVALID_REQUEST;
        };
        error(ctx, code, e.getMessage());
      });
      config.routes.exception(Exception.class, (e, ctx) -> {
        if (isTooLarge(e)) {
          error(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "the request exceeds the server's size limit");
          return;
        }
        if (isBadMessage(e)) {
          // the rest of the body cannot be trusted to be framed right: say so, and do not reuse the connection
          ctx.header("Connection", "close");
          error(ctx, ErrorCode.INVALID_REQUEST, "the request body is malformed (for example a multipart file name with a NUL)");
          return;
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("request {} {} failed (id {})", ctx.method(), ctx.path(), id, e);
        String message = "internal error (request id " + id + "); the server log has the details";
        if (dev.rampart.server.console.Console.isConsole(ctx)) {
          dev.rampart.server.console.Console.error(ctx, new ApiException(ErrorCode.INTERNAL_ERROR, message));
        } else {
          error(ctx, ErrorCode.INTERNAL_ERROR, message);
        }
      });
      config.routes.error(404, ctx -> {
        if (dev.rampart.server.console.Console.isConsole(ctx)
            && !String.valueOf(ctx.res().getContentType()).startsWith("text/html")) {
          dev.rampart.server.console.Console.error(ctx, ApiException.notFound("page " + ctx.path()));
        } else if (!dev.rampart.server.console.Console.isConsole(ctx)
            && (ctx.result() == null || ctx.result().isEmpty())) {
          error(ctx, ErrorCode.NOT_FOUND, "no such route: " + ctx.method() + " " + ctx.path());
        }
      });
      config.routes.error(405, ctx -> {
        if (ctx.result() == null || ctx.result().isEmpty()) {
          error(ctx, ErrorCode.NOT_FOUND, "no such route: " + ctx.method() + " " + ctx.path());
        }
      });
    });
  }

  private static boolean isTooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (m.contains("exceed") || m.contains("too large") || m.contains("max file size") || m.contains("maximum")) {
        return true;
      }
    }
    return false;
  }

  /** Jetty refused the request's framing (a bad multipart part, say): the client's fault, not the server's. */
  private static boolean isBadMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.eclipse.jetty.http.BadMessageException bad && bad.getCode() >= 400 && bad.getCode() < 500) {
        return true;
      }
    }
    return false;
  }

  static void error(Context ctx, ErrorCode code, String message) {
    var body = Json.MAPPER.createObjectNode();
    body.putObject("error").put("code", code.wire()).put("message", message == null ? code.wire() : message);
    ctx.status(code.status()).contentType("application/json").result(Json.write(body));
  }

  /** Deny by default: a route without exactly one permission is refused; identity comes from the token only. */
  private void authorize(Context ctx) {
    var roles = ctx.routeRoles();
    if (roles.size() == 1 && roles.iterator().next() instanceof dev.rampart.server.console.Console.Page page) {
      console.authorize(ctx, page.permission());
      return;
    }
    if (roles.size() != 1 || !(roles.iterator().next() instanceof Permission p)) {
      throw new ApiException(ErrorCode.FORBIDDEN, "this route has no authorization rule");
    }
    if (p == Permission.PUBLIC) {
      return;
    }
    Principal principal = s.auth().authenticate(ctx.header("Authorization"));
    if (!p.scope().satisfiedBy(principal.scopes())) {
      throw new ApiException(ErrorCode.FORBIDDEN, "the token lacks the '" + p.scope().name().toLowerCase(java.util.Locale.ROOT) + "' scope");
    }
    if (p == Permission.SERVER_ADMIN && !principal.admin()) {
      throw new ApiException(ErrorCode.FORBIDDEN, "only a server administrator may do this");
    }
    if (p.role() != null) {
      String project = ctx.pathParam("project");
      long pid = s.registry().projectId(project);
      Role role = s.auth().role(principal, pid).orElseThrow(() -> ApiException.notFound("project '" + project + "'"));
      if (!role.includes(p.role())) {
        throw new ApiException(ErrorCode.FORBIDDEN, "this needs the " + p.role().wire() + " role in project '" + project
            + "'; you are " + role.wire());
      }
    }
    ctx.attribute(PRINCIPAL, principal);
  }

  static Principal who(Context ctx) {
    return ctx.attribute(PRINCIPAL);
  }

  static void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }

  static JsonNode body(Context ctx) {
    return Json.request(ctx.bodyAsBytes());
  }

  /** A version number in a path: 1 to 9 decimal digits, nothing else (no sign, no spaces, no trailing letters). */
  static int intParam(Context ctx, String name) {
    String raw = ctx.pathParam(name);
    if (!raw.matches("[0-9]{1,9}")) {
      throw ApiException.invalid(name + " must be a whole number of at most 9 digits");
    }
    return Integer.parseInt(raw);
  }

  /** A row id in a path: 1 to 18 decimal digits, so it always fits a long; '1x' or a 20-digit id is refused. */
  static long idParam(Context ctx, String name) {
    String raw = ctx.pathParam(name);
    if (!raw.matches("[0-9]{1,18}")) {
      throw ApiException.invalid(name + " must be a whole number of at most 18 digits");
    }
    return Long.parseLong(raw);
  }

  /** ttlDays: a whole number from 1 to 365 (30 unless given); anything else is refused before any arithmetic. */
  static long ttlDays(JsonNode b) {
    JsonNode ttl = b.get("ttlDays");
    if (ttl == null || ttl.isNull()) {
      return 30;
    }
    if (!ttl.isIntegralNumber() || !ttl.canConvertToLong() || ttl.asLong() < 1 || ttl.asLong() > 365) {
      throw ApiException.invalid("ttlDays must be a whole number from 1 to 365");
    }
    return ttl.asLong();
  }

  static final int MAX_PAGE = 1_000;

  /** The {@code limit} query parameter: 100 unless given, at most {@link #MAX_PAGE} so one request stays bounded. */
  static int pageLimit(Context ctx) {
    String raw = ctx.queryParam("limit");
    if (raw == null) {
      return 100;
    }
    try {
      int n = Integer.parseInt(raw);
      if (n >= 1 && n <= MAX_PAGE) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalid("limit must be a number from 1 to " + MAX_PAGE);
  }

  /** The {@code before} query parameter: the {@code nextBefore} cursor of the previous page, or null. */
  static Long pageBefore(Context ctx) {
    return ctx.queryParam("before") == null ? null : longQuery(ctx, "before", 0);
  }

  static long longQuery(Context ctx, String name, long absent) {
    String raw = ctx.queryParam(name);
    if (raw == null) {
      return absent;
    }
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw ApiException.invalid(name + " must be a whole number");
    }
  }

  // --- the route table -------------------------------------------------------------------------------------------

  private void define() {
    String p = "/api/v1/projects/{project}";
    route(HandlerType.GET, "/api/v1/health", Permission.PUBLIC, "Liveness", ctx -> json(ctx, 200, Map.of("status", "ok")));
    route(HandlerType.GET, "/api/v1/me", Permission.AUTHENTICATED, "Who the token belongs to", ctx -> {
      var me = who(ctx);
      json(ctx, 200, Map.of("name", me.name(), "kind", me.kind().name().toLowerCase(java.util.Locale.ROOT), "admin", me.admin(),
          "scopes", Scope.format(me.scopes())));
    });
    route(HandlerType.POST, "/api/v1/principals", Permission.SERVER_ADMIN, "Create a user or service account", ctx -> {
      var b = body(ctx);
      String kind = b.path("kind").asText("user");
      if (!kind.equals("user") && !kind.equals("service")) {
        throw ApiException.invalid("kind must be user or service");
      }
      var out = s.writes().run(h -> {
        long id = s.auth().createPrincipal(h, Json.text(b, "name"), kind.equals("service") ? Principal.Kind.SERVICE : Principal.Kind.USER,
            b.path("admin").asBoolean(false));
        s.audit().append(h, "principal.created", who(ctx).name(), Map.of("principal", Json.text(b, "name"), "kind", kind));
        return Map.of("id", id, "name", Json.text(b, "name"), "kind", kind);
      });
      json(ctx, 201, out);
    });
    route(HandlerType.POST, "/api/v1/tokens", Permission.AUTHENTICATED,
        "Issue an API token (shown once); one minted for yourself derives from the calling token: never more scopes or a"
            + " longer life, and revoked with it",
        ctx -> {
      var b = body(ctx);
      var me = who(ctx);
      String forName = Json.optionalText(b, "principal");
      var scopes = Scope.parse(b.path("scopes").asText("read,write"));
      if (!me.admin() && (forName != null && !forName.equals(me.name()) || scopes.contains(Scope.ADMIN))) {
        throw new ApiException(ErrorCode.FORBIDDEN, "you can issue tokens only for yourself, with scopes your token already has");
      }
      if (!me.scopes().contains(Scope.ADMIN) && !me.scopes().containsAll(scopes)) {
        throw new ApiException(ErrorCode.EXCEEDS_PARENT, "a token can carry only scopes the token issuing it has ("
            + Scope.format(me.scopes()) + ")");
      }
      long days = ttlDays(b);
      String project = Json.optionalText(b, "project");
      String environment = Json.optionalText(b, "environment");
      if ((project == null) != (environment == null)) {
        throw ApiException.invalid("bind a token to an environment with both 'project' and 'environment'");
      }
      var issued = s.writes().run(h -> {
        long pid = forName == null ? me.id() : h.createQuery("select id from principals where name = :n").bind("n", forName)
            .mapTo(Long.class).findOne().orElseThrow(() -> ApiException.notFound("principal '" + Names.preview(forName) + "'"));
        Long env = null;
        if (environment != null) {
          long projectId = dev.rampart.server.registry.Registry.projectId(h, project);
          if (!s.auth().role(me, projectId).map(r -> r.includes(Role.ADMIN)).orElse(false)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "only a project administrator binds tokens to its environments");
          }
          env = dev.rampart.server.registry.Registry.environmentId(h, projectId, environment);
        }
        // a token minted for oneself derives from the calling token (bounded by it, revoked with it); an administrator
        // issuing a token for someone else creates that principal's own credential
        boolean derived = forName == null || forName.equals(me.name());
        var t = s.auth().issue(h, pid, scopes, Duration.ofDays(days), derived ? me.tokenId() : null, env);
        var details = new java.util.LinkedHashMap<String, Object>();
        details.put("for", forName == null ? me.name() : forName);
        details.put("tokenId", t.id());
        if (derived) {
          details.put("parentTokenId", me.tokenId());
        }
        details.put("scopes", Scope.format(scopes));
        details.put("expires", t.expiresAt().toString());
        if (environment != null) {
          details.put("environment", project + "/" + environment);
        }
        s.audit().append(h, "token.issued", me.name(), details);
        return t;
      });
      json(ctx, 201, Map.of("id", issued.id(), "token", issued.token(), "expiresAt", issued.expiresAt().toString()));
    });
    route(HandlerType.DELETE, "/api/v1/tokens/{id}", Permission.AUTHENTICATED, "Revoke a token and every token derived from it",
        ctx -> {
      long id = idParam(ctx, "id");
      s.writes().run(h -> {
        int n = s.auth().revoke(h, id, who(ctx));
        s.audit().append(h, "token.revoked", who(ctx).name(), Map.of("tokenId", id, "revoked", n));
        return null;
      });
      ctx.status(204);
    });
    route(HandlerType.GET, "/api/v1/projects", Permission.AUTHENTICATED, "Projects you belong to",
        ctx -> json(ctx, 200, s.registry().projects(who(ctx))));
    route(HandlerType.POST, "/api/v1/projects", Permission.SERVER_ADMIN, "Create a project (with dev, staging, production)",
        ctx -> json(ctx, 201, s.registry().createProject(Json.text(body(ctx), "name"), who(ctx))));
    route(HandlerType.PUT, p + "/members/{principal}", Permission.PROJECT_ADMIN, "Give a principal a role in the project", ctx -> {
      s.registry().setMember(ctx.pathParam("project"), ctx.pathParam("principal"), Role.parse(Json.text(body(ctx), "role")), who(ctx));
      ctx.status(204);
    });
    route(HandlerType.POST, p + "/keys", Permission.PROJECT_ADMIN,
        "Trust a key for model signatures and for attesting the listed predicate types (the trust policy)", ctx -> {
      var b = body(ctx);
      var types = new ArrayList<String>();
      JsonNode given = b.path("predicateTypes");
      if (!given.isMissingNode() && !given.isArray()) {
        throw ApiException.invalid("predicateTypes must be a list such as [\"robustness\", \"provenance\"]");
      }
      given.forEach(t -> types.add(t.asText()));
      json(ctx, 201, s.registry().addKey(ctx.pathParam("project"), Json.text(b, "name"), Json.text(b, "publicKeyPem"), types,
          who(ctx)));
    });
    route(HandlerType.GET, p + "/keys", Permission.PROJECT_VIEW, "The trust policy: keys, what each may attest, and revocations",
        ctx -> json(ctx, 200, s.registry().keys(ctx.pathParam("project"))));
    route(HandlerType.POST, p + "/keys/{key}/revoke", Permission.PROJECT_ADMIN,
        "Revoke a key: its signatures and attestations stop counting at the next gate, admission or rollback", ctx -> {
          s.registry().revokeKey(ctx.pathParam("project"), ctx.pathParam("key"), who(ctx));
          ctx.status(204);
        });
    route(HandlerType.POST, p + "/attestations", Permission.PROJECT_CONTRIBUTE,
        "Submit an attestation (Sigstore bundle, in-toto Statement v1 about a model or dataset version's digest); verified"
            + " against the trust policy, then kept beside every earlier one",
        ctx -> json(ctx, 201, s.attestations().submit(ctx.pathParam("project"), ctx.bodyAsBytes(), who(ctx))));
    route(HandlerType.GET, p + "/attestations/{digest}", Permission.PROJECT_VIEW,
        "Every fact recorded about a digest, oldest first, each verified again against today's trust policy",
        ctx -> json(ctx, 200, s.attestations().list(ctx.pathParam("project"), Names.digest(ctx.pathParam("digest")))));
    route(HandlerType.GET, p + "/datasets", Permission.PROJECT_VIEW, "Dataset versions",
        ctx -> json(ctx, 200, s.registry().datasets(ctx.pathParam("project"))));
    route(HandlerType.POST, p + "/datasets/{dataset}/versions", Permission.PROJECT_CONTRIBUTE, "Register a dataset version by digest",
        ctx -> json(ctx, 201, s.registry().addDatasetVersion(ctx.pathParam("project"), ctx.pathParam("dataset"), body(ctx), who(ctx))));
    route(HandlerType.POST, p + "/datasets/{dataset}/versions/{version}/poisoned", Permission.PROJECT_ADMIN,
        "Flag a dataset version as poisoned", ctx -> {
          s.poison().mark(ctx.pathParam("project"), ctx.pathParam("dataset"), intParam(ctx, "version"),
              ctx.bodyAsBytes().length == 0 ? null : Json.optionalText(body(ctx), "reason"), who(ctx));
          ctx.status(204);
        });
    route(HandlerType.DELETE, p + "/datasets/{dataset}/versions/{version}/poisoned", Permission.PROJECT_APPROVE,
        "Clear a poisoned mark (an approver other than who set it; the reason is audited)", ctx -> {
          s.poison().clear(ctx.pathParam("project"), ctx.pathParam("dataset"), intParam(ctx, "version"),
              ctx.bodyAsBytes().length == 0 ? null : Json.optionalText(body(ctx), "reason"), who(ctx));
          ctx.status(204);
        });
    route(HandlerType.GET, p + "/datasets/{dataset}/versions/{version}/affected", Permission.PROJECT_VIEW,
        "Runs, model versions and deployments that used a dataset version",
        ctx -> json(ctx, 200, s.registry().affected(ctx.pathParam("project"), ctx.pathParam("dataset"), intParam(ctx, "version"))));
    route(HandlerType.POST, p + "/runs", Permission.PROJECT_CONTRIBUTE, "Register a training run",
        ctx -> json(ctx, 201, s.registry().createRun(ctx.pathParam("project"), body(ctx), who(ctx))));
    route(HandlerType.GET, p + "/runs/{run}", Permission.PROJECT_VIEW, "A training run and its inputs",
        ctx -> json(ctx, 200, s.registry().run(ctx.pathParam("project"), ctx.pathParam("run"))));
    route(HandlerType.GET, p + "/models", Permission.PROJECT_VIEW, "Model versions",
        ctx -> json(ctx, 200, s.models().models(ctx.pathParam("project"))));
    route(HandlerType.POST, p + "/models/{model}/versions", Permission.PROJECT_CONTRIBUTE,
        "Upload model files (multipart: file, signature, provenance, run); scanned and verified, never loaded", this::upload);
    route(HandlerType.GET, p + "/models/{model}/versions/{version}", Permission.PROJECT_VIEW, "A model version with its reports",
        ctx -> json(ctx, 200, s.models().version(ctx.pathParam("project"), ctx.pathParam("model"), intParam(ctx, "version"))));
    route(HandlerType.GET, p + "/models/{model}/versions/{version}/lineage", Permission.PROJECT_VIEW,
        "Datasets and run that produced a version, and its deployments",
        ctx -> json(ctx, 200, s.models().lineage(ctx.pathParam("project"), ctx.pathParam("model"), intParam(ctx, "version"))));
    route(HandlerType.GET, p + "/models/{model}/versions/{version}/bom", Permission.PROJECT_VIEW, "CycloneDX 1.6 AI-BOM",
        ctx -> ctx.contentType("application/vnd.cyclonedx+json").result(
            s.models().bom(ctx.pathParam("project"), ctx.pathParam("model"), intParam(ctx, "version"))));
    route(HandlerType.POST, p + "/models/{model}/versions/{version}/evaluations", Permission.PROJECT_CONTRIBUTE,
        "Record an evaluation: an attestation bundle (counts when its key is trusted for the kind), or an unsigned"
            + " {name, result} claim (can block a gate, never pass one); nothing earlier is replaced",
        ctx -> json(ctx, 201, s.models().addEvaluation(ctx.pathParam("project"), ctx.pathParam("model"), intParam(ctx, "version"),
            ctx.bodyAsBytes(), body(ctx), who(ctx))));
    route(HandlerType.POST, p + "/inventory/lookup", Permission.PROJECT_VIEW,
        "Classify discovered artifacts by digest: registered, differing from a registered file, or unregistered",
        ctx -> json(ctx, 200, new dev.rampart.server.registry.Inventory(s.registry()).lookup(ctx.pathParam("project"), body(ctx))));
    route(HandlerType.GET, p + "/environments", Permission.PROJECT_VIEW, "Environments",
        ctx -> json(ctx, 200, s.promotions().environments(ctx.pathParam("project"))));
    route(HandlerType.GET, p + "/environments/{env}", Permission.PROJECT_VIEW,
        "Current version, policy, recent monitoring alerts and deployment history, newest first"
            + " (limit, at most 1,000; before=nextBefore for older pages)", ctx -> {
          var env = s.promotions().environment(ctx.pathParam("project"), ctx.pathParam("env"), pageLimit(ctx),
              pageBefore(ctx));
          env.set("alerts", s.monitoring().alerts(ctx.pathParam("project"), ctx.pathParam("env"), 20));
          json(ctx, 200, env);
        });
    route(HandlerType.PUT, p + "/models/{model}/versions/{version}/monitor-profile", Permission.PROJECT_CONTRIBUTE,
        "Set the reference profile (rampart monitor profile) a model version is watched against",
        ctx -> json(ctx, 200, s.monitoring().setProfile(ctx.pathParam("project"), ctx.pathParam("model"),
            intParam(ctx, "version"), ctx.bodyAsBytes(), who(ctx))));
    route(HandlerType.POST, p + "/environments/{env}/telemetry", Permission.TELEMETRY,
        "Inference events as JSON lines for one deployment (model=NAME when the environment holds several), watched against"
            + " its profile; only the environment's own telemetry token can trigger an automatic rollback",
        ctx -> json(ctx, 200, s.monitoring().ingest(ctx.pathParam("project"), ctx.pathParam("env"), ctx.queryParam("model"),
            ctx.bodyAsBytes(), who(ctx))));
    route(HandlerType.GET, p + "/environments/{env}/alerts", Permission.PROJECT_VIEW, "Monitoring alerts, newest first",
        ctx -> json(ctx, 200, s.monitoring().alerts(ctx.pathParam("project"), ctx.pathParam("env"), pageLimit(ctx))));
    route(HandlerType.PUT, p + "/environments/{env}/rollback-policy", Permission.PROJECT_ADMIN,
        "Alert kinds that roll the environment back automatically",
        ctx -> json(ctx, 200, s.monitoring().setRollbackPolicy(ctx.pathParam("project"), ctx.pathParam("env"),
            body(ctx), who(ctx))));
    route(HandlerType.PUT, p + "/environments/{env}/policy", Permission.PROJECT_ADMIN, "Set the CEL gate policy (new version)",
        ctx -> json(ctx, 200, s.promotions().setPolicy(ctx.pathParam("project"), ctx.pathParam("env"), body(ctx), who(ctx))));
    route(HandlerType.POST, p + "/environments/{env}/rollback", Permission.PROJECT_APPROVE,
        "Roll one deployment back to the model's most recent earlier version that passes the gate now (body: model, reason)",
        ctx -> {
          JsonNode b = ctx.bodyAsBytes().length == 0 ? Json.MAPPER.createObjectNode() : body(ctx);
          json(ctx, 200, s.promotions().rollback(ctx.pathParam("project"), ctx.pathParam("env"), Json.optionalText(b, "model"),
              Json.optionalText(b, "reason"), who(ctx)));
        });
    route(HandlerType.POST, p + "/environments/{env}/admission", Permission.ADMISSION,
        "May this digest be loaded here? Allowed only for the approved, signed version",
        ctx -> json(ctx, 200, s.admission().check(ctx.pathParam("project"), ctx.pathParam("env"), Json.text(body(ctx), "digest"), who(ctx))));
    var kubernetes = new dev.rampart.server.k8s.AdmissionWebhook(s.admission(), s.writes(), s.audit());
    route(HandlerType.POST, p + "/environments/{env}/kubernetes/admission", Permission.ADMISSION,
        "Kubernetes ValidatingAdmissionWebhook (admission.k8s.io/v1 AdmissionReview) for Pods and KServe InferenceServices",
        ctx -> kubernetes.handle(ctx, ctx.pathParam("project"), ctx.pathParam("env"), who(ctx)));
    route(HandlerType.POST, p + "/promotions", Permission.PROJECT_CONTRIBUTE, "Request a promotion; the gate decides",
        ctx -> json(ctx, 201, s.promotions().request(ctx.pathParam("project"), body(ctx), who(ctx))));
    route(HandlerType.GET, p + "/promotions/{id}", Permission.PROJECT_VIEW, "A promotion and its decision",
        ctx -> json(ctx, 200, s.promotions().get(ctx.pathParam("project"), longParam(ctx))));
    route(HandlerType.POST, p + "/promotions/{id}/approve", Permission.PROJECT_APPROVE, "Approve (separation of duties applies)",
        ctx -> json(ctx, 200, s.promotions().approve(ctx.pathParam("project"), longParam(ctx), comment(ctx), who(ctx))));
    route(HandlerType.POST, p + "/promotions/{id}/reject", Permission.PROJECT_APPROVE, "Reject a pending promotion",
        ctx -> json(ctx, 200, s.promotions().reject(ctx.pathParam("project"), longParam(ctx), comment(ctx), who(ctx))));
    route(HandlerType.GET, "/api/v1/audit/checkpoint", Permission.AUTHENTICATED, "The latest signed checkpoint of the audit log",
        ctx -> ctx.contentType("text/plain; charset=utf-8").result(s.audit().latestCheckpoint()));
    route(HandlerType.GET, "/api/v1/audit/key", Permission.AUTHENTICATED, "The audit log's Ed25519 public key (PEM)",
        ctx -> ctx.contentType("text/plain; charset=utf-8").result(
            dev.rampart.integrity.sign.Pem.encode("PUBLIC KEY", s.audit().publicKey().getEncoded())));
    route(HandlerType.GET, "/api/v1/audit/entries", Permission.SERVER_ADMIN,
        "Audit entries from 'from' (default 0), at most 'limit' (default 100, at most 1000), as objects; "
            + "format=text gives the stored text the log's hashes cover", ctx -> {
      long size = s.audit().size();
      long from = longQuery(ctx, "from", 0);
      long limit = longQuery(ctx, "limit", 100);
      if (from < 0 || limit < 1 || limit > 1000) {
        throw ApiException.invalid("from must be 0 or more and limit between 1 and 1000");
      }
      long to = Math.max(from, Math.min(Math.min(size, longQuery(ctx, "to", size)), from + limit));
      boolean text = "text".equals(ctx.queryParam("format"));
      var entries = new java.util.ArrayList<Object>();
      for (String entry : s.audit().entries(from, to)) {
        entries.add(text ? entry : Json.MAPPER.readTree(entry));
      }
      var page = new java.util.LinkedHashMap<String, Object>();
      page.putAll(Map.of("from", from, "to", to, "size", size, "origin", s.audit().origin(), "entries", entries));
      if (to < size) {
        page.put("next", "/api/v1/audit/entries?from=" + to + "&limit=" + limit + (text ? "&format=text" : ""));
      }
      json(ctx, 200, page);
    });
    route(HandlerType.GET, "/api/v1/audit/proof", Permission.AUTHENTICATED,
        "Inclusion proof of an audit entry in the tree of a given size (default: the current one)", ctx -> {
      long index = longQuery(ctx, "index", -1);
      long size = longQuery(ctx, "size", s.audit().size());
      if (size < 1 || size > s.audit().size()) {
        throw ApiException.invalid("size must be in [1, " + s.audit().size() + "]");
      }
      if (index < 0 || index >= size) {
        throw ApiException.invalid("index must be in [0, " + size + ")");
      }
      json(ctx, 200, Map.of("index", index, "treeSize", size,
          "rootHash", Base64.getEncoder().encodeToString(s.audit().root(size)),
          "inclusionProof", s.audit().inclusionProof(index, size).stream().map(b -> Base64.getEncoder().encodeToString(b)).toList()));
    });
    route(HandlerType.GET, "/api/v1/audit/consistency", Permission.AUTHENTICATED,
        "Consistency proof (RFC 9162) that the tree of size 'first' is a prefix of the tree of size 'second'", ctx -> {
      long current = s.audit().size();
      long second = longQuery(ctx, "second", current);
      long first = longQuery(ctx, "first", -1);
      if (second < 0 || second > current) {
        throw ApiException.invalid("second must be in [0, " + current + "]");
      }
      if (first < 0 || first > second) {
        throw ApiException.invalid("first must be in [0, " + second + "]");
      }
      var enc = Base64.getEncoder();
      json(ctx, 200, Map.of("firstSize", first, "secondSize", second,
          "firstRootHash", enc.encodeToString(s.audit().root(first)),
          "secondRootHash", enc.encodeToString(s.audit().root(second)),
          "consistencyProof", first == 0 || first == second ? List.of()
              : s.audit().consistencyProof(first, second).stream().map(enc::encodeToString).toList()));
    });
    route(HandlerType.GET, "/api/v1/audit/verify", Permission.SERVER_ADMIN, "Recompute the audit log against its signed checkpoints",
        ctx -> {
          var v = s.audit().verify();
          json(ctx, 200, Map.of("ok", v.ok(), "entries", v.entries(), "checkpointSize", v.checkpointSize(), "detail", v.detail()));
        });
  }

  private static long longParam(Context ctx) {
    return idParam(ctx, "id");
  }

  private static String comment(Context ctx) {
    return ctx.bodyAsBytes().length == 0 ? null : Json.optionalText(body(ctx), "comment");
  }

  private void upload(Context ctx) throws Exception {
    String ct = ctx.contentType();
    if (ct == null || !ct.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
      throw ApiException.invalid("upload model files as multipart/form-data (fields: file, signature, provenance, run)");
    }
    var files = new ArrayList<ModelVersions.Upload>();
    for (var f : ctx.uploadedFiles("file")) {
      files.add(new ModelVersions.Upload(f.filename(), f.content()));
    }
    Optional<byte[]> signature = ctx.uploadedFiles("signature").stream().findFirst().map(f -> readAll(f));
    Optional<byte[]> provenance = ctx.uploadedFiles("provenance").stream().findFirst().map(f -> readAll(f));
    Optional<String> run = Optional.ofNullable(ctx.formParam("run")).filter(r -> !r.isBlank());
    json(ctx, 201, s.models().upload(ctx.pathParam("project"), ctx.pathParam("model"), files, signature, provenance, run, who(ctx)));
  }

  private static byte[] readAll(io.javalin.http.UploadedFile f) {
    try (var in = f.content()) {
      byte[] b = in.readNBytes(16 * 1024 * 1024 + 1);
      if (b.length > 16 * 1024 * 1024) {
        throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "signature and provenance documents are at most 16 MiB");
      }
      return b;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
