package dev.rampart.server.console;

import dev.rampart.server.auth.AuthService;
import dev.rampart.server.auth.Permission;
import dev.rampart.server.domain.Forbidden;
import dev.rampart.server.domain.Unauthorized;
import dev.rampart.server.registry.Registry;
import dev.rampart.server.web.Authorizer;
import dev.rampart.server.web.HttpErrors;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The web console at {@code /}: server-rendered pages with no scripts, over the same services and the same
 * authorization rules as the API. Every page declares one {@link Permission}; a session cookie stands in for the bearer
 * token, and every form carries the session's CSRF token.
 */
public final class Console {
  /** The authorization rule of a console route: the API permission it mirrors. */
  public record Page(Permission permission) implements RouteRole {}

  static final String SESSION = "rampart.console.session";
  static final String MEMBERSHIP = "rampart.console.membership";

  static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
      + "frame-ancestors 'none'; base-uri 'none'";

  private final Authorizer authorizer;
  private final Sessions sessions;
  private final List<Route> routes = new ArrayList<>();

  record Route(HandlerType method, String path, Permission permission, io.javalin.http.Handler handler) {}

  public Console(Views views, AuthService auth, Registry registry) {
    this.authorizer = new Authorizer(auth, registry);
    this.sessions = views.sessions();
    views.define(this);
  }

  void get(String path, Permission permission, io.javalin.http.Handler handler) {
    routes.add(new Route(HandlerType.GET, path, permission, handler));
  }

  void post(String path, Permission permission, io.javalin.http.Handler handler) {
    routes.add(new Route(HandlerType.POST, path, permission, handler));
  }

  public void register(JavalinConfig config) {
    for (Route r : routes) {
      config.routes.addHttpHandler(r.method(), r.path(), r.handler(), new Page(r.permission()));
    }
  }

  /** Paths (with placeholders) and permissions of every console route, for tests. */
  public List<String> describe() {
    return routes.stream().map(r -> r.method() + " " + r.path() + " " + r.permission()).toList();
  }

  /** Everything outside the API's path belongs to the console. */
  public static boolean isConsole(Context ctx) {
    return !ctx.path().startsWith("/api/") && !ctx.path().equals("/metrics");
  }

  /**
   * Deny by default, by the API's own rule ({@link Authorizer}): a session stands in for the bearer token, and forms
   * need their CSRF token.
   */
  public void authorize(Context ctx, Permission p) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "same-origin");
    if (ctx.method() == HandlerType.POST) {
      sameOrigin(ctx);
    }
    if (p == Permission.PUBLIC) {
      return;
    }
    var session = sessions.resolve(ctx.cookie(Sessions.COOKIE)).orElse(null);
    if (session == null) {
      throw new Unauthorized(Unauthorized.Reason.UNAUTHENTICATED, "sign in with an API token");
    }
    ctx.attribute(SESSION, session);
    if (ctx.method() == HandlerType.POST) {
      Sessions.checkCsrf(session, ctx.formParam("csrf"));
    }
    authorizer.check(session.principal(), p, () -> ctx.pathParam("project"))
        .ifPresent(m -> ctx.attribute(MEMBERSHIP, m));
  }

  /**
   * A form posted from another site is refused even before its token is checked: by the browser's Sec-Fetch-Site
   * when it sends one, otherwise by Origin.
   */
  private static void sameOrigin(Context ctx) {
    String site = ctx.header("Sec-Fetch-Site");
    if (site != null) {
      if (!site.equals("same-origin") && !site.equals("none")) {
        throw new Forbidden("forms are accepted only from this console");
      }
      return;
    }
    String origin = ctx.header("Origin");
    if (origin != null && !origin.equals("null") && !origin.equalsIgnoreCase(ctx.scheme() + "://" + ctx.host())) {
      throw new Forbidden("forms are accepted only from this console");
    }
  }

  static Sessions.Session session(Context ctx) {
    return ctx.attribute(SESSION);
  }

  /** The path's project, on project pages; pages show controls only for what the role may do. */
  static Authorizer.Membership membership(Context ctx) {
    return ctx.attribute(MEMBERSHIP);
  }

  /** Errors as pages: sign-in for a missing session, otherwise the message with its status. */
  public static void error(Context ctx, HttpErrors.Answer e) {
    ctx.header("Content-Security-Policy", CSP);
    if (e.code() == Unauthorized.Reason.UNAUTHENTICATED && ctx.method() == HandlerType.GET) {
      String next = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
      ctx.redirect("/login?next=" + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8));
      return;
    }
    ctx.status(e.status()).contentType("text/html; charset=utf-8").result(Layout.page("Error",
        ctx.attribute(SESSION), Html.el("h1", "Error " + e.status()),
        Html.el("p", Html.attr("class", "error"), e.message()), Html.el("p", Html.a("/", "Back to the overview"))));
  }

  static void html(Context ctx, String page) {
    ctx.contentType("text/html; charset=utf-8").result(page);
  }
}
