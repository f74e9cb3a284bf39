package dev.rampart.bench;

import dev.rampart.server.RampartServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Handle;

/**
 * Console pages on an inventory of 10,000 model versions (50 models of 200 versions, 100 runs, 20 dataset versions,
 * 10,000 promotions and deployments, 10,000 admissions, 1,000 alerts) and an audit log of 100,000 entries, on
 * embedded H2. The inventory is written straight into the database, since uploading 10,000 models would measure the
 * scanner instead; the audit entries go through the real log. Each page is fetched over loopback after warm-up; the
 * time is the server's whole answer, rendering included.
 *
 * <pre>java -jar bench/target/rampart-bench.jar console [versions] [audit entries]</pre>
 */
public final class ConsoleBenchmark {
  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  private ConsoleBenchmark() {}

  public static void main(String[] args) throws Exception {
    int versions = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int auditEntries = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    var work = Files.createTempDirectory("rampart-console-bench");
    try (var server = RampartServer.start(RampartServer.Config.embedded(work.resolve("data"), 0))) {
      String base = "http://127.0.0.1:" + server.port();
      String token = server.bootstrapToken().orElseThrow();
      var created = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/projects"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\"}")).build(), HttpResponse.BodyHandlers.ofString());
      if (created.statusCode() != 201) {
        throw new IllegalStateException(created.body());
      }
      long t0 = System.nanoTime();
      server.database().jdbi().useTransaction(h -> fill(h, versions));
      System.out.printf(Locale.ROOT, "java %s, %d cores; %,d model versions written in %.1f s%n", Runtime.version(),
          Runtime.getRuntime().availableProcessors(), versions, (System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      appendAudit(server, auditEntries);
      System.out.printf(Locale.ROOT, "%,d audit entries appended in %.1f s%n", auditEntries,
          (System.nanoTime() - t0) / 1e9);
      // the writes above bypassed the services, so restart to drop caches and reload the audit state
    }
    try (var server = RampartServer.start(RampartServer.Config.embedded(work.resolve("data"), 0))) {
      String base = "http://127.0.0.1:" + server.port();
      String cookie = signIn(base, server.database().jdbi());
      System.out.println("| Page | Median (ms) | p95 (ms) | Max (ms) | Bytes |");
      System.out.println("|---|---|---|---|---|");
      for (String page : List.of("/", "/projects/bench", "/projects/bench/models/model-07",
          "/projects/bench/models/model-07?page=3", "/projects/bench/models/model-07/versions/150",
          "/projects/bench/datasets", "/projects/bench/datasets/transactions/versions/3",
          "/projects/bench/environments/staging", "/projects/bench/environments/staging/policy", "/atlas",
          "/audit", "/audit?q=model-07", "/audit?q=no-such-text")) {
        measure(base, page, cookie);
      }
      long t = System.nanoTime();
      var verification = server.api().services().audit().verify();
      System.out.printf(Locale.ROOT, "full audit verification of %,d entries: %.2f s (%s)%n", verification.entries(),
          (System.nanoTime() - t) / 1e9, verification.ok() ? "ok" : verification.detail());
    }
  }

  private static void measure(String base, String page, String cookie) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(base + page)).header("Cookie", cookie).build();
    int bytes = 0;
    for (int i = 0; i < 5; i++) {
      var r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(page + " answered " + r.statusCode() + ": " + r.body());
      }
      bytes = r.body().length();
    }
    double[] ms = new double[30];
    for (int i = 0; i < ms.length; i++) {
      long t = System.nanoTime();
      HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf(Locale.ROOT, "| `%s` | %.1f | %.1f | %.1f | %,d |%n", page, ms[ms.length / 2],
        ms[(int) (ms.length * 0.95)], ms[ms.length - 1], bytes);
  }

  /** Admission-like audit entries through the real log, a thousand per transaction as group commit does. */
  private static void appendAudit(RampartServer server, int entries) {
    var services = server.api().services();
    for (int done = 0; done < entries; done += 1_000) {
      int from = done;
      int n = Math.min(1_000, entries - done);
      services.writes().append(h -> {
        for (int i = from; i < from + n; i++) {
          services.audit().append(h, i % 10 == 0 ? "admission.denied" : "admission.allowed", "serving",
              java.util.Map.of("project", "bench", "environment", "production", "digest",
                  String.format(Locale.ROOT, "%064x", i), "reason", "model-" + String.format(Locale.ROOT, "%02d", i % 50)
                      + " v" + (i % 200 + 1)));
        }
        return null;
      });
    }
  }

  /** Signs in with a fresh administrator token, as a browser would. */
  private static String signIn(String base, org.jdbi.v3.core.Jdbi jdbi) throws Exception {
    var issued = jdbi.withHandle(h -> {
      var auth = new dev.rampart.server.auth.AuthService(jdbi, java.time.Clock.systemUTC(),
          new dev.rampart.server.store.Generation());
      return auth.issue(h, 1, java.util.EnumSet.of(dev.rampart.server.auth.Scope.ADMIN), java.time.Duration.ofDays(1));
    });
    String token = issued.token();
    var r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
        .build(), HttpResponse.BodyHandlers.ofString());
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow(() -> new IllegalStateException(r.body()));
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private static final String REPORT = """
      {"schemaVersion":"1.0","kind":"scan","summary":{"verdict":"findings"},"findings":[
      {"ruleId":"PKL-FORMAT","severity":"LOW","title":"Pickle-based format","evidence":"protocol 4 pickle stream",
       "location":{"path":"model.pkl"},"atlas":{"id":"AML.T0011.000","name":"Unsafe AI Artifacts"},
       "phase":"EXPERIMENT_DEVELOPMENT"},
      {"ruleId":"PKL-UNKNOWN-GLOBAL","severity":"MEDIUM","title":"Pickle imports an unknown callable",
       "evidence":"GLOBAL sklearn.tree._classes DecisionTreeClassifier","location":{"path":"model.pkl"},
       "atlas":{"id":"AML.T0011.000","name":"Unsafe AI Artifacts"},"phase":"EXPERIMENT_DEVELOPMENT"}]}""";

  private static void fill(Handle h, int versions) {
    var now = OffsetDateTime.now(ZoneOffset.UTC);
    long project = 1;
    long staging = h.createQuery("select id from environments where project_id = 1 and name = 'staging'")
        .mapTo(Long.class).one();
    long production = h.createQuery("select id from environments where project_id = 1 and name = 'production'")
        .mapTo(Long.class).one();
    long policy = h.createQuery("select max(id) from policies where environment_id = :e").bind("e", staging)
        .mapTo(Long.class).one();
    long dataset = h.createUpdate("insert into datasets(project_id, name, created_at, created_by) values (1, "
        + "'transactions', :t, 1)").bind("t", now).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    var dv = h.prepareBatch("insert into dataset_versions(dataset_id, version, digest, check_verdict, check_report, "
        + "created_at, created_by) values (:d, :v, :g, 'clean', :r, :t, 1)");
    for (int i = 1; i <= 20; i++) {
      dv.bind("d", dataset).bind("v", i).bind("g", hex(i)).bind("r", REPORT).bind("t", now).add();
    }
    dv.execute();
    var runs = h.prepareBatch("insert into runs(project_id, name, code_commit, parameters, metrics, created_at, "
        + "created_by) values (:p, :n, 'abc123', '{}', '{}', :t, 1)");
    for (int i = 1; i <= 100; i++) {
      runs.bind("p", project).bind("n", "run-" + i).bind("t", now).add();
    }
    runs.execute();
    h.execute("insert into run_inputs(run_id, dataset_version_id) select r.id, (r.id % 20) + 1 from runs r");
    var models = h.prepareBatch("insert into models(project_id, name, created_at, created_by) values (1, :n, :t, 1)");
    int perModel = 200;
    int modelCount = Math.max(1, versions / perModel);
    for (int m = 0; m < modelCount; m++) {
      models.bind("n", String.format(Locale.ROOT, "model-%02d", m)).bind("t", now).add();
    }
    models.execute();
    var mv = h.prepareBatch("""
        insert into model_versions(model_id, version, digest, run_id, uploaded_by, created_at, files, bytes,
          scan_verdict, scan_incomplete, findings_critical, findings_high, findings_medium, findings_low, scan_report,
          signature_verified, evaluations) values (:m, :v, :g, :r, 1, :t, 2, 123456, 'findings', false, 0, 0, 1, 1,
          :rep, true, '{}')""");
    int n = 0;
    for (int m = 1; m <= modelCount; m++) {
      for (int v = 1; v <= perModel && n < versions; v++, n++) {
        mv.bind("m", m).bind("v", v).bind("g", hex(1000 + n)).bind("r", (n % 100) + 1).bind("t", now)
            .bind("rep", REPORT).add();
      }
    }
    mv.execute();
    var promotions = h.prepareBatch("""
        insert into promotions(environment_id, model_version_id, requested_by, requested_at, status, policy_id,
          policy_sha256, decision_input, decision_allowed, failed_rules, reason)
        values (:e, :v, 1, :t, 'deployed', :p, :s, :in, true, '[]', '')""");
    String facts = "{\"findings\":{\"critical\":0,\"high\":0,\"medium\":1,\"low\":1},\"scan\":{\"incomplete\":false},"
        + "\"signature\":{\"verified\":true},\"provenance\":{\"complete\":true},\"datasets\":{\"count\":1,"
        + "\"all_checked_clean\":true,\"any_poisoned\":false},\"evaluations\":{},\"robustness\":{},"
        + "\"approvals\":{\"count\":1},\"model\":{},\"history\":{\"deployed_in\":[\"staging\"]}}";
    for (int i = 1; i <= versions; i++) {
      promotions.bind("e", staging).bind("v", i).bind("t", now).bind("p", policy).bind("s", "0".repeat(64))
          .bind("in", facts).add();
    }
    promotions.execute();
    h.createUpdate("""
        insert into deployments(environment_id, model_version_id, promotion_id, deployed_at, deployed_by, status)
        select environment_id, model_version_id, id, requested_at, 1, 'superseded' from promotions""").execute();
    h.createUpdate("update deployments set status = 'active' where id = (select max(id) from deployments)").execute();
    var admissions = h.prepareBatch("insert into admissions(environment_id, digest, allowed, reason, caller, "
        + "created_at) values (:e, :g, :a, :r, 1, :t)");
    for (int i = 0; i < versions; i++) {
      admissions.bind("e", production).bind("g", "sha256:" + hex(i)).bind("a", i % 10 != 0)
          .bind("r", i % 10 != 0 ? "approved and signed" : "not the approved version").bind("t", now).add();
    }
    admissions.execute();
    long active = h.createQuery("select max(id) from deployments").mapTo(Long.class).one();
    var alerts = h.prepareBatch("insert into monitor_alerts(deployment_id, kind, severity, features, event_index, "
        + "event_ts, detail, created_at, rolled_back) values (:d, :k, 'MEDIUM', '[\"amount\"]', :i, '', 'shift', "
        + ":t, false)");
    for (int i = 0; i < 1000; i++) {
      alerts.bind("d", active).bind("k", i % 2 == 0 ? "covariate-drift" : "prediction-drift").bind("i", i * 500L)
          .bind("t", now).add();
    }
    alerts.execute();
  }

  private static String hex(long i) {
    return String.format(Locale.ROOT, "%064x", i * 2654435761L + 17);
  }
}
