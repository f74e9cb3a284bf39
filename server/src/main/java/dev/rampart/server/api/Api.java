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
      dev.rampart.server.store.Generation generation) {}

  private final Services s;

  /** The services behind the routes, for embedding and tests. */
  public Services services() {
    return s;
  }
  private final List<Route> routes = new ArrayList<>();
  private final long maxUploadBytes;
  private final dev.rampart.server.console.Console console;

  public Api(Services services, long maxUploadBytes) {
    this.s = services;
    this.maxUploadBytes = maxUploadBytes;
    define();
    var views = dev.rampart.server.console.Views.of(s.registry(), s.models(), s.promotions(), s.monitoring(),
        s.audit(), s.auth(), s.writes(), s.generation());
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

  static int intParam(Context ctx, String name) {
    try {
      return Integer.parseInt(ctx.pathParam(name));
    } catch (NumberFormatException e) {
      throw ApiException.invalid(name + " must be a number");
    }
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
    route(HandlerType.POST, "/api/v1/tokens", Permission.AUTHENTICATED, "Issue an API token (shown once)", ctx -> {
      var b = body(ctx);
      var me = who(ctx);
      String forName = Json.optionalText(b, "principal");
      var scopes = Scope.parse(b.path("scopes").asText("read,write"));
      if (!me.admin() && (forName != null && !forName.equals(me.name()) || scopes.contains(Scope.ADMIN)
          || !me.scopes().containsAll(scopes) && !me.scopes().contains(Scope.ADMIN))) {
        throw new ApiException(ErrorCode.FORBIDDEN, "you can issue tokens only for yourself, with scopes your token already has");
      }
      long days = b.path("ttlDays").asLong(30);
      var issued = s.writes().run(h -> {
        long pid = forName == null ? me.id() : h.createQuery("select id from principals where name = :n").bind("n", forName)
            .mapTo(Long.class).findOne().orElseThrow(() -> ApiException.notFound("principal '" + forName + "'"));
        var t = s.auth().issue(h, pid, scopes, Duration.ofDays(days));
        s.audit().append(h, "token.issued", me.name(), Map.of("for", forName == null ? me.name() : forName, "tokenId", t.id(),
            "scopes", Scope.format(scopes), "expires", t.expiresAt().toString()));
        return t;
      });
      json(ctx, 201, Map.of("id", issued.id(), "token", issued.token(), "expiresAt", issued.expiresAt().toString()));
    });
    route(HandlerType.DELETE, "/api/v1/tokens/{id}", Permission.AUTHENTICATED, "Revoke a token", ctx -> {
      long id = Long.parseLong(ctx.pathParam("id").replaceAll("\\D", "0"));
      s.writes().run(h -> {
        s.auth().revoke(h, id, who(ctx));
        s.audit().append(h, "token.revoked", who(ctx).name(), Map.of("tokenId", id));
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
    route(HandlerType.POST, p + "/keys", Permission.PROJECT_ADMIN, "Trust a signing key for the project", ctx -> {
      var b = body(ctx);
      json(ctx, 201, s.registry().addKey(ctx.pathParam("project"), Json.text(b, "name"), Json.text(b, "publicKeyPem"), who(ctx)));
    });
    route(HandlerType.GET, p + "/datasets", Permission.PROJECT_VIEW, "Dataset versions",
        ctx -> json(ctx, 200, s.registry().datasets(ctx.pathParam("project"))));
    route(HandlerType.POST, p + "/datasets/{dataset}/versions", Permission.PROJECT_CONTRIBUTE, "Register a dataset version by digest",
        ctx -> json(ctx, 201, s.registry().addDatasetVersion(ctx.pathParam("project"), ctx.pathParam("dataset"), body(ctx), who(ctx))));
    route(HandlerType.POST, p + "/datasets/{dataset}/versions/{version}/poisoned", Permission.PROJECT_ADMIN,
        "Flag a dataset version as poisoned", ctx -> {
          s.registry().markPoisoned(ctx.pathParam("project"), ctx.pathParam("dataset"), intParam(ctx, "version"),
              Json.optionalText(body(ctx), "reason"), who(ctx));
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
        "Record an evaluation (such as rampart eval robustness JSON)",
        ctx -> json(ctx, 201, s.models().addEvaluation(ctx.pathParam("project"), ctx.pathParam("model"), intParam(ctx, "version"),
            body(ctx), who(ctx))));
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
        "Inference events as JSON lines, watched against the deployed version's profile",
        ctx -> json(ctx, 200, s.monitoring().ingest(ctx.pathParam("project"), ctx.pathParam("env"), ctx.bodyAsBytes(),
            who(ctx))));
    route(HandlerType.GET, p + "/environments/{env}/alerts", Permission.PROJECT_VIEW, "Monitoring alerts, newest first",
        ctx -> json(ctx, 200, s.monitoring().alerts(ctx.pathParam("project"), ctx.pathParam("env"), pageLimit(ctx))));
    route(HandlerType.PUT, p + "/environments/{env}/rollback-policy", Permission.PROJECT_ADMIN,
        "Alert kinds that roll the environment back automatically",
        ctx -> json(ctx, 200, s.monitoring().setRollbackPolicy(ctx.pathParam("project"), ctx.pathParam("env"),
            body(ctx), who(ctx))));
    route(HandlerType.PUT, p + "/environments/{env}/policy", Permission.PROJECT_ADMIN, "Set the CEL gate policy (new version)",
        ctx -> json(ctx, 200, s.promotions().setPolicy(ctx.pathParam("project"), ctx.pathParam("env"), body(ctx), who(ctx))));
    route(HandlerType.POST, p + "/environments/{env}/rollback", Permission.PROJECT_APPROVE,
        "Return the environment to its last known-good approved version",
        ctx -> json(ctx, 200, s.promotions().rollback(ctx.pathParam("project"), ctx.pathParam("env"),
            ctx.bodyAsBytes().length == 0 ? null : Json.optionalText(body(ctx), "reason"), who(ctx))));
    route(HandlerType.POST, p + "/environments/{env}/admission", Permission.ADMISSION,
        "May this digest be loaded here? Allowed only for the approved, signed version",
        ctx -> json(ctx, 200, s.admission().check(ctx.pathParam("project"), ctx.pathParam("env"), Json.text(body(ctx), "digest"), who(ctx))));
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
    route(HandlerType.GET, "/api/v1/audit/entries", Permission.SERVER_ADMIN, "Audit entries [from, to)", ctx -> {
      long from = longQuery(ctx, "from", 0);
      long to = Math.min(s.audit().size(), longQuery(ctx, "to", s.audit().size()));
      if (from < 0 || to - from > 100_000) {
        throw ApiException.invalid("ask for at most 100000 entries at a time");
      }
      json(ctx, 200, Map.of("from", from, "to", to, "origin", s.audit().origin(), "entries", s.audit().entries(from, to)));
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
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw ApiException.invalid("id must be a number");
    }
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
