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
import dev.rampart.server.console.Html.Safe;
import dev.rampart.server.domain.NotFound;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/** Dataset versions with their checks, and for a poisoned one everything it reached. */
final class DatasetPages {
  private final Views v;

  DatasetPages(Views v) {
    this.v = v;
  }

  void datasets(Context ctx) {
    var session = Console.session(ctx);
    String project = ctx.pathParam("project");
    var rows = new ArrayList<Safe>();
    for (var d : v.registry().datasets(project)) {
      String verdict = d.poisoned() ? "poisoned" : d.verdict();
      rows.add(row(a(path("projects", project, "datasets", d.dataset(), "versions", d.version()),
          d.dataset() + " v" + d.version()), badge(verdict), el("code", d.digest()), d.uri() == null ? "" : d.uri()));
    }
    Console.html(ctx, Layout.page("Datasets", session,
        Layout.crumbs(a("/", "Overview"), a(path("projects", project), project), "datasets"),
        el("h1", "Datasets of ", project),
        table(List.of("Version", "Check", "Digest", "Location"), rows)));
  }

  void version(Context ctx) {
    var session = Console.session(ctx);
    String project = ctx.pathParam("project");
    String dataset = ctx.pathParam("dataset");
    int version = Views.intParam(ctx, "version");
    long pid = Console.membership(ctx).projectId();
    var dv = v.queries().datasetVersion(pid, dataset, version)
        .orElseThrow(() -> NotFound.of("version " + version + " of dataset '" + dataset + "'"));
    String verdict = dv.poisoned() ? "poisoned" : dv.verdict();
    JsonNode report = dv.report() == null ? null : Json.read(dv.report());
    var affected = v.registry().affected(project, dataset, version);
    boolean bad = dv.poisoned() || "poisoned".equals(dv.verdict()) || "suspicious".equals(dv.verdict());
    var models = new ArrayList<Safe>();
    for (var m : affected.modelVersions()) {
      models.add(row(a(path("projects", project, "models", m.model(), "versions", m.version()),
          m.model() + " v" + m.version()), el("code", m.digest())));
    }
    var deployments = new ArrayList<Safe>();
    for (var d : affected.deployments()) {
      deployments.add(row(a(path("projects", project, "environments", d.environment()), d.environment()),
          d.model() + " v" + d.version(), badge(d.status())));
    }
    var runs = new ArrayList<Object>();
    affected.runs().forEach(r -> runs.add(el("li", el("code", r))));
    Console.html(ctx, Layout.page(dataset + " v" + version, session,
        Layout.crumbs(a("/", "Overview"), a(path("projects", project), project),
            a(path("projects", project, "datasets"), "datasets"), dataset + " v" + version),
        el("h1", dataset, " v", version, " ", badge(verdict)),
        el("div", attr("class", "panel"), el("p", "Digest ", el("code", dv.digest())),
            el("p", "Location ", dv.uri() == null ? "-" : dv.uri(), "; registered by ", dv.by(), " at ",
                dv.at().toString())),
        el("h2", "Attested checks"), attested(pid, dv.digest()),
        el("h2", "Check report"), checkReport(report),
        el("h2", bad ? "Everything affected" : "Used by"),
        bad ? el("p", attr("class", "error"), "This version is ", verdict, ". Every run that trained on it, the model "
            + "versions they produced and where those are deployed:") : null,
        el("h3", "Training runs"), runs.isEmpty() ? el("p", attr("class", "muted"), "none") : el("ul", runs),
        el("h3", "Model versions"), table(List.of("Model version", "Digest"), models),
        el("h3", "Deployments"), table(List.of("Environment", "Model version", "Status"), deployments)));
  }

  /** Every dataset-check attestation about these bytes: who attested it, and whether it verifies today. */
  private Safe attested(long pid, String digest) {
    var facts = v.registry().jdbi().withHandle(h -> dev.rampart.server.facts.Attestations.about(h, pid, digest,
        dev.rampart.server.facts.TrustPolicy.attesters(h, pid)));
    if (facts.isEmpty()) {
      return el("p", attr("class", "muted"), "none: the verdict stays unchecked until a trusted key attests a check");
    }
    var rows = new ArrayList<Safe>();
    for (var f : facts) {
      rows.add(row(el("code", f.type()), badge(dev.rampart.server.facts.Attestations.datasetVerdict(f.predicate())),
          FactCells.status(f), FactCells.attestedBy(f), el("code", attr("class", "id"), f.statementSha256()), f.at()));
    }
    return table(List.of("Kind", "Verdict", "Status", "Attested by", "Statement sha256", "Recorded"), rows);
  }

  private static Safe checkReport(JsonNode report) {
    if (report == null || report.isNull()) {
      return el("p", attr("class", "muted"), "no attested check; run 'rampart data check --attest KEY' and submit it with "
          + "'rampart attest'");
    }
    var rows = new ArrayList<Safe>();
    for (JsonNode f : report.path("findings")) {
      rows.add(row(badge(f.path("severity").asText()), el("code", attr("class", "id"), f.path("ruleId").asText()),
          f.path("title").asText(), el("div", attr("class", "mono"), f.path("evidence").asText()),
          el("code", f.path("atlas").path("id").asText())));
    }
    return Html.join(
        el("p", "Verdict ", badge(report.path("summary").path("verdict").asText("unknown")),
            report.path("dataset").path("rows").isNumber() ? " on " + report.path("dataset").path("rows").asLong()
                + " rows" : null),
        table(List.of("Severity", "Rule", "Finding", "Evidence", "ATLAS"), rows));
  }
}
