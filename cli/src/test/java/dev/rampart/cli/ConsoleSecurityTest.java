package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.RuleSource;
import dev.rampart.server.RampartServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's defences over real HTTP against the demo workspace: hostile names and metadata are escaped, forms
 * without their CSRF token or from another site are refused, a viewer gets no controls and the API refuses the
 * actions too, and sessions end with their token.
 */
class ConsoleSecurityTest {
  static RampartServer server;
  static String base;
  static DemoWorkspace.Tokens tokens;
  static Path tmp;
  static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  static void start() throws Exception {
    tmp = Files.createTempDirectory("rampart-console-security");
    server = RampartServer.start(RampartServer.Config.embedded(tmp.resolve("data"), 0).withH2());
    base = "http://127.0.0.1:" + server.port();
    tokens = DemoWorkspace.populate(base, server.bootstrapToken().orElseThrow(), tmp.resolve("work"));
    var alice = new Client(base, tokens.contributor());
    var admin = new Client(base, tokens.admin());
    String project = DemoWorkspace.PROJECT;
    assertThat(alice.call("POST", Client.projectPath(project, "datasets", "transactions", "versions"), Map.of(
        "digest", "sha256:" + "ab".repeat(32), "uri", "<script>alert('uri')</script>")).ok()).isTrue();
    assertThat(alice.call("POST", Client.projectPath(project, "models", DemoWorkspace.MODEL, "versions", 1,
        "evaluations"), Map.of("name", "robustness", "result", Map.of("note", "<img src=x onerror=alert(2)>",
            "clean_accuracy", 0.9, "robust_accuracy", 0.7, "eps", "<b>0.1</b>"))).ok()).isTrue();
    // a model file whose name is markup, holding a pickle that calls os.system: its finding names the file
    Path evil = Files.createDirectories(tmp.resolve("evil-model"));
    Path pickle = evil.resolve("weights.pkl");
    Files.write(pickle, new byte[] {(byte) 0x80, 2, 'c', 'o', 's', '\n', 's', 'y', 's', 't', 'e', 'm', '\n',
        'X', 2, 0, 0, 0, 'i', 'd', (byte) 0x85, 'R', '.'});
    var upload = alice.upload(Client.projectPath(project, "models", "markup", "versions"),
        List.<Object[]>of(new Object[] {"file", "<svg onload=alert(3)>.pkl", pickle}), List.of());
    assertThat(upload.ok()).as(upload.text()).isTrue();
    var named = alice.call("POST", Client.projectPath(project, "datasets", "<b>x</b>", "versions"),
        Map.of("digest", "sha256:" + "cd".repeat(32)));
    assertThat(named.status()).as("markup in a name is refused outright").isEqualTo(400);
    assertThat(admin.call("PUT", Client.projectPath(project, "environments", "dev", "policy"), Map.of("mode",
        "warn", "rules", List.of(Map.of("name", "no-critical-findings", "expression", "findings.critical == 0",
            "message", "<script>alert('policy')</script> blocked")))).ok()).isTrue();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void hostileNamesAndMetadataAreShownEscaped() throws Exception {
    String cookie = signIn(tokens.admin());
    for (String page : List.of("/projects/fraud-detection/datasets",
        "/projects/fraud-detection/datasets/transactions/versions/3",
        "/projects/fraud-detection/models/fraud-scorer/versions/1",
        "/projects/fraud-detection/environments/dev/policy", "/projects/fraud-detection/environments/production",
        "/projects/fraud-detection/models/fraud-scorer", "/projects/fraud-detection/models/markup/versions/1",
        "/atlas", "/audit", "/")) {
      var r = get(page, cookie);
      assertThat(r.statusCode()).as(page).isEqualTo(200);
      assertThat(r.body()).as(page).doesNotContain("<script").doesNotContain("<img src=x").doesNotContain("<b>0.1")
          // the CSP allows no inline style either, so a style attribute would silently not render
          .doesNotContain(" style=");
    }
    assertThat(get("/projects/fraud-detection/datasets", cookie).body())
        .contains("&lt;script&gt;alert(&#39;uri&#39;)&lt;/script&gt;");
    assertThat(get("/projects/fraud-detection/models/fraud-scorer/versions/1", cookie).body())
        .contains("&lt;img src=x onerror=alert(2)&gt;");
    assertThat(get("/projects/fraud-detection/environments/dev/policy", cookie).body())
        .contains("&lt;script&gt;alert(&#39;policy&#39;)&lt;/script&gt;");
    assertThat(get("/projects/fraud-detection/models/markup/versions/1", cookie).body())
        .contains("&lt;svg onload=alert(3)&gt;.pkl").doesNotContain("<svg onload");
  }

  @Test
  void theAtlasMatrixCountsTheRulesOfEveryModuleInTheBuild() throws Exception {
    String atlas = get("/atlas", signIn(tokens.viewer())).body();
    // one rule from each module's RuleSource, the evaluation module included
    assertThat(atlas).containsPattern("data-technique=\"AML.T0015\" title=\"detected by [^\"]*EVAL-ROBUSTNESS")
        .containsPattern("title=\"detected by [^\"]*ZIP-DIRECTORY-MISMATCH")
        .containsPattern("title=\"detected by [^\"]*DATA-LABEL-NOISE")
        .containsPattern("title=\"detected by [^\"]*SHD-01")
        .contains("not detected by Rampart");
    assertThat(RuleSource.installed()).extracting(dev.rampart.core.Rule::id)
        .contains("EVAL-LLM-JAILBREAK", "ZIP-DIRECTORY-MISMATCH", "DATA-LABEL-NOISE", "SHD-01", "SIG-MODEL-MODIFIED")
        .doesNotHaveDuplicates();
  }

  @Test
  void everyPageCarriesAStrictContentSecurityPolicyAndTheCookieIsLockedDown() throws Exception {
    var login = post("/login", null, Map.of("token", tokens.viewer(), "next", "//evil.example/steal"));
    assertThat(login.statusCode()).isEqualTo(303);
    assertThat(login.headers().firstValue("Location")).hasValue("/");
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict");
    var page = get("/", cookie(setCookie));
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'none'").contains("form-action 'self'").contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-inline");
    assertThat(page.body()).doesNotContain("<script");
    var bad = post("/login", null, Map.of("token", "rmpu_not-a-real-token"));
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void aFormWithoutItsCsrfTokenOrFromAnotherSiteIsRefused() throws Exception {
    String cookie = signIn(tokens.approver());
    String path = "/projects/fraud-detection/environments/staging/rollback";
    assertThat(post(path, cookie, Map.of("reason", "no token")).statusCode()).isEqualTo(403);
    assertThat(post(path, cookie, Map.of("reason", "wrong token", "csrf", "A".repeat(43))).statusCode())
        .isEqualTo(403);
    String csrf = csrf(get("/projects/fraud-detection/environments/staging", cookie).body());
    var crossSite = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie)
        .header("Sec-Fetch-Site", "cross-site").header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("csrf", csrf)))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(crossSite.statusCode()).isEqualTo(403);
    var env = new Client(base, tokens.admin()).call("GET", Client.projectPath(DemoWorkspace.PROJECT, "environments",
        "staging"), null);
    assertThat(env.body().at("/current/version").asInt()).isEqualTo(2);
  }

  @Test
  void aViewerSeesNoControlsAndBothTheConsoleAndTheApiRefuseTheActions() throws Exception {
    String cookie = signIn(tokens.viewer());
    String version = get("/projects/fraud-detection/models/fraud-scorer/versions/2", cookie).body();
    assertThat(version).contains("pending").doesNotContain("approve-").doesNotContain("/approve");
    String env = get("/projects/fraud-detection/environments/production", cookie).body();
    assertThat(env).doesNotContain("id=\"rollback\"").doesNotContain("/rollback");
    String csrf = csrf(env);
    long pending = pendingPromotion();
    var approve = post("/projects/fraud-detection/promotions/" + pending + "/approve", cookie, Map.of("csrf", csrf));
    assertThat(approve.statusCode()).isEqualTo(403);
    assertThat(approve.body()).contains("approver role");
    assertThat(post("/projects/fraud-detection/environments/production/rollback", cookie, Map.of("csrf", csrf))
        .statusCode()).isEqualTo(403);
    var api = new Client(base, tokens.viewer()).call("POST", Client.projectPath(DemoWorkspace.PROJECT, "promotions",
        pending, "approve"), Map.of());
    assertThat(api.status()).isEqualTo(403);
    assertThat(get("/audit", cookie).statusCode()).isEqualTo(403);
    assertThat(post("/audit/verify", cookie, Map.of("csrf", csrf)).statusCode()).isEqualTo(403);
  }

  @Test
  void theAuditLogIsSearchedWholeAndVerifiedOnRequest() throws Exception {
    String cookie = signIn(tokens.admin());
    String page = get("/audit?q=gate.decision", cookie).body();
    assertThat(page).contains("verified").contains("checked just now").contains("gate.decision")
        .doesNotContain("principal.bootstrapped");
    // LIKE's wildcards are literal: a '%' matches no entry instead of every one
    assertThat(get("/audit?q=%25", cookie).body()).doesNotContain("gate.decision").doesNotContain("<td>0</td>");
    // the first entry of the log is found, however many followed it
    assertThat(get("/audit?q=principal.bootstrapped", cookie).body()).contains("<td>0</td>");
    var verified = post("/audit/verify", cookie, Map.of("csrf", csrf(page)));
    assertThat(verified.statusCode()).isEqualTo(303);
    assertThat(verified.headers().firstValue("Location")).hasValue("/audit");
    assertThat(post("/audit/verify", cookie, Map.of()).statusCode()).as("no CSRF token").isEqualTo(403);
  }

  @Test
  void revokingTheTokenEndsTheSessionAndSigningOutEndsItToo() throws Exception {
    var admin = new Client(base, tokens.admin());
    var fresh = admin.call("POST", "/api/v1/tokens", Map.of("principal", "victor", "scopes", "read", "ttlDays", 1));
    String cookie = signIn(fresh.body().path("token").asText());
    assertThat(get("/", cookie).statusCode()).isEqualTo(200);
    assertThat(admin.call("DELETE", "/api/v1/tokens/" + fresh.body().path("id").asLong(), null).status())
        .isEqualTo(204);
    var after = get("/", cookie);
    assertThat(after.statusCode()).isEqualTo(302);
    assertThat(after.headers().firstValue("Location").orElseThrow()).startsWith("/login");

    String other = signIn(tokens.viewer());
    String csrf = csrf(get("/", other).body());
    assertThat(post("/logout", other, Map.of("csrf", csrf)).statusCode()).isEqualTo(303);
    assertThat(get("/", other).statusCode()).isEqualTo(302);
  }

  private static long pendingPromotion() throws Exception {
    var v = new Client(base, tokens.admin()).call("GET", Client.projectPath(DemoWorkspace.PROJECT, "environments",
        "production"), null);
    assertThat(v.ok()).isTrue();
    for (long id = 1; id < 20; id++) {
      var p = new Client(base, tokens.admin()).call("GET", Client.projectPath(DemoWorkspace.PROJECT, "promotions",
          id), null);
      if (p.ok() && p.body().path("status").asText().equals("pending")) {
        return id;
      }
    }
    throw new AssertionError("the demo has no pending promotion");
  }

  static String signIn(String token) throws Exception {
    var r = post("/login", null, Map.of("token", token, "next", "/"));
    assertThat(r.statusCode()).isEqualTo(303);
    return cookie(r.headers().firstValue("Set-Cookie").orElseThrow());
  }

  private static String cookie(String setCookie) {
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private static String csrf(String html) {
    var m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  static HttpResponse<String> get(String path, String cookie) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String cookie, Map<String, String> fields) throws Exception {
    var b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String form(Map<String, String> fields) {
    var parts = new java.util.ArrayList<String>();
    fields.forEach((k, v) -> parts.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return String.join("&", parts);
  }
}
