package dev.rampart.server.metrics;

import dev.rampart.server.audit.AuditLog;
import dev.rampart.server.auth.Permission;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code GET /metrics} in the Prometheus text format (0.0.4). Two sources, each the one that cannot drift:
 * request counts and latencies are measured in this process since it started (per route template, never per raw
 * path, so a client cannot create series); admissions, gate decisions, model scans and the audit log size are
 * counted in the database at each scrape, so they agree with the audit trail and survive restarts and replicas.
 */
public final class Metrics {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String STARTED = "rampart.metrics.started";
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

  private final Jdbi jdbi;
  private final AuditLog audit;
  private final Map<Series, Histogram> requests = new ConcurrentHashMap<>();

  /** One request series: the route template (or "unmatched"), the method, the status class (2xx, 4xx...). */
  record Series(String route, String method, String status) {}

  public Metrics(Jdbi jdbi, AuditLog audit) {
    this.jdbi = jdbi;
    this.audit = audit;
  }

  /** Adds the timing filters and the {@code /metrics} route (any valid token; Prometheus sends it as a bearer). */
  public void register(JavalinConfig config) {
    config.routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
    config.routes.after(this::observe);
    config.routes.get("/metrics", ctx -> ctx.contentType(CONTENT_TYPE).result(scrape()), new dev.rampart.server.api.Api.Rule(Permission.AUTHENTICATED));
  }

  void observe(Context ctx) {
    Long started = ctx.attribute(STARTED);
    if (started == null) {
      return;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    var endpoint = ctx.endpoints().lastHttpEndpoint();
    String route = endpoint == null ? "unmatched" : endpoint.path;
    String method = METHODS.contains(ctx.method().name()) ? ctx.method().name() : "OTHER";
    String status = (ctx.statusCode() / 100) + "xx";
    requests.computeIfAbsent(new Series(route, method, status), s -> new Histogram()).observe(seconds);
  }

  /** The exposition text. */
  public String scrape() {
    var out = new StringBuilder();
    out.append("# HELP rampart_http_request_duration_seconds Time to answer an API or console request, by route template.\n");
    out.append("# TYPE rampart_http_request_duration_seconds histogram\n");
    collectSorted().values().forEach(e -> {
      Series s = e.getKey();
      String labels = "route=\"" + escape(s.route()) + "\",method=\"" + s.method() + "\",status=\"" + s.status() + "\"";
      e.getValue().write(out, "rampart_http_request_duration_seconds", labels);
    });
    counted(out, "rampart_admissions_total", "Admission decisions recorded (endpoint and Kubernetes webhook).",
        "select case when allowed then 'allowed' else 'denied' end, count(*) from admissions group by allowed", "decision");
    counted(out, "rampart_gate_decisions_total", "Promotion requests by the status the gate and approvals left them in.",
        "select status, count(*) from promotions group by status", "status");
    counted(out, "rampart_model_scans_total", "Uploaded model versions by scan verdict.",
        "select scan_verdict, count(*) from model_versions group by scan_verdict", "verdict");
    out.append("# HELP rampart_audit_log_entries Entries in the transparency-logged audit trail.\n");
    out.append("# TYPE rampart_audit_log_entries gauge\n");
    out.append("rampart_audit_log_entries ").append(audit.size()).append('\n');
    return out.toString();
  }

  private Map<String, Map.Entry<Series, Histogram>> collectSorted() {
    var sorted = new TreeMap<String, Map.Entry<Series, Histogram>>();
    requests.entrySet().forEach(e -> sorted.put(e.getKey().route() + ' ' + e.getKey().method() + ' ' + e.getKey().status(),
        Map.entry(e.getKey(), e.getValue())));
    return sorted;
  }

  private void counted(StringBuilder out, String name, String help, String sql, String label) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    var rows = new TreeMap<String, Long>();
    jdbi.useHandle(h -> h.createQuery(sql).map((rs, c) -> rows.put(rs.getString(1).trim(), rs.getLong(2))).list());
    rows.forEach((value, n) -> out.append(name).append('{').append(label).append("=\"").append(escape(value)).append("\"} ")
        .append(n).append('\n'));
  }

  /** Label values escape backslash, quote and newline, as the text format requires. */
  static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
