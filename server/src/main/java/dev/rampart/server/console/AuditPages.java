package dev.rampart.server.console;

import static dev.rampart.server.console.Html.attr;
import static dev.rampart.server.console.Html.el;
import static dev.rampart.server.console.Layout.badge;
import static dev.rampart.server.console.Layout.row;
import static dev.rampart.server.console.Layout.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.core.atlas.AtlasData;
import dev.rampart.core.Rule;
import dev.rampart.server.Json;
import dev.rampart.server.console.Html.Safe;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The audit log (searchable, with its verification) and the ATLAS coverage matrix with live findings. */
final class AuditPages {
  /** The rules of the modules this server was built with; the fat jar carries all of them. */
  private static final List<Rule> COVERED = dev.rampart.core.RuleSource.installed();

  private static final java.time.Duration VERIFY_EVERY = java.time.Duration.ofMinutes(5);
  private static final int SHOWN = 200;
  private static final int ATLAS_VERSIONS = 2_000;
  private final Views v;
  /** The newest verification; guarded by this object's lock, which also keeps two views from verifying at once. */
  private Checked lastCheck;

  AuditPages(Views v) {
    this.v = v;
  }

  void audit(Context ctx) {
    var session = Console.session(ctx);
    String q = ctx.queryParamAsClass("q", String.class).getOrDefault("").trim();
    long before = Views.number(ctx, "before", -1);
    var checked = verification(false);
    var found = v.audit().search(q, before, SHOWN + 1);
    var rows = new ArrayList<Safe>();
    for (var hit : found.subList(0, Math.min(SHOWN, found.size()))) {
      JsonNode e = Json.read(hit.entry());
      rows.add(row(hit.index(), e.path("time").asText(e.path("at").asText()), el("code", e.path("type").asText()),
          e.path("actor").asText(), el("div", attr("class", "mono"), e.path("details").toString())));
    }
    Safe older = found.size() > SHOWN
        ? el("p", el("a", attr("href", "/audit?q=" + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8)
            + "&before=" + found.get(SHOWN - 1).index()), "Older entries"))
        : null;
    var verification = checked.verification();
    Console.html(ctx, Layout.page("Audit log", session, el("h1", "Audit log"),
        el("div", attr("class", verification.ok() ? "panel" : "panel error"),
            badge(verification.ok() ? "verified" : "failed"), " ", verification.detail(),
            el("span", attr("class", "muted"), " (signed checkpoint covers ", verification.checkpointSize(),
                " of ", verification.entries(), " entries; checked ", ago(checked.at()), ")"),
            Layout.form(session, "/audit/verify", el("button", attr("type", "submit"), "Verify now"))),
        el("form", attr("method", "get"), attr("action", "/audit"),
            el("p", el("input", attr("type", "search"), attr("name", "q"), attr("value", q),
                attr("placeholder", "search the whole log: type, actor, model, digest…")))),
        table(List.of("#", "Time", "Type", "Actor", "Details"), rows), older));
  }

  /** Re-verifies the whole log now, for an administrator who does not want to wait for the next scheduled check. */
  void verifyNow(Context ctx) {
    verification(true);
    ctx.redirect("/audit", io.javalin.http.HttpStatus.SEE_OTHER);
  }

  private record Checked(dev.rampart.server.audit.AuditLog.Verification verification, java.time.Instant at) {}

  /**
   * Verification reads the whole log, so a page view reuses a result younger than {@link #VERIFY_EVERY}; a long log
   * then costs one pass per interval, not one per view.
   */
  private synchronized Checked verification(boolean now) {
    var at = java.time.Instant.now();
    if (now || lastCheck == null || lastCheck.at().plus(VERIFY_EVERY).isBefore(at)) {
      lastCheck = new Checked(v.audit().verify(), at);
    }
    return lastCheck;
  }

  private static String ago(java.time.Instant at) {
    long seconds = java.time.Duration.between(at, java.time.Instant.now()).toSeconds();
    return seconds < 60 ? "just now" : seconds / 60 + " min ago";
  }

  /** The ATLAS matrix: one column per tactic, each technique coloured by its live findings and marked if detected. */
  void atlas(Context ctx) throws java.io.IOException {
    var session = Console.session(ctx);
    var projects = v.queries().projects(session.principal()).stream().map(Queries.Project::id).toList();
    Map<String, Integer> live = v.queries().findingsByTechnique(projects, ATLAS_VERSIONS);
    Map<String, List<String>> rulesOf = new TreeMap<>();
    for (Rule r : COVERED) {
      rulesOf.computeIfAbsent(r.technique().id(), k -> new ArrayList<>()).add(r.id());
    }
    var atlas = AtlasData.bundled();
    int max = live.values().stream().mapToInt(Integer::intValue).max().orElse(1);
    var columns = new ArrayList<Safe>();
    for (var tactic : atlas.tactics()) {
      var cells = new ArrayList<Safe>();
      for (var t : atlas.techniques()) {
        if (!t.tactics().contains(tactic.id())) {
          continue;
        }
        int n = live.getOrDefault(t.id(), 0);
        var rules = rulesOf.getOrDefault(t.id(), List.of());
        // heat in five steps: classes, since the CSP allows no inline style
        int heat = n == 0 ? 0 : 1 + (int) Math.min(4, Math.floor(4.0 * n / Math.max(1, max)));
        String classes = "cell heat" + heat + (rules.isEmpty() ? " gap" : " detected");
        cells.add(el("div", attr("class", classes), attr("data-technique", t.id()),
            attr("title", rules.isEmpty() ? "not detected by Rampart" : "detected by " + String.join(" ", rules)),
            el("code", t.id()), el("br"), t.name(), n > 0 ? el("div", el("strong", n, " live")) : null));
      }
      columns.add(el("div", attr("class", "tactic"), el("div", attr("class", "head"), tactic.name()), cells));
    }
    long detected = atlas.techniques().stream().filter(t -> rulesOf.containsKey(t.id())).count();
    Console.html(ctx, Layout.page("ATLAS", session, el("h1", "MITRE ATLAS coverage"),
        el("p", attr("class", "muted"), "ATLAS ", atlas.version(), atlas.curated() ? " (the curated subset Rampart "
            + "bundles)" : "", ": ", detected, " of ", atlas.techniques().size(), " techniques detected by Rampart's "
            + "rules (green edge). Red shows live findings in the newest ", ATLAS_VERSIONS, " model versions, dataset "
            + "checks and alerts you can see; darker is more."),
        el("div", attr("class", "matrix"), columns),
        el("p", attr("class", "muted"), "MITRE ATLAS data: Copyright 2021-2025 MITRE, Apache License 2.0.")));
  }

}
