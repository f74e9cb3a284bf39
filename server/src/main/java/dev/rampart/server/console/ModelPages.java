package dev.rampart.server.console;

import static dev.rampart.server.console.Html.a;
import static dev.rampart.server.console.Html.attr;
import static dev.rampart.server.console.Html.el;
import static dev.rampart.server.console.Html.path;
import static dev.rampart.server.console.Layout.badge;
import static dev.rampart.server.console.Layout.row;
import static dev.rampart.server.console.Layout.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.server.auth.Role;
import dev.rampart.server.console.Html.Safe;
import dev.rampart.server.domain.InvalidInput;
import dev.rampart.server.domain.NotFound;
import dev.rampart.server.facts.FactRecord;
import dev.rampart.server.promotion.Promotion;
import dev.rampart.server.workflow.Decisions;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/** A model with its lineage graph and versions; a version with its evidence, gate decisions and approvals. */
final class ModelPages {
  private final Views v;

  ModelPages(Views v) {
    this.v = v;
  }

  void model(Context ctx) {
    var session = Console.session(ctx);
    String project = ctx.pathParam("project");
    String model = ctx.pathParam("model");
    long pid = Console.membership(ctx).projectId();
    int page = Views.page(ctx);
    var rows = v.queries().versions(pid, model, page);
    if (rows.isEmpty() && page == 0) {
      throw NotFound.of("model '" + model + "'");
    }
    var lineage = v.queries().lineage(pid, model, page * Queries.PAGE / 12);
    var graph = Svg.lineage(lineage, node -> link(project, model, node));
    var table = table(List.of("Version", "Scan", "Critical", "High", "Signature", "Run", "Digest", "Uploaded"),
        rows.stream().map(r -> row(a(path("projects", project, "models", model, "versions", r.version()),
            "v" + r.version()), badge(r.verdict()), r.critical(), r.high(), badge(r.signed() ? "verified" : "unsigned"),
            r.run() == null ? "" : r.run(), el("code", r.digest().substring(0, 16), "…"), r.at().toString())).toList());
    var pager = el("p", attr("class", "pager"),
        page > 0 ? a(path("projects", project, "models", model) + "?page=" + (page - 1), "← newer") : null,
        rows.size() == Queries.PAGE ? a(path("projects", project, "models", model) + "?page=" + (page + 1),
            "older →") : null);
    Console.html(ctx, Layout.page(model, session,
        Layout.crumbs(a("/", "Overview"), a(path("projects", project), project), model),
        el("h1", "Model ", model),
        el("h2", "Lineage"), el("div", attr("class", "graph"), graph),
        el("p", attr("class", "muted"), "Datasets feed training runs, runs produce versions, versions are deployed. "
            + "Poisoned datasets and unsafe versions are red; active deployments green. Click a node to open it."),
        el("h2", "Versions"), table, pager));
  }

  /** Where a lineage node leads. */
  private static String link(String project, String model, String node) {
    if (node.startsWith("run ")) {
      return null;
    }
    if (node.matches("v\\d+")) {
      return path("projects", project, "models", model, "versions", node.substring(1));
    }
    int at = node.lastIndexOf(" v");
    if (at > 0 && node.substring(at + 2).matches("\\d+")) {
      return path("projects", project, "datasets", node.substring(0, at), "versions", node.substring(at + 2));
    }
    return path("projects", project, "environments", node);
  }

  void version(Context ctx) {
    var session = Console.session(ctx);
    String project = ctx.pathParam("project");
    String model = ctx.pathParam("model");
    int version = Views.intParam(ctx, "version");
    long pid = Console.membership(ctx).projectId();
    var mv = v.models().version(project, model, version);
    Role role = Console.membership(ctx).role();
    var scan = mv.scan();
    var findings = new ArrayList<Safe>();
    for (JsonNode f : scan.report().path("findings")) {
      findings.add(row(badge(f.path("severity").asText()), el("code", attr("class", "id"), f.path("ruleId").asText()),
          f.path("title").asText(), el("div", attr("class", "mono"), f.path("evidence").asText()),
          f.path("location").path("path").asText(),
          el("span", el("code", f.path("atlas").path("id").asText()), " ", f.path("atlas").path("name").asText()),
          f.path("phase").asText()));
    }
    var sig = mv.signature();
    var prov = mv.provenance();
    var decisions = new ArrayList<Safe>();
    for (var d : v.queries().decisionsOfVersion(pid, model, version)) {
      var promotion = v.promotions().get(project, d.id());
      decisions.add(decision(session, project, role, promotion, v.queries().policyExpressions(pid,
          promotion.environment(), promotion.policySha256())));
    }
    Console.html(ctx, Layout.page(model + " v" + version, session,
        Layout.crumbs(a("/", "Overview"), a(path("projects", project), project),
            a(path("projects", project, "models", model), model), "v" + version),
        el("h1", model, " v", version, " ", badge(scan.verdict())),
        el("div", attr("class", "panel"),
            el("p", "Digest ", el("code", mv.digest())),
            el("p", mv.files(), " files, ", mv.bytes(), " bytes; uploaded by ", mv.uploadedBy(),
                mv.run() != null ? Html.join("; training run ", el("code", mv.run())) : null),
            el("p", a(path("projects", project, "models", model, "versions", version, "bom"), "Download the AI-BOM "
                + "(CycloneDX 1.6)"))),
        el("h2", "Supply chain"),
        table(List.of("Fact", "Status", "Attested by", "Detail"), List.of(
            row("Signature", badge(sig.verified() ? "verified" : "failed"),
                sig.verified() ? "key " + sig.attestedBy() : "nobody the project trusts",
                Html.join(sig.signer() == null ? "" : sig.signer(), sig.method() != null ? " (" + sig.method() + ")" : "",
                    el("br"), el("span", attr("class", "muted"), sig.detail() == null ? "" : sig.detail()))),
            row("Provenance", badge(!prov.present() ? "missing" : !prov.verified() ? "unverified"
                    : prov.complete() ? "verified" : "incomplete"),
                prov.verified() ? "key " + prov.attestedBy() : "nobody the project trusts",
                prov.verified() && prov.complete() ? "ties this version to its datasets and code"
                    : prov.detail() == null ? "" : prov.detail()),
            row("Scan", badge(scan.verdict()), "this server (computed from the uploaded bytes)",
                scan.incomplete() ? "part of the model could not be analysed" : "complete"))),
        el("h2", "Scan findings"),
        table(List.of("Severity", "Rule", "Finding", "Evidence", "File", "ATLAS", "Phase"), findings),
        el("h2", "Evaluations and attestations"), evaluations(mv.attestations()),
        el("h2", "Gate decisions and approvals"),
        decisions.isEmpty() ? el("p", attr("class", "muted"), "never promoted") : Html.join(decisions.toArray())));
  }

  private static Safe decision(Sessions.Session session, String project, Role role, Promotion p,
      java.util.Map<String, String> expressions) {
    var rules = new ArrayList<Safe>();
    for (var r : p.failedRules()) {
      String expression = expressions.get(r.name());
      rules.add(el("div", attr("class", "rule"), el("strong", r.name()), ": ",
          r.message(), expression == null ? null : Html.join(el("br"),
              el("span", attr("class", "muted"), "rule: ", el("code", expression)))));
    }
    var approvals = new ArrayList<Object>();
    for (var a : p.approvals()) {
      approvals.add(el("li", a.by(), ": ", a.decision().wire(), a.comment() != null ? " — " + a.comment() : ""));
    }
    boolean pending = p.status() == Decisions.Status.PENDING;
    boolean decided = p.approvals().stream().anyMatch(a -> a.by().equals(session.principal().name()));
    Safe controls = pending && !decided && role.includes(Role.APPROVER) ? el("p",
        Layout.form(session, path("projects", project, "promotions", p.id(), "approve"),
            el("input", attr("type", "text"), attr("name", "comment"), attr("placeholder", "comment"),
                attr("class", "short")), " ",
            el("button", attr("type", "submit"), attr("id", "approve-" + p.id()), "Approve")), " ",
        Layout.form(session, path("projects", project, "promotions", p.id(), "reject"),
            el("button", attr("type", "submit"), attr("class", "danger"), attr("id", "reject-" + p.id()),
                "Reject"))) : null;
    return el("div", attr("class", "panel"), attr("id", "promotion-" + p.id()),
        el("p", el("strong", "Promotion #", p.id(), " to ", p.environment()), " ",
            badge(p.status().wire()), " requested by ", p.requestedBy(), "; ",
            p.approvals().size(), " of ", p.requiredApprovals(), " approvals"),
        rules.isEmpty() ? el("div", attr("class", "rule ok"), "every gate rule passed") : Html.join(rules.toArray()),
        approvals.isEmpty() ? null : el("ul", approvals),
        el("p", attr("class", "muted"), "policy ", el("code", p.policySha256() == null ? "" : p.policySha256())),
        controls);
  }

  /** Every recorded fact, oldest first: what it says, who attested it, and whether it verifies today. */
  private static Safe evaluations(List<FactRecord> facts) {
    if (facts.isEmpty()) {
      return el("p", attr("class", "muted"), "none recorded; rampart eval --attest KEY and rampart model evaluate add them");
    }
    var rows = new ArrayList<Safe>();
    for (FactRecord f : facts) {
      JsonNode r = f.predicate();
      String summary = switch (f.type()) {
        case "robustness" -> String.format(java.util.Locale.ROOT, "clean %.3f, robust %.3f at eps %s (%s, %d samples)",
            r.path("clean_accuracy").asDouble(), r.path("robust_accuracy").asDouble(), r.path("eps").asText(),
            r.path("norm").asText(), r.path("n").asInt());
        case "backdoor" -> r.path("findings").size() + " trigger(s) found in " + r.path("n").asInt() + " samples";
        case "llm" -> r.path("categories").size() + " probe categories";
        default -> "";
      };
      rows.add(row(el("code", f.type()), summary, FactCells.status(f), FactCells.attestedBy(f),
          el("code", attr("class", "id"), f.statementSha256()),
          el("details", el("summary", "record"), el("pre", attr("class", "mono"), r.toPrettyString()))));
    }
    return table(List.of("Kind", "Summary", "Status", "Attested by", "Statement sha256", "Record"), rows);
  }


  void bom(Context ctx) {
    String project = ctx.pathParam("project");
    String model = ctx.pathParam("model");
    int version = Views.intParam(ctx, "version");
    String bom = v.models().bom(project, model, version);
    ctx.contentType("application/vnd.cyclonedx+json")
        .header("Content-Disposition", "attachment; filename=\"" + model.replaceAll("[^A-Za-z0-9._-]", "_") + "-v"
            + version + ".cdx.json\"")
        .result(bom);
  }

  void approve(Context ctx) {
    decide(ctx, true);
  }

  void reject(Context ctx) {
    decide(ctx, false);
  }

  private void decide(Context ctx, boolean approve) {
    var session = Console.session(ctx);
    String project = ctx.pathParam("project");
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new InvalidInput("id must be a number");
    }
    String comment = ctx.formParam("comment");
    comment = comment == null || comment.isBlank() ? null : comment;
    var result = approve ? v.promotions().approve(project, id, comment, session.principal())
        : v.promotions().reject(project, id, comment, session.principal());
    ctx.redirect(path("projects", project, "models", result.model(), "versions",
        result.version()) + "#promotion-" + id, io.javalin.http.HttpStatus.SEE_OTHER);
  }
}
