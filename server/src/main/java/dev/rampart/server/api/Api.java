package dev.rampart.server.api;

import static dev.rampart.server.api.Doc.op;
import static dev.rampart.server.api.Schema.ANY;
import static dev.rampart.server.api.Schema.BOOLEAN;
import static dev.rampart.server.api.Schema.INTEGER;
import static dev.rampart.server.api.Schema.STRING;
import static dev.rampart.server.api.Schema.anyOf;
import static dev.rampart.server.api.Schema.array;
import static dev.rampart.server.api.Schema.object;
import static dev.rampart.server.api.Schema.of;
import static dev.rampart.server.api.Schema.oneOf;
import static dev.rampart.server.api.Schema.open;
import static dev.rampart.server.api.Schema.strings;

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
import dev.rampart.server.domain.Forbidden;
import dev.rampart.server.domain.InvalidInput;
import dev.rampart.server.domain.NotFound;
import dev.rampart.server.domain.TooLarge;
import dev.rampart.server.facts.Attestations;
import dev.rampart.server.facts.FactRecord;
import dev.rampart.server.promotion.EnvironmentView;
import dev.rampart.server.promotion.PolicyVersion;
import dev.rampart.server.promotion.Promotion;
import dev.rampart.server.promotion.Rollback;
import dev.rampart.server.registry.Answers;
import dev.rampart.server.promotion.Promotions;
import dev.rampart.server.registry.ModelVersions;
import dev.rampart.server.registry.Names;
import dev.rampart.server.registry.Registry;
import dev.rampart.server.store.Writes;
import dev.rampart.server.web.Authorizer;
import dev.rampart.server.web.HttpErrors;
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

/**
 * The REST API under {@code /api/v1}. Every route is registered from one table with exactly one {@link Permission};
 * a single before-filter authenticates and authorizes, so no route can be reached without its rule.
 */
public final class Api {
  static final String PRINCIPAL = "rampart.principal";

  /** The authorization rule of an API route, as Javalin carries it to the before-filter. */
  public record Rule(Permission permission) implements io.javalin.security.RouteRole {}

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
  private final Authorizer authorizer;

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
    this.authorizer = new Authorizer(s.auth(), s.registry());
  }

  /** The web console served beside the API. */
  public dev.rampart.server.console.Console console() {
    return console;
  }

  public List<Route> routes() {
    return List.copyOf(routes);
  }

  private String openApi;

  /** The OpenAPI document of these routes (as served at {@code /api/v1/openapi.json}). */
  public synchronized String openApi() {
    if (openApi == null) {
      openApi = OpenApi.document(routes, Version.current());
    }
    return openApi;
  }

  private void route(HandlerType m, String path, Permission p, Doc doc, String summary, io.javalin.http.Handler h) {
    routes.add(new Route(m, path, p, doc, summary, h));
  }

  /** Builds the Javalin application (not started). */
  public Javalin app() {
    return app(config -> {});
  }

  /** Builds the Javalin application with further configuration from the server (TLS connector, metrics). */
  public Javalin app(java.util.function.Consumer<io.javalin.config.JavalinConfig> extra) {
    String openapi = openApi();
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
        config.routes.addHttpHandler(r.method(), r.path(), r.handler(), new Rule(r.permission()));
      }
      console.register(config);
      // every failure is answered by the one mapping in HttpErrors; Javalin's own HttpResponseException needs its own
      // registration or Javalin answers it itself
      config.routes.exception(HttpResponseException.class, (e, ctx) -> fail(ctx, e));
      config.routes.exception(Exception.class, (e, ctx) -> fail(ctx, e));
      config.routes.error(404, ctx -> {
        if (dev.rampart.server.console.Console.isConsole(ctx)
            && !String.valueOf(ctx.res().getContentType()).startsWith("text/html")) {
          answer(ctx, HttpErrors.of(NotFound.of("page " + ctx.path())));
        } else if (!dev.rampart.server.console.Console.isConsole(ctx)
            && (ctx.result() == null || ctx.result().isEmpty())) {
          answer(ctx, HttpErrors.of(new NotFound("no such route: " + ctx.method() + " " + ctx.path())));
        }
      });
      config.routes.error(405, ctx -> {
        if (ctx.result() == null || ctx.result().isEmpty()) {
          answer(ctx, HttpErrors.of(new NotFound("no such route: " + ctx.method() + " " + ctx.path())));
        }
      });
      extra.accept(config);
    });
  }

  private static void fail(Context ctx, Exception e) {
    if (HttpErrors.closesConnection(e)) {
      // the rest of the body cannot be trusted to be framed right: do not reuse the connection
      ctx.header("Connection", "close");
    }
    answer(ctx, HttpErrors.of(e, ctx.method() + " " + ctx.path()));
  }

  /** An error as the caller reads it: a page in the console, JSON with its stable code in the API. */
  private static void answer(Context ctx, HttpErrors.Answer a) {
    if (dev.rampart.server.console.Console.isConsole(ctx)) {
      dev.rampart.server.console.Console.error(ctx, a);
      return;
    }
    var body = Json.MAPPER.createObjectNode();
    body.putObject("error").put("code", a.code().wire()).put("message", a.message());
    ctx.status(a.status()).contentType("application/json").result(Json.write(body));
  }

  /**
   * Deny by default: a route without exactly one permission is refused; identity comes from the token only, and the
   * rule is the console's too ({@link Authorizer}).
   */
  private void authorize(Context ctx) {
    var roles = ctx.routeRoles();
    if (roles.size() == 1 && roles.iterator().next() instanceof dev.rampart.server.console.Console.Page page) {
      console.authorize(ctx, page.permission());
      return;
    }
    if (roles.size() != 1 || !(roles.iterator().next() instanceof Rule(Permission p))) {
      throw new Forbidden("this route has no authorization rule");
    }
    if (p == Permission.PUBLIC) {
      return;
    }
    Principal principal = s.auth().authenticate(ctx.header("Authorization"));
    authorizer.check(principal, p, () -> ctx.pathParam("project"));
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
      throw new InvalidInput(name + " must be a whole number of at most 9 digits");
    }
    return Integer.parseInt(raw);
  }

  /** A row id in a path: 1 to 18 decimal digits, so it always fits a long; '1x' or a 20-digit id is refused. */
  static long idParam(Context ctx, String name) {
    String raw = ctx.pathParam(name);
    if (!raw.matches("[0-9]{1,18}")) {
      throw new InvalidInput(name + " must be a whole number of at most 18 digits");
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
      throw new InvalidInput("ttlDays must be a whole number from 1 to 365");
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
    throw new InvalidInput("limit must be a number from 1 to " + MAX_PAGE);
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
      throw new InvalidInput(name + " must be a whole number");
    }
  }

  /** A Sigstore bundle carrying a DSSE envelope (an attestation), as the integrity module writes it. */
  private static final Schema BUNDLE = open("mediaType", STRING, "verificationMaterial", ANY, "dsseEnvelope", ANY);

  /** A Kubernetes AdmissionReview (admission.k8s.io/v1) as the API server posts it. */
  private static final Schema REVIEW = open("apiVersion", STRING, "kind", STRING, "request", ANY);

  /** The AdmissionReview answered: allowed or not, with a status the API server shows the user. */
  private static final Schema ANSWERED_REVIEW = object("apiVersion", STRING, "kind", oneOf("AdmissionReview"),
      "response", object("uid?", STRING, "allowed", BOOLEAN, "status", object("code", INTEGER, "message", STRING,
          "reason?", oneOf("BadRequest", "Forbidden"))));

  // --- the route table -------------------------------------------------------------------------------------------

  private void define() {
    String p = "/api/v1/projects/{project}";
    route(HandlerType.GET, "/api/v1/openapi.json", Permission.PUBLIC, op("getOpenApi").out(200, ANY),
        "This document: the OpenAPI 3.1 description of the API", ctx -> ctx.contentType("application/json").result(openApi()));
    route(HandlerType.GET, "/api/v1/health", Permission.PUBLIC, op("health").out(200, object("status", STRING, "auditCheckpoint?", oneOf("lagging", "current"))),
        "Liveness", ctx -> json(ctx, 200,
        s.audit().publisher().map(w -> Map.<String, Object>of("status", "ok", "auditCheckpoint",
            w.status().lagging() ? "lagging" : "current")).orElse(Map.of("status", "ok"))));
    route(HandlerType.GET, "/api/v1/me", Permission.AUTHENTICATED, op("whoAmI").out(200, object("name", STRING, "kind", oneOf("user", "service"), "admin", BOOLEAN, "scopes", STRING)),
        "Who the token belongs to", ctx -> {
      var me = who(ctx);
      json(ctx, 200, Map.of("name", me.name(), "kind", me.kind().name().toLowerCase(java.util.Locale.ROOT), "admin", me.admin(),
          "scopes", Scope.format(me.scopes())));
    });
    route(HandlerType.POST, "/api/v1/principals", Permission.SERVER_ADMIN,
        op("createPrincipal").in(object("name", STRING, "kind?", oneOf("user", "service"), "admin?", BOOLEAN))
        .out(201, object("id", INTEGER, "name", STRING, "kind", oneOf("user", "service"))),
        "Create a user or service account", ctx -> {
      var b = body(ctx);
      String kind = b.path("kind").asText("user");
      if (!kind.equals("user") && !kind.equals("service")) {
        throw new InvalidInput("kind must be user or service");
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
        op("issueToken").in(object("principal?", STRING, "scopes?", STRING, "ttlDays?", INTEGER, "project?", STRING,
        "environment?", STRING)).out(201, object("id", INTEGER, "token", STRING, "expiresAt", STRING)),
        "Issue an API token (shown once); one minted for yourself derives from the calling token: never more scopes or a"
            + " longer life, and revoked with it",
        ctx -> {
      var b = body(ctx);
      var me = who(ctx);
      String forName = Json.optionalText(b, "principal");
      var scopes = Scope.parse(b.path("scopes").asText("read,write"));
      if (!me.admin() && (forName != null && !forName.equals(me.name()) || scopes.contains(Scope.ADMIN))) {
        throw new Forbidden("you can issue tokens only for yourself, with scopes your token already has");
      }
      if (!me.scopes().contains(Scope.ADMIN) && !me.scopes().containsAll(scopes)) {
        throw new Forbidden(Forbidden.Reason.EXCEEDS_PARENT, "a token can carry only scopes the token issuing it has ("
            + Scope.format(me.scopes()) + ")");
      }
      long days = ttlDays(b);
      String project = Json.optionalText(b, "project");
      String environment = Json.optionalText(b, "environment");
      if ((project == null) != (environment == null)) {
        throw new InvalidInput("bind a token to an environment with both 'project' and 'environment'");
      }
      var issued = s.writes().run(h -> {
        long pid = forName == null ? me.id() : h.createQuery("select id from principals where name = :n").bind("n", forName)
            .mapTo(Long.class).findOne().orElseThrow(() -> NotFound.of("principal '" + Names.preview(forName) + "'"));
        Long env = null;
        if (environment != null) {
          long projectId = dev.rampart.server.registry.Registry.projectId(h, project);
          if (!s.auth().role(me, projectId).map(r -> r.includes(Role.ADMIN)).orElse(false)) {
            throw new Forbidden("only a project administrator binds tokens to its environments");
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
    route(HandlerType.DELETE, "/api/v1/tokens/{id}", Permission.AUTHENTICATED, op("revokeToken").noContent(),
        "Revoke a token and every token derived from it",
        ctx -> {
      long id = idParam(ctx, "id");
      s.writes().run(h -> {
        int n = s.auth().revoke(h, id, who(ctx));
        s.audit().append(h, "token.revoked", who(ctx).name(), Map.of("tokenId", id, "revoked", n));
        return null;
      });
      ctx.status(204);
    });
    route(HandlerType.GET, "/api/v1/projects", Permission.AUTHENTICATED, op("listProjects").out(200, strings()),
        "Projects you belong to",
        ctx -> json(ctx, 200, s.registry().projects(who(ctx))));
    route(HandlerType.POST, "/api/v1/projects", Permission.SERVER_ADMIN,
        op("createProject").in(object("name", STRING)).out(201, of(Answers.Project.class)),
        "Create a project (with dev, staging, production)",
        ctx -> json(ctx, 201, s.registry().createProject(Json.text(body(ctx), "name"), who(ctx))));
    route(HandlerType.PUT, p + "/members/{principal}", Permission.PROJECT_ADMIN,
        op("setMember").in(object("role", oneOf("viewer", "contributor", "approver", "admin"))).noContent(),
        "Give a principal a role in the project", ctx -> {
      s.registry().setMember(ctx.pathParam("project"), ctx.pathParam("principal"), Role.parse(Json.text(body(ctx), "role")), who(ctx));
      ctx.status(204);
    });
    route(HandlerType.POST, p + "/keys", Permission.PROJECT_ADMIN,
        op("trustKey").in(object("name", STRING, "publicKeyPem", STRING, "predicateTypes?", strings()))
        .out(201, of(Answers.TrustedKey.class)),
        "Trust a key for model signatures and for attesting the listed predicate types (the trust policy)", ctx -> {
      var b = body(ctx);
      var types = new ArrayList<String>();
      JsonNode given = b.path("predicateTypes");
      if (!given.isMissingNode() && !given.isArray()) {
        throw new InvalidInput("predicateTypes must be a list such as [\"robustness\", \"provenance\"]");
      }
      given.forEach(t -> types.add(t.asText()));
      json(ctx, 201, s.registry().addKey(ctx.pathParam("project"), Json.text(b, "name"), Json.text(b, "publicKeyPem"), types,
          who(ctx)));
    });
    route(HandlerType.GET, p + "/keys", Permission.PROJECT_VIEW,
        op("listKeys").out(200, array(of(Answers.TrustedKey.class))),
        "The trust policy: keys, what each may attest, and revocations",
        ctx -> json(ctx, 200, s.registry().keys(ctx.pathParam("project"))));
    route(HandlerType.POST, p + "/keys/{key}/revoke", Permission.PROJECT_ADMIN, op("revokeKey").noContent(),
        "Revoke a key: its signatures and attestations stop counting at the next gate, admission or rollback", ctx -> {
          s.registry().revokeKey(ctx.pathParam("project"), ctx.pathParam("key"), who(ctx));
          ctx.status(204);
        });
    route(HandlerType.POST, p + "/attestations", Permission.PROJECT_CONTRIBUTE,
        op("submitAttestation").in(BUNDLE).out(201, of(Attestations.Recorded.class)),
        "Submit an attestation (Sigstore bundle, in-toto Statement v1 about a model or dataset version's digest); verified"
            + " against the trust policy, then kept beside every earlier one",
        ctx -> json(ctx, 201, s.attestations().submit(ctx.pathParam("project"), ctx.bodyAsBytes(), who(ctx))));
    route(HandlerType.GET, p + "/attestations/{digest}", Permission.PROJECT_VIEW,
        op("listFacts").out(200, array(of(FactRecord.class))),
        "Every fact recorded about a digest, oldest first, each verified again against today's trust policy",
        ctx -> json(ctx, 200, s.attestations().list(ctx.pathParam("project"), Names.digest(ctx.pathParam("digest")))));
    route(HandlerType.GET, p + "/datasets", Permission.PROJECT_VIEW,
        op("listDatasetVersions").out(200, array(of(Answers.DatasetVersion.class))),
        "Dataset versions",
        ctx -> json(ctx, 200, s.registry().datasets(ctx.pathParam("project"))));
    route(HandlerType.POST, p + "/datasets/{dataset}/versions", Permission.PROJECT_CONTRIBUTE,
        op("registerDatasetVersion").in(object("digest", STRING, "uri?", STRING))
        .out(201, of(Answers.DatasetVersion.class)),
        "Register a dataset version by digest",
        ctx -> json(ctx, 201, s.registry().addDatasetVersion(ctx.pathParam("project"), ctx.pathParam("dataset"), body(ctx), who(ctx))));
    route(HandlerType.POST, p + "/datasets/{dataset}/versions/{version}/poisoned", Permission.PROJECT_ADMIN,
        op("markPoisoned").in(object("reason?", STRING)).noContent(),
        "Flag a dataset version as poisoned", ctx -> {
          s.poison().mark(ctx.pathParam("project"), ctx.pathParam("dataset"), intParam(ctx, "version"),
              ctx.bodyAsBytes().length == 0 ? null : Json.optionalText(body(ctx), "reason"), who(ctx));
          ctx.status(204);
        });
    route(HandlerType.DELETE, p + "/datasets/{dataset}/versions/{version}/poisoned", Permission.PROJECT_APPROVE,
        op("clearPoisoned").in(object("reason", STRING)).noContent(),
        "Clear a poisoned mark (an approver other than who set it; the reason is audited)", ctx -> {
          s.poison().clear(ctx.pathParam("project"), ctx.pathParam("dataset"), intParam(ctx, "version"),
              ctx.bodyAsBytes().length == 0 ? null : Json.optionalText(body(ctx), "reason"), who(ctx));
          ctx.status(204);
        });
    route(HandlerType.GET, p + "/datasets/{dataset}/versions/{version}/affected", Permission.PROJECT_VIEW,
        op("datasetAffected").out(200, of(Answers.Affected.class)),
        "Runs, model versions and deployments that used a dataset version",
        ctx -> json(ctx, 200, s.registry().affected(ctx.pathParam("project"), ctx.pathParam("dataset"), intParam(ctx, "version"))));
    route(HandlerType.POST, p + "/runs", Permission.PROJECT_CONTRIBUTE,
        op("registerRun").in(object("name", STRING, "codeCommit?", STRING, "parameters?", ANY, "metrics?", ANY,
        "inputs?", array(object("dataset", STRING, "version", INTEGER)))).out(201, of(Answers.RunCreated.class)),
        "Register a training run",
        ctx -> json(ctx, 201, s.registry().createRun(ctx.pathParam("project"), body(ctx), who(ctx))));
    route(HandlerType.GET, p + "/runs/{run}", Permission.PROJECT_VIEW, op("getRun").out(200, of(Answers.Run.class)),
        "A training run and its inputs",
        ctx -> json(ctx, 200, s.registry().run(ctx.pathParam("project"), ctx.pathParam("run"))));
    route(HandlerType.GET, p + "/models", Permission.PROJECT_VIEW,
        op("listModelVersions").out(200, array(of(ModelVersions.VersionSummary.class))),
        "Model versions",
        ctx -> json(ctx, 200, s.models().models(ctx.pathParam("project"))));
    route(HandlerType.POST, p + "/models/{model}/versions", Permission.PROJECT_CONTRIBUTE,
        op("uploadModelVersion").in("multipart/form-data", object("file", array(STRING), "signature?", STRING,
        "provenance?", STRING, "run?", STRING)).out(201, of(Answers.Uploaded.class)),
        "Upload model files (multipart: file, signature, provenance, run); scanned and verified, never loaded", this::upload);
    route(HandlerType.GET, p + "/models/{model}/versions/{version}", Permission.PROJECT_VIEW,
        op("getModelVersion").out(200, of(Answers.ModelVersion.class)),
        "A model version with its reports",
        ctx -> json(ctx, 200, s.models().version(ctx.pathParam("project"), ctx.pathParam("model"), intParam(ctx, "version"))));
    route(HandlerType.GET, p + "/models/{model}/versions/{version}/lineage", Permission.PROJECT_VIEW,
        op("getLineage").out(200, of(Answers.Lineage.class)),
        "Datasets and run that produced a version, and its deployments",
        ctx -> json(ctx, 200, s.models().lineage(ctx.pathParam("project"), ctx.pathParam("model"), intParam(ctx, "version"))));
    route(HandlerType.GET, p + "/models/{model}/versions/{version}/bom", Permission.PROJECT_VIEW,
        op("getBom").out(200, "application/vnd.cyclonedx+json", ANY),
        "CycloneDX 1.6 AI-BOM",
        ctx -> ctx.contentType("application/vnd.cyclonedx+json").result(
            s.models().bom(ctx.pathParam("project"), ctx.pathParam("model"), intParam(ctx, "version"))));
    route(HandlerType.POST, p + "/models/{model}/versions/{version}/evaluations", Permission.PROJECT_CONTRIBUTE,
        op("recordEvaluation").in(anyOf(BUNDLE, object("name", STRING, "result", ANY)))
        .out(201, anyOf(of(Attestations.Recorded.class), of(Attestations.Claimed.class))),
        "Record an evaluation: an attestation bundle (counts when its key is trusted for the kind), or an unsigned"
            + " {name, result} claim (can block a gate, never pass one); nothing earlier is replaced",
        ctx -> json(ctx, 201, s.models().addEvaluation(ctx.pathParam("project"), ctx.pathParam("model"), intParam(ctx, "version"),
            ctx.bodyAsBytes(), body(ctx), who(ctx))));
    route(HandlerType.POST, p + "/inventory/lookup", Permission.PROJECT_VIEW,
        op("lookupInventory").in(object("artifacts", array(object("sha256", STRING, "digest?", STRING, "name?", STRING))))
        .out(200, of(dev.rampart.server.registry.Inventory.Lookup.class)),
        "Classify discovered artifacts by digest: registered, differing from a registered file, or unregistered",
        ctx -> json(ctx, 200, new dev.rampart.server.registry.Inventory(s.registry()).lookup(ctx.pathParam("project"), body(ctx))));
    route(HandlerType.GET, p + "/environments", Permission.PROJECT_VIEW, op("listEnvironments").out(200, strings()),
        "Environments",
        ctx -> json(ctx, 200, s.promotions().environments(ctx.pathParam("project"))));
    route(HandlerType.GET, p + "/environments/{env}", Permission.PROJECT_VIEW,
        op("getEnvironment").query("limit", INTEGER).query("before", INTEGER).out(200, of(EnvironmentView.class)),
        "Current version, policy, recent monitoring alerts and deployment history, newest first"
            + " (limit, at most 1,000; before=nextBefore for older pages)", ctx -> {
          var env = s.promotions().environment(ctx.pathParam("project"), ctx.pathParam("env"), pageLimit(ctx),
              pageBefore(ctx));
          json(ctx, 200, env.withAlerts(s.monitoring().alerts(ctx.pathParam("project"), ctx.pathParam("env"), 20)));
        });
    route(HandlerType.PUT, p + "/models/{model}/versions/{version}/monitor-profile", Permission.PROJECT_CONTRIBUTE,
        op("setMonitorProfile").in(ANY)
        .out(200, object("model", STRING, "version", INTEGER, "digest", STRING, "features", INTEGER)),
        "Set the reference profile (rampart monitor profile) a model version is watched against",
        ctx -> json(ctx, 200, s.monitoring().setProfile(ctx.pathParam("project"), ctx.pathParam("model"),
            intParam(ctx, "version"), ctx.bodyAsBytes(), who(ctx))));
    route(HandlerType.POST, p + "/environments/{env}/telemetry", Permission.TELEMETRY,
        op("ingestTelemetry").in("application/x-ndjson", STRING).query("model", STRING).out(200, ModelDocs.INGESTED),
        "Inference events as JSON lines for one deployment (model=NAME when the environment holds several), watched against"
            + " its profile; only the environment's own telemetry token can trigger an automatic rollback",
        ctx -> json(ctx, 200, s.monitoring().ingest(ctx.pathParam("project"), ctx.pathParam("env"), ctx.queryParam("model"),
            ctx.bodyAsBytes(), who(ctx))));
    route(HandlerType.GET, p + "/environments/{env}/alerts", Permission.PROJECT_VIEW,
        op("listAlerts").query("limit", INTEGER).out(200, array(ModelDocs.ALERT)),
        "Monitoring alerts, newest first",
        ctx -> json(ctx, 200, s.monitoring().alerts(ctx.pathParam("project"), ctx.pathParam("env"), pageLimit(ctx))));
    route(HandlerType.PUT, p + "/environments/{env}/rollback-policy", Permission.PROJECT_ADMIN,
        op("setRollbackPolicy").in(object("onAlerts", strings()))
        .out(200, object("environment", STRING, "onAlerts", strings())),
        "Alert kinds that roll the environment back automatically",
        ctx -> json(ctx, 200, s.monitoring().setRollbackPolicy(ctx.pathParam("project"), ctx.pathParam("env"),
            body(ctx), who(ctx))));
    route(HandlerType.PUT, p + "/environments/{env}/policy", Permission.PROJECT_ADMIN,
        op("setPolicy").in(object("mode?", oneOf("enforce", "warn", "off"), "rules", array(object("name", STRING,
        "expression", STRING, "message?", STRING)))).out(200, of(PolicyVersion.class)),
        "Set the CEL gate policy (new version)",
        ctx -> json(ctx, 200, s.promotions().setPolicy(ctx.pathParam("project"), ctx.pathParam("env"), body(ctx), who(ctx))));
    route(HandlerType.POST, p + "/environments/{env}/rollback", Permission.PROJECT_APPROVE,
        op("rollback").in(object("model?", STRING, "reason?", STRING)).out(200, of(Rollback.class)),
        "Roll one deployment back to the model's most recent earlier version that passes the gate now (body: model, reason)",
        ctx -> {
          JsonNode b = ctx.bodyAsBytes().length == 0 ? Json.MAPPER.createObjectNode() : body(ctx);
          json(ctx, 200, s.promotions().rollback(ctx.pathParam("project"), ctx.pathParam("env"), Json.optionalText(b, "model"),
              Json.optionalText(b, "reason"), who(ctx)));
        });
    route(HandlerType.POST, p + "/environments/{env}/admission", Permission.ADMISSION, op("admit").in(object("digest", STRING))
        .out(200, object("allowed", BOOLEAN, "environment", STRING, "digest", STRING, "reason", STRING, "code", STRING, "receipt?", ANY)),
        "May this digest be loaded here? Allowed only for the approved, signed version (?receipt=true: with the audit receipt)",
        ctx -> json(ctx, 200, s.admission().check(ctx.pathParam("project"), ctx.pathParam("env"), Json.text(body(ctx), "digest"), who(ctx),
            "true".equals(ctx.queryParam("receipt")))));
    var kubernetes = new dev.rampart.server.k8s.AdmissionWebhook(s.admission(), s.writes(), s.audit());
    route(HandlerType.POST, p + "/environments/{env}/kubernetes/admission", Permission.ADMISSION,
        op("reviewKubernetesAdmission").in(REVIEW).out(200, ANSWERED_REVIEW)
        .refuses(400, ANSWERED_REVIEW),
        "Kubernetes ValidatingAdmissionWebhook (admission.k8s.io/v1 AdmissionReview) for Pods and KServe InferenceServices",
        ctx -> kubernetes.handle(ctx, ctx.pathParam("project"), ctx.pathParam("env"), who(ctx)));
    route(HandlerType.POST, p + "/promotions", Permission.PROJECT_CONTRIBUTE,
        op("requestPromotion").in(object("model", STRING, "version", INTEGER, "environment", STRING))
        .out(201, of(Promotion.class)),
        "Request a promotion; the gate decides",
        ctx -> json(ctx, 201, s.promotions().request(ctx.pathParam("project"), body(ctx), who(ctx))));
    route(HandlerType.GET, p + "/promotions/{id}", Permission.PROJECT_VIEW,
        op("getPromotion").out(200, of(Promotion.class)),
        "A promotion and its decision",
        ctx -> json(ctx, 200, s.promotions().get(ctx.pathParam("project"), longParam(ctx))));
    route(HandlerType.POST, p + "/promotions/{id}/approve", Permission.PROJECT_APPROVE,
        op("approvePromotion").in(object("comment?", STRING)).out(200, of(Promotion.class)),
        "Approve (separation of duties applies)",
        ctx -> json(ctx, 200, s.promotions().approve(ctx.pathParam("project"), longParam(ctx), comment(ctx), who(ctx))));
    route(HandlerType.POST, p + "/promotions/{id}/reject", Permission.PROJECT_APPROVE,
        op("rejectPromotion").in(object("comment?", STRING)).out(200, of(Promotion.class)),
        "Reject a pending promotion",
        ctx -> json(ctx, 200, s.promotions().reject(ctx.pathParam("project"), longParam(ctx), comment(ctx), who(ctx))));
    route(HandlerType.GET, "/api/v1/audit/checkpoint", Permission.AUTHENTICATED, op("getCheckpoint").out(200, "text/plain", STRING),
        "The latest signed checkpoint of the audit log (with witness cosignatures when witnesses are configured)",
        ctx -> {
          s.writes().refreshAudit();
          String note = s.audit().latestCheckpoint();
          s.audit().publisher().ifPresent(w -> {
            var status = w.status();
            ctx.header("Rampart-Witness-Quorum", Integer.toString(status.quorum()));
            ctx.header("Rampart-Checkpoint-Lag", Long.toString(Math.max(0, status.signedSize() - status.servedSize())));
          });
          ctx.contentType("text/plain; charset=utf-8").result(note);
        });
    route(HandlerType.GET, "/api/v1/audit/witnesses", Permission.AUTHENTICATED, op("getAuditWitnesses").out(200, ANY),
        "Which witnesses cosign the audit log's checkpoints, and how far the served checkpoint lags the log",
        ctx -> json(ctx, 200, s.audit().publisher().map(w -> (Object) w.status())
            .orElse(Map.of("quorum", 0, "witnesses", List.of(), "lagging", false,
                "detail", "no witnesses are configured: each signed checkpoint is served at once"))));
    route(HandlerType.GET, "/api/v1/audit/vkey", Permission.AUTHENTICATED, op("getAuditVerifierKey").out(200, "text/plain", STRING),
        "The audit log's C2SP verifier key (what a witness is given with --log ORIGIN=VKEY)",
        ctx -> ctx.contentType("text/plain; charset=utf-8").result(dev.rampart.integrity.log.NoteKey.of(s.audit().origin(),
            dev.rampart.integrity.log.NoteKey.ED25519, s.audit().publicKey()).vkey() + "\n"));
    route(HandlerType.GET, "/api/v1/audit/key", Permission.AUTHENTICATED, op("getAuditKey").out(200, "text/plain", STRING),
        "The audit log's Ed25519 public key (PEM)",
        ctx -> ctx.contentType("text/plain; charset=utf-8").result(
            dev.rampart.integrity.sign.Pem.encode("PUBLIC KEY", s.audit().publicKey().getEncoded())));
    route(HandlerType.GET, "/api/v1/audit/entries", Permission.SERVER_ADMIN, op("listAuditEntries").query("from", INTEGER)
        .query("limit", INTEGER).query("to", INTEGER).query("format", STRING)
        .out(200, object("from", INTEGER, "to", INTEGER, "size", INTEGER, "origin", STRING, "entries", array(ANY), "next?", STRING)),
        "Audit entries from 'from' (default 0), at most 'limit' (default 100, at most 1000), as objects; "
            + "format=text gives the stored text the log's hashes cover", ctx -> {
      s.writes().refreshAudit();
      long size = s.audit().size();
      long from = longQuery(ctx, "from", 0);
      long limit = longQuery(ctx, "limit", 100);
      if (from < 0 || limit < 1 || limit > 1000) {
        throw new InvalidInput("from must be 0 or more and limit between 1 and 1000");
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
        op("getInclusionProof").query("index", INTEGER).query("size", INTEGER)
        .out(200, object("index", INTEGER, "treeSize", INTEGER, "rootHash", STRING, "inclusionProof", strings())),
        "Inclusion proof of an audit entry in the tree of a given size (default: the current one)", ctx -> {
      s.writes().refreshAudit();
      long index = longQuery(ctx, "index", -1);
      long size = longQuery(ctx, "size", s.audit().size());
      if (size < 1 || size > s.audit().size()) {
        throw new InvalidInput("size must be in [1, " + s.audit().size() + "]");
      }
      if (index < 0 || index >= size) {
        throw new InvalidInput("index must be in [0, " + size + ")");
      }
      json(ctx, 200, Map.of("index", index, "treeSize", size,
          "rootHash", Base64.getEncoder().encodeToString(s.audit().root(size)),
          "inclusionProof", s.audit().inclusionProof(index, size).stream().map(b -> Base64.getEncoder().encodeToString(b)).toList()));
    });
    route(HandlerType.GET, "/api/v1/audit/consistency", Permission.AUTHENTICATED,
        op("getConsistencyProof").query("first", INTEGER).query("second", INTEGER)
        .out(200, object("firstSize", INTEGER, "secondSize", INTEGER, "firstRootHash", STRING, "secondRootHash", STRING,
            "consistencyProof", strings())),
        "Consistency proof (RFC 9162) that the tree of size 'first' is a prefix of the tree of size 'second'", ctx -> {
      s.writes().refreshAudit();
      long current = s.audit().size();
      long second = longQuery(ctx, "second", current);
      long first = longQuery(ctx, "first", -1);
      if (second < 0 || second > current) {
        throw new InvalidInput("second must be in [0, " + current + "]");
      }
      if (first < 0 || first > second) {
        throw new InvalidInput("first must be in [0, " + second + "]");
      }
      var enc = Base64.getEncoder();
      json(ctx, 200, Map.of("firstSize", first, "secondSize", second,
          "firstRootHash", enc.encodeToString(s.audit().root(first)),
          "secondRootHash", enc.encodeToString(s.audit().root(second)),
          "consistencyProof", first == 0 || first == second ? List.of()
              : s.audit().consistencyProof(first, second).stream().map(enc::encodeToString).toList()));
    });
    route(HandlerType.GET, "/api/v1/audit/verify", Permission.SERVER_ADMIN, op("verifyAuditLog")
        .out(200, object("ok", BOOLEAN, "entries", INTEGER, "checkpointSize", INTEGER, "detail", STRING)),
        "Recompute the audit log against its signed checkpoints",
        ctx -> {
          var v = s.audit().verify();
          json(ctx, 200, Map.of("ok", v.ok(), "entries", v.entries(), "checkpointSize", v.checkpointSize(), "detail", v.detail()));
        });
    route(HandlerType.GET, "/api/v1/audit/verify-state", Permission.SERVER_ADMIN, op("verifyAuditState").out(200, ANY),
        "Recompute the state digest of every registry row the log binds; name each row that differs from its latest entry",
        ctx -> json(ctx, 200, s.audit().verifyState()));
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
      throw new InvalidInput("upload model files as multipart/form-data (fields: file, signature, provenance, run)");
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
        throw new TooLarge("signature and provenance documents are at most 16 MiB");
      }
      return b;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
