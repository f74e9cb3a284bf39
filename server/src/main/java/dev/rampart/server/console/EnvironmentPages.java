package dev.rampart.server.console;

import static dev.rampart.server.console.Html.a;
import static dev.rampart.server.console.Html.attr;
import static dev.rampart.server.console.Html.el;
import static dev.rampart.server.console.Html.path;
import static dev.rampart.server.console.Layout.badge;
import static dev.rampart.server.console.Layout.row;
import static dev.rampart.server.console.Layout.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.server.Json;
import dev.rampart.server.auth.Role;
import dev.rampart.server.console.Html.Safe;
import dev.rampart.server.domain.RampartException;
import dev.rampart.server.gate.GatePolicy;
import dev.rampart.server.gate.PolicyEngine;
import dev.rampart.server.promotion.Deployment;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An environment: what runs there, its history, rollback, admissions and alerts; and its gate policy. */
final class EnvironmentPages {
  private static final int DRY_RUN = 50;
  private static final int HISTORY = 100;
  private final Views v;

  EnvironmentPages(Views v) {
    this.v = v;
  }

  void environment(Context ctx) {
    var session = Console.session(ctx);
    String project = ctx.pathParam("project");
    String env = ctx.pathParam("env");
    long pid = Console.membership(ctx).projectId();
    var e = v.promotions().environment(project, env, HISTORY, null);
    long eid = v.queries().environmentId(pid, env);
    Role role = Console.membership(ctx).role();
    Deployment current = e.current();
    var history = new ArrayList<Safe>();
    for (Deployment d : e.deployments()) {
      history.add(row(a(path("projects", project, "models", d.model(), "versions", d.version()), d.model() + " v" + d.version()),
          badge(d.status().wire()), d.deployedBy(), d.deployedAt()));
    }
    List<Long> ids = List.of(pid);
    var admissions = v.queries().admissions(pid, eid, 20).stream().map(d -> row(el("code", d.digest()), d.reason(),
        d.caller(), d.at().toString())).toList();
    var alerts = v.queries().alerts(ids, eid, 200);
    var alertRows = alerts.stream().limit(30).map(a -> row(badge(a.severity()), a.kind(),
        a.model() + " v" + a.version(), a.event(), a.detail(), a.rolledBack() ? "rolled back" : "",
        a.at().toString())).toList();
    Safe rollback = null;
    if (role.includes(Role.APPROVER) && current != null) {
      // one rollback per deployment: each model in the environment rolls back on its own
      var forms = new ArrayList<Safe>();
      for (Deployment d : e.active()) {
        String model = d.model();
        forms.add(Layout.form(session, path("projects", project, "environments", env, "rollback"),
            el("input", attr("type", "hidden"), attr("name", "model"), attr("value", model)),
            el("input", attr("type", "text"), attr("name", "reason"), attr("placeholder", "reason for the rollback"),
                attr("class", "short")), " ",
            el("button", attr("type", "submit"), attr("class", "danger"), attr("id", forms.isEmpty() ? "rollback" : "rollback-" + model),
                "Roll " + model + " back to its last version that passes the gate now")));
      }
      rollback = el("div", attr("class", "panel"), Html.join(forms.toArray(Safe[]::new)));
    }
    Console.html(ctx, Layout.page(env, session,
        Layout.crumbs(a("/", "Overview"), a(path("projects", project), project), env),
        el("h1", "Environment ", env),
        el("div", attr("class", "panel"), current == null ? el("p", "Nothing is deployed here.")
            : el("p", "Running ", a(path("projects", project, "models", current.model(), "versions",
                current.version()), attr("id", "current"), current.model() + " v" + current.version()), " since ",
                current.deployedAt(), " (", el("code", current.digest()), ")"),
            el("p", e.protectedEnv() ? "Protected: " + e.requiredApprovals()
                + " approvals needed. " : "Not protected. ",
                a(path("projects", project, "environments", env, "policy"), "Gate policy"))),
        rollback,
        el("h2", "Deployment history"), table(List.of("Version", "Status", "By", "When"), history),
        el("h2", "Drift and monitoring alerts"), Svg.alertTimeline(alerts),
        table(List.of("Severity", "Kind", "Version", "Event", "Detail", "Action", "Raised"), alertRows),
        el("h2", "Admission log"), table(List.of("Digest", "Decision", "Caller", "When"), admissions)));
  }

  void rollback(Context ctx) {
    var session = Console.session(ctx);
    String project = ctx.pathParam("project");
    String env = ctx.pathParam("env");
    String reason = ctx.formParam("reason");
    String model = ctx.formParam("model");
    v.promotions().rollback(project, env, model == null || model.isBlank() ? null : model,
        reason == null || reason.isBlank() ? "rolled back from the console" : reason, session.principal());
    ctx.redirect(path("projects", project, "environments", env), io.javalin.http.HttpStatus.SEE_OTHER);
  }

  void policy(Context ctx) {
    String project = ctx.pathParam("project");
    String env = ctx.pathParam("env");
    render(ctx, v.promotions().environment(project, env, 1, null).policy().toPrettyString(), null, null);
  }

  /** Validate, dry-run against past promotions, or save: the same checks as the API's policy endpoint. */
  void editPolicy(Context ctx) {
    var session = Console.session(ctx);
    String project = ctx.pathParam("project");
    String env = ctx.pathParam("env");
    String text = ctx.formParam("policy");
    String action = String.valueOf(ctx.formParam("action"));
    GatePolicy policy;
    try {
      JsonNode body = Json.request(text == null ? new byte[0] : text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      policy = GatePolicy.parse(body);
      v.promotions().engine().validate(policy);
    } catch (RampartException bad) {
      ctx.status(400);
      render(ctx, text, el("p", attr("class", "error"), "Not saved: ", bad.getMessage()), null);
      return;
    }
    switch (action) {
      case "save" -> {
        var saved = v.promotions().setPolicy(project, env, policy.toJson(), session.principal());
        render(ctx, policy.toJson().toPrettyString(), el("p", attr("class", "note"), "Saved as version ",
            saved.version(), " (", el("code", saved.sha256()), ")."), null);
      }
      case "dry-run" -> render(ctx, text, el("p", attr("class", "note"), "Valid. Dry run below; nothing was saved."),
          dryRun(Console.membership(ctx).projectId(), env, policy));
      default -> render(ctx, text, el("p", attr("class", "note"), "Valid; nothing was saved."), null);
    }
  }

  private Safe dryRun(long pid, String env, GatePolicy policy) {
    var rows = new ArrayList<Safe>();
    for (var past : v.queries().pastDecisions(v.queries().environmentId(pid, env), DRY_RUN)) {
      @SuppressWarnings("unchecked")
      // replay the recorded facts with the types the gate saw: JSON numbers become int64 or double, never Integer
      Map<String, Object> facts = new java.util.LinkedHashMap<>((Map<String, Object>) dev.rampart.server.promotion.Facts.toValue(
          Json.read(past.facts())));
      facts.putIfAbsent(PolicyEngine.ATTESTATIONS, List.of());
      PolicyEngine.Decision d = v.promotions().replay(policy, facts);
      String now = d.allowed() ? "allowed" : "blocked";
      String then = past.allowed() ? "allowed" : "blocked";
      rows.add(row("#" + past.id(), past.model() + " v" + past.version(), badge(past.status()), badge(then),
          badge(now), now.equals(then) ? "" : "changes", String.join(", ",
              d.failed().stream().map(PolicyEngine.RuleResult::name).toList())));
    }
    return Html.join(el("h2", "Dry run against the last ", DRY_RUN, " promotions"),
        table(List.of("Promotion", "Version", "Status", "Gate then", "Gate with this policy", "", "Failed rules"),
            rows));
  }

  private void render(Context ctx, String text, Safe message, Safe dryRun) {
    var session = Console.session(ctx);
    String project = ctx.pathParam("project");
    String env = ctx.pathParam("env");
    Role role = Console.membership(ctx).role();
    Safe editor = role.includes(Role.ADMIN)
        ? el("form", attr("method", "post"), attr("action", path("projects", project, "environments", env, "policy")),
            Layout.csrfField(session),
            el("p", el("textarea", attr("name", "policy"), attr("id", "policy"), attr("spellcheck", "false"), text)),
            el("p", el("button", attr("type", "submit"), attr("name", "action"), attr("value", "validate"), "Validate"),
                " ", el("button", attr("type", "submit"), attr("name", "action"), attr("value", "dry-run"),
                    attr("id", "dry-run"), "Dry run against past promotions"), " ",
                el("button", attr("type", "submit"), attr("name", "action"), attr("value", "save"), attr("class",
                    "danger"), "Save as a new version")))
        : el("pre", attr("class", "panel mono"), text);
    Console.html(ctx, Layout.page(env + " policy", session,
        Layout.crumbs(a("/", "Overview"), a(path("projects", project), project),
            a(path("projects", project, "environments", env), env), "policy"),
        el("h1", "Gate policy of ", env),
        el("p", attr("class", "muted"), "Rules are CEL expressions over the promotion's facts: findings, scan, "
            + "signature, provenance, datasets, evaluations, robustness, approvals, model, history, and attestations (a list of "
            + "every attestation and claim, each with type, verified, superseded, attested_by and predicate)."),
        message, editor, dryRun));
  }
}
