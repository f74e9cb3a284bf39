package dev.rampart.server.console;

import static dev.rampart.server.console.Html.a;
import static dev.rampart.server.console.Html.attr;
import static dev.rampart.server.console.Html.el;
import static dev.rampart.server.console.Html.path;
import static dev.rampart.server.console.Layout.badge;
import static dev.rampart.server.console.Layout.row;
import static dev.rampart.server.console.Layout.table;

import dev.rampart.server.console.Html.Safe;
import dev.rampart.server.domain.RampartException;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Sign-in, the overview of everything the caller may see, and a project's front page. */
final class OverviewPages {
  private static final byte[] CSS = load();
  private final Views v;

  OverviewPages(Views v) {
    this.v = v;
  }

  static void css(Context ctx) {
    ctx.contentType("text/css; charset=utf-8").header("Cache-Control", "max-age=3600").result(CSS);
  }

  void login(Context ctx) {
    Console.html(ctx, loginPage(ctx.queryParam("next"), null));
  }

  private static String loginPage(String next, String error) {
    return Layout.page("Sign in", null, el("div", attr("class", "login panel"),
        el("h1", "Sign in to Rampart"),
        error == null ? null : el("p", attr("class", "error"), error),
        el("form", attr("method", "post"), attr("action", "/login"),
            el("p", el("label", attr("for", "token"), "API token")),
            el("p", el("input", attr("type", "password"), attr("id", "token"), attr("name", "token"),
                attr("autocomplete", "off"), attr("required", "required"))),
            el("input", attr("type", "hidden"), attr("name", "next"), attr("value", safeNext(next))),
            el("p", el("button", attr("type", "submit"), "Sign in"))),
        el("p", attr("class", "muted"), "Use a token issued by POST /api/v1/tokens, the administrator token "
            + "'rampart server' printed at first start, or one that 'rampart server --demo' printed. It is exchanged "
            + "for a session cookie and never stored.")));
  }

  void signIn(Context ctx) {
    String token = ctx.formParam("token");
    String next = safeNext(ctx.formParam("next"));
    String cookie;
    try {
      cookie = v.sessions().signIn(token == null ? "" : token, (h, p) ->
          v.audit().append(h, "console.signed_in", p.name(), Map.of("tokenId", p.tokenId())));
    } catch (RampartException e) {
      ctx.status(401);
      Console.html(ctx, loginPage(next, "That token was not accepted: " + e.getMessage()));
      return;
    }
    var c = new Cookie(Sessions.COOKIE, cookie);
    c.setHttpOnly(true);
    c.setSecure(overTls(ctx, v.trustedProxies()));
    c.setSameSite(SameSite.STRICT);
    c.setPath("/");
    c.setMaxAge((int) Sessions.MAX_AGE.toSeconds());
    ctx.cookie(c);
    ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
  }

  void signOut(Context ctx) {
    v.sessions().signOut(ctx.cookie(Sessions.COOKIE));
    ctx.removeCookie(Sessions.COOKIE, "/");
    ctx.redirect("/login", io.javalin.http.HttpStatus.SEE_OTHER);
  }

  /**
   * Whether the browser reached us over TLS: served over https, or forwarded as https by a proxy the server was told
   * to trust (anyone else's X-Forwarded-Proto is a claim, not a fact).
   */
  static boolean overTls(Context ctx, java.util.Set<String> trustedProxies) {
    if (ctx.scheme().equals("https")) {
      return true;
    }
    String proto = ctx.header("X-Forwarded-Proto");
    return proto != null && trustedProxies.contains(ctx.req().getRemoteAddr())
        && proto.trim().toLowerCase(java.util.Locale.ROOT).startsWith("https");
  }

  private static final java.util.regex.Pattern LOCAL_PATH = java.util.regex.Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{0,2000}");

  /**
   * Only a local path may follow sign-in, never another site: printable URL characters only (browsers drop tabs and
   * line feeds, so "/\t/host" would become "//host"), no second slash or backslash after the first, and the same once
   * percent-decoded, so no encoded trick turns it scheme-relative.
   */
  static String safeNext(String next) {
    if (next == null || !LOCAL_PATH.matcher(next).matches() || !local(next)) {
      return "/";
    }
    String decoded;
    try {
      decoded = java.net.URLDecoder.decode(next.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "/";
    }
    if (!local(decoded) || decoded.chars().anyMatch(ch -> ch < 0x21 || ch == 0x7f || ch == '\\')) {
      return "/";
    }
    return next;
  }

  private static boolean local(String path) {
    return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\");
  }

  void overview(Context ctx) {
    var session = Console.session(ctx);
    var projects = v.queries().projects(session.principal());
    List<Long> ids = projects.stream().map(Queries.Project::id).toList();
    var counts = v.queries().counts(ids);
    var cards = el("div", attr("class", "cards"),
        card(projects.size(), "projects"), card(counts.datasetVersions(), "dataset versions"),
        card(counts.modelVersions(), "model versions"), card(counts.deployments(), "active deployments"),
        card(counts.critical(), "open critical findings"), card(counts.high(), "open high findings"),
        card(counts.medium(), "open medium findings"), card(counts.low(), "open low findings"),
        card(counts.poisoned(), "poisoned dataset versions"));
    var projectRows = projects.stream().map(p -> row(a(path("projects", p.name()), p.name()), p.role())).toList();
    var decisions = v.queries().decisions(ids, 10).stream().map(d -> row(
        a(path("projects", d.project(), "models", d.model(), "versions", d.version()), d.model() + " v" + d.version()),
        d.environment(), badge(d.status()), d.reason() == null ? "" : d.reason(), d.requestedBy(),
        d.at().toString())).toList();
    var denials = v.queries().denials(ids, 10).stream().map(d -> row(d.project() + " / " + d.environment(),
        el("code", d.digest()), d.reason(), d.caller(), d.at().toString())).toList();
    var alerts = v.queries().alerts(ids, null, 10).stream().map(a -> row(
        a(path("projects", a.project(), "environments", a.environment()), a.project() + " / " + a.environment()),
        a.model() + " v" + a.version(), badge(a.severity()), a.kind(), a.detail(), a.at().toString())).toList();
    Console.html(ctx, Layout.page("Overview", session, el("h1", "Overview"), cards,
        el("p", attr("class", "muted"), "Open findings are those of each model's latest version and of every "
            + "version deployed now."),
        el("h2", "Projects"), table(List.of("Project", "Your role"), projectRows),
        el("h2", "Recent gate decisions"),
        table(List.of("Model version", "Environment", "Status", "Reason", "Requested by", "When"), decisions),
        el("h2", "Admission denials"), table(List.of("Environment", "Digest", "Reason", "Caller", "When"), denials),
        el("h2", "Monitoring alerts"),
        table(List.of("Environment", "Model", "Severity", "Kind", "Detail", "When"), alerts)));
  }

  void project(Context ctx) {
    var session = Console.session(ctx);
    String project = ctx.pathParam("project");
    long pid = Console.membership(ctx).projectId();
    var models = v.queries().models(pid).stream().map(m -> row(a(path("projects", project, "models", m.name()),
        m.name()), m.versions(), "v" + m.latest(), badge(m.latestVerdict()))).toList();
    var envs = v.promotions().environments(project).stream().map(e -> row(
        a(path("projects", project, "environments", e), e),
        a(path("projects", project, "environments", e, "policy"), "gate policy"))).toList();
    Console.html(ctx, Layout.page(project, session, Layout.crumbs(a("/", "Overview"), project),
        el("h1", "Project ", project),
        el("p", a(path("projects", project, "datasets"), "Datasets and their checks")),
        el("h2", "Models"), table(List.of("Model", "Versions", "Latest", "Latest scan"), models),
        el("h2", "Environments"), table(List.of("Environment", "Policy"), envs)));
  }

  private static Safe card(long n, String label) {
    return el("div", attr("class", "card"), el("div", attr("class", "n"), n), el("div", attr("class", "l"), label));
  }

  private static byte[] load() {
    try (InputStream in = OverviewPages.class.getResourceAsStream("/console/console.css")) {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      return "/* missing */".getBytes(StandardCharsets.UTF_8);
    }
  }
}
